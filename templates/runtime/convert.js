// Type conversions: int(), uint(), double(), string(), bool(). string() of
// a double is rejected by the compiler, because Go and JavaScript format
// floating-point numbers differently.
import { CelError, CelUint, INT_MIN, INT_MAX, UINT_MAX, uintToDouble } from "./core.js";

const TWO63 = 9223372036854775808;
const TWO64 = 18446744073709551616;

function convErr(from, to) {
  return new CelError("type conversion error from '" + from + "' to '" + to + "'");
}

export function int64_to_string(a) { return a.toString(); }
export function uint64_to_string(a) { return a.v.toString(); }
export function bool_to_string(a) { return a ? "true" : "false"; }
export function int64_to_double(a) { return Number(a); }
export function uint64_to_double(a) { return uintToDouble(a.v); }

export function int64_to_uint64(a) {
  if (a < 0n) throw new CelError("unsigned integer overflow");
  return new CelUint(a);
}

export function uint64_to_int64(a) {
  if (a.v > INT_MAX) throw new CelError("integer overflow");
  return a.v;
}

export function double_to_int64(d) {
  if (!Number.isFinite(d) || d <= -TWO63 || d >= TWO63) throw new CelError("integer overflow");
  return BigInt(Math.trunc(d));
}

export function double_to_uint64(d) {
  if (!Number.isFinite(d) || d < 0 || d >= TWO64) throw new CelError("unsigned integer overflow");
  return new CelUint(BigInt(Math.trunc(d)));
}

// string_to_int64 accepts what Go's strconv.ParseInt(s, 10, 64) accepts.
export function string_to_int64(s) {
  if (!/^[+-]?[0-9]+$/.test(s)) throw convErr("string", "int");
  const v = BigInt(s);
  if (v < INT_MIN || v > INT_MAX) throw convErr("string", "int");
  return v;
}

// string_to_uint64 accepts what Go's strconv.ParseUint(s, 10, 64) accepts.
export function string_to_uint64(s) {
  if (!/^[0-9]+$/.test(s)) throw convErr("string", "uint");
  const v = BigInt(s);
  if (v > UINT_MAX) throw convErr("string", "uint");
  return new CelUint(v);
}

// string_to_bool accepts what Go's strconv.ParseBool accepts.
export function string_to_bool(s) {
  switch (s) {
    case "1": case "t": case "T": case "true": case "TRUE": case "True":
      return true;
    case "0": case "f": case "F": case "false": case "FALSE": case "False":
      return false;
  }
  throw convErr("string", "bool");
}
