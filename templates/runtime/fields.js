// Typed reads of event fields, following docs/semantics.md: an absent or
// null field reads as its type's zero value, and a present value of the
// wrong JSON type is an error naming the field's path. Event objects stay
// the plain objects of the event; an absent object is `undefined`.
//
// A read names the fields from an event object down to the one it wants,
// read_string(event, "request.geoip.countryCode"), and applies the rules at
// every step: each object on the way must be a JSON object, and an absent
// or null one makes everything below it absent. The compiler writes paths
// from the event schema only, never from policy text. The optional base
// names the starting object in error messages
// ("event.user.enrolledFactors[]"); without it the start is the event
// itself, which must be an object or nothing.
import { CelError, ObjectCtor, hasOwn, inherited, isPlainObject } from "./core.js";

const EMPTY = Object.freeze({});

function jsonType(v) {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  return typeof v;
}

function wrong(path, want, v) {
  return new CelError(path + ": expected " + want + ", got " + jsonType(v));
}

/** root checks the event itself: an object, or nothing at all. */
export function root(ev) {
  if (ev === undefined || ev === null) return undefined;
  if (!isPlainObject(ev)) throw wrong("event", "object", ev);
  return ev;
}

// name is the full path of a field for error messages.
function name(base, path) {
  return (base === undefined ? "event" : base) + "." + path;
}

// steps splits a path into its field names once, and notes which of them
// need an own-property test: the compiler writes a fixed set of paths, so
// the table stays small. The table has no prototype, so any path is an
// ordinary key of it.
const steps = Object.create(null);

function split(path) {
  let s = steps[path];
  if (s === undefined) {
    const ks = path.split(".");
    s = { ks, own: ks.map(inherited) };
    steps[path] = s;
  }
  return s;
}

// lookup returns the value at the dotted path under o, or undefined when
// it, or any object on the way to it, is absent or null. A field is read
// only when it is o's own property. Event objects are JSON data, whose
// prototype is Object.prototype, and nothing adds to Object.prototype, so
// a name Object.prototype does not have ("request", "ip") is read directly;
// a name it has ("constructor", "toString", "__proto__") is read only after
// an own-property test.
function lookup(o, path, base) {
  if (o === undefined || o === null) return undefined;
  // The tests "o.constructor !== ObjectCtor && !isPlainObject(o)" are
  // isPlainObject's own first answer, written out to save a call per step.
  if (base === undefined && (typeof o !== "object" || o.constructor !== ObjectCtor && !isPlainObject(o))) {
    throw wrong("event", "object", o);
  }
  const { ks, own } = split(path);
  const last = ks.length - 1;
  for (let i = 0; ; i++) {
    const k = ks[i];
    const v = own[i] ? (hasOwn(o, k) ? o[k] : undefined) : o[k];
    if (v === undefined || v === null) return undefined;
    if (i === last) return v;
    if (typeof v !== "object" || v.constructor !== ObjectCtor && !isPlainObject(v)) {
      throw wrong(name(base, ks.slice(0, i + 1).join(".")), "object", v);
    }
    o = v;
  }
}

/** has_field is has(x.f) on an event object: f is present and not null. */
export function has_field(o, path, base) {
  return lookup(o, path, base) !== undefined;
}

export function read_object(o, path, base) {
  const v = lookup(o, path, base);
  if (v !== undefined && !isPlainObject(v)) throw wrong(name(base, path), "object", v);
  return v;
}

export function read_string(o, path, base) {
  const v = lookup(o, path, base);
  if (v === undefined) return "";
  if (typeof v !== "string") throw wrong(name(base, path), "string", v);
  return v;
}

export function read_bool(o, path, base) {
  const v = lookup(o, path, base);
  if (v === undefined) return false;
  if (typeof v !== "boolean") throw wrong(name(base, path), "boolean", v);
  return v;
}

export function read_int(o, path, base) {
  const v = lookup(o, path, base);
  if (v === undefined) return 0n;
  if (typeof v !== "number" || !Number.isInteger(v) ||
      v < -9223372036854775808 || v >= 9223372036854775808) {
    throw wrong(name(base, path), "integer", v);
  }
  return BigInt(v);
}

export function read_double(o, path, base) {
  const v = lookup(o, path, base);
  if (v === undefined) return 0;
  if (typeof v !== "number") throw wrong(name(base, path), "number", v);
  return v;
}

export function read_list_string(o, path, base) {
  const v = lookup(o, path, base);
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw wrong(name(base, path), "array", v);
  return list_string(v, path, base);
}

/** list_string checks that the array v read at path holds strings only. */
export function list_string(v, path, base) {
  for (let i = 0; i < v.length; i++) {
    if (typeof v[i] !== "string") throw wrong(name(base, path) + "[]", "string", v[i]);
  }
  return v;
}

export function read_list_object(o, path, base) {
  const v = lookup(o, path, base);
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw wrong(name(base, path), "array", v);
  return list_object(v, path, base);
}

/** list_object checks that the array v read at path holds objects only. */
export function list_object(v, path, base) {
  for (let i = 0; i < v.length; i++) {
    if (!isPlainObject(v[i])) throw wrong(name(base, path) + "[]", "object", v[i]);
  }
  return v;
}

export function read_map_string(o, path, base) {
  const v = lookup(o, path, base);
  if (v === undefined) return EMPTY;
  if (!isPlainObject(v)) throw wrong(name(base, path), "object", v);
  for (const key of Object.keys(v)) {
    if (typeof v[key] !== "string") throw wrong(name(base, path) + "." + key, "string", v[key]);
  }
  return v;
}

export function read_map_dyn(o, path, base) {
  const v = lookup(o, path, base);
  if (v === undefined) return EMPTY;
  if (!isPlainObject(v)) throw wrong(name(base, path), "object", v);
  return v;
}
