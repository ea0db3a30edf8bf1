// Typed reads of event fields, following docs/semantics.md: an absent or
// null field reads as its type's zero value, and a present value of the
// wrong JSON type is an error naming the field's path. Event objects stay
// the plain objects of the event; an absent object is `undefined`.
import { CelError, own, isPlainObject } from "./core.js";

const EMPTY = Object.freeze({});

function jsonType(v) {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  return typeof v;
}

function wrong(path, want, v) {
  return new CelError(path + ": expected " + want + ", got " + jsonType(v));
}

// get returns field k of event object o, or undefined when absent or null.
function get(o, k) {
  if (o === undefined || !own(o, k)) return undefined;
  const v = o[k];
  return v === null ? undefined : v;
}

/** root checks the event itself: an object, or nothing at all. */
export function root(ev) {
  if (ev === undefined || ev === null) return undefined;
  if (!isPlainObject(ev)) throw wrong("event", "object", ev);
  return ev;
}

export function has_field(o, k) {
  return get(o, k) !== undefined;
}

export function f_object(o, k, path) {
  const v = get(o, k);
  if (v !== undefined && !isPlainObject(v)) throw wrong(path, "object", v);
  return v;
}

export function f_string(o, k, path) {
  const v = get(o, k);
  if (v === undefined) return "";
  if (typeof v !== "string") throw wrong(path, "string", v);
  return v;
}

export function f_bool(o, k, path) {
  const v = get(o, k);
  if (v === undefined) return false;
  if (typeof v !== "boolean") throw wrong(path, "boolean", v);
  return v;
}

export function f_int(o, k, path) {
  const v = get(o, k);
  if (v === undefined) return 0n;
  if (typeof v !== "number" || !Number.isInteger(v) ||
      v < -9223372036854775808 || v >= 9223372036854775808) {
    throw wrong(path, "integer", v);
  }
  return BigInt(v);
}

export function f_double(o, k, path) {
  const v = get(o, k);
  if (v === undefined) return 0;
  if (typeof v !== "number") throw wrong(path, "number", v);
  return v;
}

export function f_list_string(o, k, path) {
  const v = get(o, k);
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw wrong(path, "array", v);
  for (const e of v) if (typeof e !== "string") throw wrong(path + "[]", "string", e);
  return v;
}

export function f_list_object(o, k, path) {
  const v = get(o, k);
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw wrong(path, "array", v);
  for (const e of v) if (!isPlainObject(e)) throw wrong(path + "[]", "object", e);
  return v;
}

export function f_map_string(o, k, path) {
  const v = get(o, k);
  if (v === undefined) return EMPTY;
  if (!isPlainObject(v)) throw wrong(path, "object", v);
  for (const key of Object.keys(v)) {
    if (typeof v[key] !== "string") throw wrong(path + "." + key, "string", v[key]);
  }
  return v;
}

export function f_map_dyn(o, k, path) {
  const v = get(o, k);
  if (v === undefined) return EMPTY;
  if (!isPlainObject(v)) throw wrong(path, "object", v);
  return v;
}
