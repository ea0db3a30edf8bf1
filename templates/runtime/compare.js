// Equality and ordering. Equality is CEL's heterogeneous equality (numbers
// of different types compare by value, NaN equals nothing, lists and maps
// compare deeply); ordering follows cel-go with cross-type numeric
// comparisons, and strings order by Unicode code point.
import { CelError, CelUint, CelIP, CelCIDR, CelTimestamp, CelDuration, CelMap, CelBytes, CelType, findKey, noSuchOverload, own, keys, uintToDouble } from "./core.js";
import { cmpBytes } from "./bytes.js";

const TWO63 = 9223372036854775808; // float64(math.MaxInt64) in Go
const TWO64 = 18446744073709551616; // float64(math.MaxUint64) in Go

function sign(x, y) {
  return x < y ? -1 : x > y ? 1 : 0;
}

// cmpDoubleInt is cel-go's compareDoubleInt: the int is rounded to a double.
function cmpDoubleInt(d, i) {
  if (d < -TWO63) return -1;
  if (d > TWO63) return 1;
  return sign(d, Number(i));
}

function cmpDoubleUint(d, u) {
  if (d < 0) return -1;
  if (d > TWO64) return 1;
  return sign(d, uintToDouble(u.v));
}

function cmpIntUint(i, u) {
  if (i < 0n) return -1;
  return sign(i, u.v);
}

/** ncmp compares two CEL numbers of any numeric types; NaN is handled by callers. */
function ncmp(a, b) {
  if (typeof a === "bigint") {
    if (typeof b === "bigint") return sign(a, b);
    if (typeof b === "number") return -cmpDoubleInt(b, a);
    return cmpIntUint(a, b);
  }
  if (typeof a === "number") {
    if (typeof b === "number") return sign(a, b);
    if (typeof b === "bigint") return cmpDoubleInt(a, b);
    return cmpDoubleUint(a, b);
  }
  if (typeof b === "bigint") return -cmpIntUint(b, a);
  if (typeof b === "number") return -cmpDoubleUint(b, a);
  return sign(a.v, b.v);
}

function isNum(v) {
  return typeof v === "bigint" || typeof v === "number" || v instanceof CelUint;
}

/** cmpString orders strings by code point, as Go compares UTF-8 bytes. */
export function cmpString(a, b) {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x !== y) {
      // Surrogates (code points >= U+10000) sort after U+E000..U+FFFF.
      if (x >= 0xd800) x += x >= 0xe000 ? -0x800 : 0x2000;
      if (y >= 0xd800) y += y >= 0xe000 ? -0x800 : 0x2000;
      return x < y ? -1 : 1;
    }
  }
  return sign(a.length, b.length);
}

/** equals is CEL's ==, for any two values. */
export function equals(a, b) {
  if (a === null || b === null) return a === b;
  if (isNum(a)) {
    if (!isNum(b)) return false;
    if (a !== a || b !== b) return false; // NaN
    return ncmp(a, b) === 0;
  }
  switch (typeof a) {
    case "string":
    case "boolean":
      return a === b;
  }
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!equals(a[i], b[i])) return false;
    return true;
  }
  if (a instanceof CelIP) return b instanceof CelIP && sameBytes(a.b, b.b);
  if (a instanceof CelCIDR) {
    return b instanceof CelCIDR && a.bits === b.bits && sameBytes(a.ip.b, b.ip.b);
  }
  if (a instanceof CelBytes) return b instanceof CelBytes && sameBytes(a.b, b.b);
  if (a instanceof CelType) return b instanceof CelType && a.name === b.name;
  if (a instanceof CelTimestamp) return b instanceof CelTimestamp && a.ns === b.ns;
  if (a instanceof CelDuration) return b instanceof CelDuration && a.ns === b.ns;
  if (typeof b !== "object" || Array.isArray(b) || b instanceof CelUint ||
      b instanceof CelIP || b instanceof CelCIDR || b instanceof CelTimestamp ||
      b instanceof CelDuration || b instanceof CelBytes || b instanceof CelType) return false;
  if (a instanceof CelMap || b instanceof CelMap) return mapsEqual(a, b);
  const ka = keys(a);
  if (ka.length !== keys(b).length) return false;
  for (const k of ka) if (!own(b, k) || !equals(a[k], b[k])) return false;
  return true;
}

