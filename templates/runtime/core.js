// Core values of the CEL runtime: the error class, the uint wrapper and the
// type tests every other module shares. See docs/semantics.md, "Values in
// JavaScript".

/** A CEL evaluation error. Rules that throw one decide by on_error. */
export class CelError extends Error {
  constructor(message) {
    super(message);
    this.name = "CelError";
  }
}

/** A CEL uint: a bigint in [0, 2^64). */
export class CelUint {
  constructor(v) {
    this.v = v;
  }
}

/** A CEL ip (ext.Network): 4 or 16 address bytes. */
export class CelIP {
  constructor(bytes) {
    this.b = bytes;
  }
}

/** A CEL cidr (ext.Network): an address and a prefix length, unmasked. */
export class CelCIDR {
  constructor(ip, bits) {
    this.ip = ip;
    this.bits = bits;
  }
}

/** A CEL timestamp: nanoseconds since the Unix epoch, and the offset in seconds east of UTC it reads in. */
export class CelTimestamp {
  constructor(ns, off) {
    this.ns = ns;
    this.off = off;
  }
}

/** A CEL duration: signed nanoseconds in the int64 range. */
export class CelDuration {
  constructor(ns) {
    this.ns = ns;
  }
}

/** A CEL type value, such as int or google.protobuf.Timestamp: its name. */
export class CelType {
  constructor(name) {
    this.name = name;
  }
}

/** A CEL bytes value: its bytes in a Uint8Array. */
export class CelBytes {
  constructor(b) {
    this.b = b;
  }
}

/**
 * A CEL map whose keys are not all strings (a map literal such as
 * {1: 'a', true: 'b'}): its entries in insertion order, by key identity.
 * As in cel-go, an int, a uint and a double of the same value are distinct
 * keys, and a lookup that finds no key of its own type tries the others of
 * the same value (1.0 finds 1, then 1u; 1 finds 1u; 1u finds 1). Maps with
 * string keys are plain objects.
 */
export class CelMap {
  constructor() {
    this.m = new Map(); // keyId(k) -> [k, v]
  }
}

/** keyId is the identity of a map key, or null for a value that cannot be one (a list, a map...). */
export function keyId(k) {
  switch (typeof k) {
    case "string": return "s" + k;
    case "bigint": return "i" + k;
    case "boolean": return k ? "t" : "f";
    case "number": return "d" + (k === 0 ? 0 : k); // -0 and 0 are one key, as Go's map keys
  }
  if (k === null) return "z";
  if (k instanceof CelUint) return "u" + k.v;
  return null;
}

/** findKey returns the map entry [k, v] a lookup of k finds, or undefined. */
export function findKey(m, k) {
  const e = m.m.get(keyId(k));
  if (e !== undefined) return e;
  if (typeof k === "number") {
    if (!Number.isInteger(k)) return undefined;
    const i = BigInt(k);
    if (i >= INT_MIN && i <= INT_MAX) {
      const f = m.m.get("i" + i);
      if (f !== undefined) return f;
    }
    return i >= 0n && i <= UINT_MAX ? m.m.get("u" + i) : undefined;
  }
  if (typeof k === "bigint") return k >= 0n ? m.m.get("u" + k) : undefined;
  if (k instanceof CelUint) return k.v <= INT_MAX ? m.m.get("i" + k.v) : undefined;
  return undefined;
}

export const INT_MIN = -(2n ** 63n);
export const INT_MAX = 2n ** 63n - 1n;
export const UINT_MAX = 2n ** 64n - 1n;

/**
 * uintToDouble is the double nearest a uint's value. goja's Number() of a
 * bigint above 2^63 - 1 wraps around (Number(2n ** 64n - 1n) is -1), while
 * parsing its decimal text rounds correctly in every engine.
 */
export function uintToDouble(v) {
  return v <= INT_MAX ? Number(v) : parseFloat(v.toString());
}

const objectProto = Object.prototype;
const protoOf = Object.getPrototypeOf;
const isArray = Array.isArray;

