// size, in, indexing and literals for lists and maps. Maps are plain objects
// with string keys; lookups only ever see own properties, so keys such as
// "__proto__" or "constructor" are ordinary keys.
import { CelError, CelUint, noSuchOverload, own, keys, isPlainObject } from "./core.js";
import { equals } from "./compare.js";

/** size_string counts code points, as CEL does. */
export function size_string(s) {
  let n = 0;
  for (const _ of s) n++;
  return BigInt(n);
}

export function size_list(l) { return BigInt(l.length); }
export function size_map(m) { return BigInt(keys(m).length); }

export function size(v) {
  if (typeof v === "string") return size_string(v);
  if (Array.isArray(v)) return size_list(v);
  if (isPlainObject(v)) return size_map(v);
  throw noSuchOverload("size", v);
}

export function in_list(x, l) {
  // For a string or bool needle, CEL's equality is includes()'s: no other
  // type equals a string or a bool.
  if (typeof x === "string" || typeof x === "boolean") return l.includes(x);
  for (let i = 0; i < l.length; i++) if (equals(x, l[i])) return true;
  return false;
}

export function in_map(k, m) {
  return typeof k === "string" && own(m, k);
}

export function in_(x, c) {
  if (Array.isArray(c)) return in_list(x, c);
  if (isPlainObject(c)) return in_map(x, c);
  throw noSuchOverload("@in", x, c);
}

function listIndex(i) {
  if (typeof i === "bigint") return i;
  if (i instanceof CelUint) return i.v;
  if (typeof i === "number" && Number.isInteger(i)) return BigInt(i);
  throw new CelError("unsupported index type '" + typeof i + "' in list");
}

export function index_list(l, i) {
  const n = listIndex(i);
  if (n < 0n || n >= BigInt(l.length)) {
    throw new CelError("index '" + n + "' out of range in list size '" + l.length + "'");
  }
  return l[Number(n)];
}

export function index_map(m, k) {
  if (typeof k !== "string" || !own(m, k)) throw new CelError("no such key: " + String(k));
  return m[k];
}

export function index(c, k) {
  if (Array.isArray(c)) return index_list(c, k);
  if (isPlainObject(c)) return index_map(c, k);
  throw noSuchOverload("_[_]", c, k);
}

/** map_of builds a map literal from alternating keys and values. */
export function map_of(kv) {
  const m = {};
  for (let i = 0; i < kv.length; i += 2) {
    const k = kv[i];
    if (typeof k !== "string") throw new CelError("unsupported map key type: " + typeof k);
    if (own(m, k)) throw new CelError("Failed with repeated key");
    Object.defineProperty(m, k, { value: kv[i + 1], enumerable: true, writable: true, configurable: true });
  }
  return m;
}

/** has_key is has(m.k) on a map: the key is present (even if null). */
export function has_key(m, k) {
  if (!isPlainObject(m)) throw new CelError("invalid type for field selection: " + typeof m);
  return own(m, k);
}

/** select is m.k on a value typed dyn: a map lookup. */
export function select(m, k) {
  if (!isPlainObject(m)) throw new CelError("invalid type for field selection: " + typeof m);
  return index_map(m, k);
}

/**
 * range2 is the range of a two-variable comprehension: a list's indices
 * (ints) and elements, or a map's keys and values.
 */
export function range2(r) {
  if (Array.isArray(r)) return [r.map((_, i) => BigInt(i)), r];
  if (isPlainObject(r)) {
    const ks = keys(r);
    return [ks, ks.map((k) => r[k])];
  }
  throw new CelError("expression does not evaluate to a list or map: " + typeof r);
}

/** map_insert adds k: v to the map transformMap builds; k must be new. */
export function map_insert(m, k, v) {
  if (own(m, k)) throw new CelError("insert failed: key " + k + " already exists");
  Object.defineProperty(m, k, { value: v, enumerable: true, writable: true, configurable: true });
}

/** map_merge adds the entries of the map u, as transformMapEntry does. */
export function map_merge(m, u) {
  if (!isPlainObject(u)) throw noSuchOverload("cel.@mapInsert", m, u);
  for (const k of keys(u)) map_insert(m, k, u[k]);
}
