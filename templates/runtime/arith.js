// Arithmetic with CEL's checked int64 and uint64 semantics. Doubles follow
// IEEE 754 and never error. One function per cel-go overload id.
import { CelError, CelUint, CelTimestamp, CelDuration, CelBytes, INT_MIN, INT_MAX, UINT_MAX, noSuchOverload } from "./core.js";
import { add_bytes } from "./bytes.js";
import {
  add_timestamp_duration, add_duration_timestamp, add_duration_duration, subtract_duration_duration,
  subtract_timestamp_duration, subtract_timestamp_timestamp, negate_duration,
} from "./time.js";

function int(r) {
  if (r < INT_MIN || r > INT_MAX) throw new CelError("integer overflow");
  return r;
}

function uintOf(r) {
  if (r < 0n || r > UINT_MAX) throw new CelError("unsigned integer overflow");
  return new CelUint(r);
}

export function add_int64(a, b) { return int(a + b); }
export function subtract_int64(a, b) { return int(a - b); }
export function multiply_int64(a, b) { return int(a * b); }
export function negate_int64(a) { return int(-a); }

export function divide_int64(a, b) {
  if (b === 0n) throw new CelError("division by zero");
  return int(a / b);
}

export function modulo_int64(a, b) {
  if (b === 0n) throw new CelError("modulus by zero");
  if (a === INT_MIN && b === -1n) throw new CelError("integer overflow");
  return a % b;
}

export function add_uint64(a, b) { return uintOf(a.v + b.v); }
export function subtract_uint64(a, b) { return uintOf(a.v - b.v); }
export function multiply_uint64(a, b) { return uintOf(a.v * b.v); }

export function divide_uint64(a, b) {
  if (b.v === 0n) throw new CelError("division by zero");
  return new CelUint(a.v / b.v);
}

export function modulo_uint64(a, b) {
  if (b.v === 0n) throw new CelError("modulus by zero");
  return new CelUint(a.v % b.v);
}

export function add_list(a, b) { return a.concat(b); }

// The dynamic forms dispatch on the runtime types, for operands typed dyn.

export function add(a, b) {
  if (typeof a === "bigint" && typeof b === "bigint") return add_int64(a, b);
  if (typeof a === "number" && typeof b === "number") return a + b;
  if (typeof a === "string" && typeof b === "string") return a + b;
  if (a instanceof CelUint && b instanceof CelUint) return add_uint64(a, b);
  if (Array.isArray(a) && Array.isArray(b)) return a.concat(b);
  if (a instanceof CelBytes && b instanceof CelBytes) return add_bytes(a, b);
  if (a instanceof CelDuration) {
    if (b instanceof CelDuration) return add_duration_duration(a, b);
    if (b instanceof CelTimestamp) return add_duration_timestamp(a, b);
  }
  if (a instanceof CelTimestamp && b instanceof CelDuration) return add_timestamp_duration(a, b);
  throw noSuchOverload("_+_", a, b);
}

function dispatch(name, a, b, fi, fu, fd) {
  if (typeof a === "bigint" && typeof b === "bigint") return fi(a, b);
  if (typeof a === "number" && typeof b === "number") return fd(a, b);
  if (a instanceof CelUint && b instanceof CelUint) return fu(a, b);
  throw noSuchOverload(name, a, b);
}

export function subtract(a, b) {
  if (b instanceof CelDuration) {
    if (a instanceof CelDuration) return subtract_duration_duration(a, b);
    if (a instanceof CelTimestamp) return subtract_timestamp_duration(a, b);
  }
  if (a instanceof CelTimestamp && b instanceof CelTimestamp) return subtract_timestamp_timestamp(a, b);
  return dispatch("_-_", a, b, subtract_int64, subtract_uint64, (x, y) => x - y);
}

export function multiply(a, b) {
  return dispatch("_*_", a, b, multiply_int64, multiply_uint64, (x, y) => x * y);
}

export function divide(a, b) {
  return dispatch("_/_", a, b, divide_int64, divide_uint64, (x, y) => x / y);
}

export function modulo(a, b) {
  if (typeof a === "bigint" && typeof b === "bigint") return modulo_int64(a, b);
  if (a instanceof CelUint && b instanceof CelUint) return modulo_uint64(a, b);
  throw noSuchOverload("_%_", a, b);
}

export function negate(a) {
  if (typeof a === "bigint") return negate_int64(a);
  if (typeof a === "number") return -a;
  if (a instanceof CelDuration) return negate_duration(a);
  throw noSuchOverload("-_", a);
}