/** ObjectCtor is Object, the constructor JSON objects inherit. */
export const ObjectCtor = Object;

// isPlainObject tells maps and event objects from every other value. The
// objects of JSON and of map literals inherit their constructor from
// Object.prototype, so one property read answers for them (JSON cannot make
// a constructor property equal to Object); other objects take the
// prototype and class tests, whose calls are slow in interpreters.
export function isPlainObject(v) {
  if (typeof v !== "object" || v === null) return false;
  if (v.constructor === ObjectCtor) return true;
  return !isArray(v) && (protoOf(v) === objectProto ||
    (!(v instanceof CelUint) && !(v instanceof CelIP) && !(v instanceof CelCIDR) &&
      !(v instanceof CelTimestamp) && !(v instanceof CelDuration) && !(v instanceof CelMap) && !(v instanceof CelBytes) &&
      !(v instanceof CelType)));
}

/** inherited reports whether plain objects inherit a property named k. */
export function inherited(k) {
  return k in objectProto;
}

/** typeName names the CEL type of a runtime value, for error messages. */
export function typeName(v) {
  switch (typeof v) {
    case "boolean": return "bool";
    case "bigint": return "int";
    case "number": return "double";
    case "string": return "string";
    case "undefined": return "map";
  }
  if (v === null) return "null_type";
  if (Array.isArray(v)) return "list";
  if (v instanceof CelUint) return "uint";
  if (v instanceof CelIP) return "net.IP";
  if (v instanceof CelCIDR) return "net.CIDR";
  if (v instanceof CelTimestamp) return "google.protobuf.Timestamp";
  if (v instanceof CelDuration) return "google.protobuf.Duration";
  if (v instanceof CelBytes) return "bytes";
  if (v instanceof CelType) return "type";
  return "map";
}

export function noSuchOverload(fn, ...args) {
  return new CelError("no such overload: " + fn + "(" + args.map(typeName).join(", ") + ")");
}

/** type_of is type(v): the type of a value, by name. */
export function type_of(v) {
  return new CelType(typeName(v));
}

/** type_value is a type denotation (int, list, google.protobuf.Duration...). */
export function type_value(name) {
  return new CelType(name);
}

export function uint(v) {
  return new CelUint(v);
}

/** hasOwn reports whether object o has its own property k (never the prototype's). */
export const hasOwn = Object.hasOwn;

/** own reports whether plain object o has its own property k (never the prototype's). */
export function own(o, k) {
  return hasOwn(o, k);
}

/** keys lists the own enumerable string keys of a map value. */
export function keys(m) {
  return Object.keys(m);
}

/** bool checks that a value used as a condition is a CEL bool. */
export function bool(v) {
  if (typeof v !== "boolean") throw noSuchOverload("_?_:_", v);
  return v;
}

// Guards check a dyn operand against the parameter type of the overload
// the checker chose, as cel-go's dispatcher does at run time.
function guard(ok, v) {
  if (!ok) throw noSuchOverload("function", v);
  return v;
}
export function guard_string(v) { return guard(typeof v === "string", v); }
export function guard_bool(v) { return guard(typeof v === "boolean", v); }
export function guard_int(v) { return guard(typeof v === "bigint", v); }
export function guard_double(v) { return guard(typeof v === "number", v); }
export function guard_uint(v) { return guard(v instanceof CelUint, v); }
export function guard_list(v) { return guard(Array.isArray(v), v); }
export function guard_map(v) { return guard(isPlainObject(v) || v instanceof CelMap, v); }
export function guard_ip(v) { return guard(v instanceof CelIP, v); }
export function guard_cidr(v) { return guard(v instanceof CelCIDR, v); }
export function guard_timestamp(v) { return guard(v instanceof CelTimestamp, v); }
export function guard_duration(v) { return guard(v instanceof CelDuration, v); }
export function guard_bytes(v) { return guard(v instanceof CelBytes, v); }
