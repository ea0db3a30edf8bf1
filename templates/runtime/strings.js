// String functions. contains, startsWith and endsWith agree with Go on
// well-formed strings, so they are emitted as the native methods; the
// helpers here cover the rest. matches takes a RegExp the compiler
// translated from RE2 syntax (see compile/regex.go).
import { noSuchOverload } from "./core.js";

export function contains_string(s, t) { return s.includes(t); }
export function starts_with_string(s, t) { return s.startsWith(t); }
export function ends_with_string(s, t) { return s.endsWith(t); }

/** matches_string runs an unanchored search of re (no g or y flag) in s. */
export function matches_string(s, re) {
  if (typeof s !== "string") throw noSuchOverload("matches", s);
  return re.test(s);
}

/** string_lower_ascii is lowerAscii(): only A-Z change, as in cel-go. */
export function string_lower_ascii(s) {
  return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

/** string_upper_ascii is upperAscii(): only a-z change, as in cel-go. */
export function string_upper_ascii(s) {
  return s.replace(/[a-z]+/g, (m) => m.toUpperCase());
}