// mapsEqual compares two maps of which one at least is a CelMap, as
// cel-go does: the same number of entries, and each key of a found in b
// (by a lookup) with an equal value.
function mapsEqual(a, b) {
  const ea = a instanceof CelMap ? Array.from(a.m.values()) : keys(a).map((k) => [k, a[k]]);
  const nb = b instanceof CelMap ? b.m.size : keys(b).length;
  if (ea.length !== nb) return false;
  for (const [k, v] of ea) {
    let w;
    if (b instanceof CelMap) w = findKey(b, k);
    else if (typeof k === "string" && own(b, k)) w = [k, b[k]];
    if (w === undefined || !equals(v, w[1])) return false;
  }
  return true;
}

function sameBytes(x, y) {
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

export function not_equals(a, b) {
  return !equals(a, b);
}

// compare is the dynamic ordering: -1, 0, 1, or NaN when a NaN is involved.
function compare(name, a, b) {
  if (isNum(a) && isNum(b)) {
    if (a !== a || b !== b) return NaN;
    return ncmp(a, b);
  }
  if (typeof a === "string" && typeof b === "string") return cmpString(a, b);
  if (typeof a === "boolean" && typeof b === "boolean") return sign(a, b);
  if ((a instanceof CelTimestamp && b instanceof CelTimestamp) ||
      (a instanceof CelDuration && b instanceof CelDuration)) return sign(a.ns, b.ns);
  if (a instanceof CelBytes && b instanceof CelBytes) return cmpBytes(a, b);
  throw noSuchOverload(name, a, b);
}

export function less(a, b) { return compare("_<_", a, b) < 0; }
export function less_equals(a, b) { return compare("_<=_", a, b) <= 0; }
export function greater(a, b) { return compare("_>_", a, b) > 0; }
export function greater_equals(a, b) { return compare("_>=_", a, b) >= 0; }

export function less_string(a, b) { return cmpString(a, b) < 0; }
export function less_equals_string(a, b) { return cmpString(a, b) <= 0; }
export function greater_string(a, b) { return cmpString(a, b) > 0; }
export function greater_equals_string(a, b) { return cmpString(a, b) >= 0; }

export function less_uint64(a, b) { return a.v < b.v; }
export function less_equals_uint64(a, b) { return a.v <= b.v; }
export function greater_uint64(a, b) { return a.v > b.v; }
export function greater_equals_uint64(a, b) { return a.v >= b.v; }

// Cross-type numeric comparisons: a NaN operand makes every ordering false.
function lt(a, b) { return a === a && b === b && ncmp(a, b) < 0; }
function le(a, b) { return a === a && b === b && ncmp(a, b) <= 0; }
function gt(a, b) { return a === a && b === b && ncmp(a, b) > 0; }
function ge(a, b) { return a === a && b === b && ncmp(a, b) >= 0; }

export function less_int64_double(a, b) { return lt(a, b); }
export function less_int64_uint64(a, b) { return lt(a, b); }
export function less_uint64_double(a, b) { return lt(a, b); }
export function less_uint64_int64(a, b) { return lt(a, b); }
export function less_double_int64(a, b) { return lt(a, b); }
export function less_double_uint64(a, b) { return lt(a, b); }
export function less_equals_int64_double(a, b) { return le(a, b); }
export function less_equals_int64_uint64(a, b) { return le(a, b); }
export function less_equals_uint64_double(a, b) { return le(a, b); }
export function less_equals_uint64_int64(a, b) { return le(a, b); }
export function less_equals_double_int64(a, b) { return le(a, b); }
export function less_equals_double_uint64(a, b) { return le(a, b); }
export function greater_int64_double(a, b) { return gt(a, b); }
export function greater_int64_uint64(a, b) { return gt(a, b); }
export function greater_uint64_double(a, b) { return gt(a, b); }
export function greater_uint64_int64(a, b) { return gt(a, b); }
export function greater_double_int64(a, b) { return gt(a, b); }
export function greater_double_uint64(a, b) { return gt(a, b); }
export function greater_equals_int64_double(a, b) { return ge(a, b); }
export function greater_equals_int64_uint64(a, b) { return ge(a, b); }
export function greater_equals_uint64_double(a, b) { return ge(a, b); }
export function greater_equals_uint64_int64(a, b) { return ge(a, b); }
export function greater_equals_double_int64(a, b) { return ge(a, b); }
export function greater_equals_double_uint64(a, b) { return ge(a, b); }

/** object_equals is == on event objects, which CEL policies cannot compare. */
export function object_equals(a, b) {
  throw new CelError("objects of the event cannot be compared as a whole");
}
