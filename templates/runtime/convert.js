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

/**
 * double_to_string is string(double): Go's fmt "%g", as cel-go formats it.
 * The shortest digits that read back as the double (JavaScript's and Go's
 * shortest forms are the same digits), in exponent form when the decimal
 * exponent is below -4 or at least 6 ("1e+06", "1.5e-07"), else plain.
 */
export function double_to_string(d) {
  if (d !== d) return "NaN";
  if (d === Infinity) return "+Inf";
  if (d === -Infinity) return "-Inf";
  if (d === 0) return Object.is(d, -0) ? "-0" : "0";
  const e = d.toExponential(); // shortest digits: "-1.2345e+6"
  const neg = e[0] === "-";
  const at = e.indexOf("e");
  const digits = e.slice(neg ? 1 : 0, at).replace(".", "");
  const exp = Number(e.slice(at + 1));
  let s;
  if (exp < -4 || exp >= 6) {
    const mant = digits.length > 1 ? digits[0] + "." + digits.slice(1) : digits;
    const x = Math.abs(exp);
    s = mant + "e" + (exp < 0 ? "-" : "+") + (x < 10 ? "0" + x : String(x));
  } else if (exp < 0) {
    s = "0." + "0".repeat(-exp - 1) + digits;
  } else if (digits.length <= exp + 1) {
    s = digits + "0".repeat(exp + 1 - digits.length);
  } else {
    s = digits.slice(0, exp + 1) + "." + digits.slice(exp + 1);
  }
  return neg ? "-" + s : s;
}
