// size, in, indexing and literals for lists and maps. Maps are plain objects
// with string keys; lookups only ever see own properties, so keys such as
// "__proto__" or "constructor" are ordinary keys.
import { CelError, CelUint, CelMap, CelBytes, keyId, findKey, noSuchOverload, own, keys, isPlainObject } from "./core.js";
import { equals } from "./compare.js";

// SURROGATE finds a UTF-16 surrogate, the only code units that are not a
// code point each.
const SURROGATE = /[\uD800-\uDFFF]/;

/**
 * size_string counts code points, as CEL does: a high surrogate followed
 * by a low one is one code point, any other code unit (a lone surrogate
 * too, which Go decodes as U+FFFD) is one. Most strings have no surrogate
 * and their length is the answer: one regular expression test, where a
 * loop over the string would cost an interpreter a call (and, with
 * for-of, an iterator result object) per character.
 */
export function size_string(s) {
  const n = s.length;
  if (!SURROGATE.test(s)) return BigInt(n);
  let pairs = 0;
  for (let i = 0; i < n - 1; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        pairs++;
        i++;
      }
    }
  }
  return BigInt(n - pairs);
}

export function size_list(l) { return BigInt(l.length); }
export function size_map(m) { return BigInt(m instanceof CelMap ? m.m.size : keys(m).length); }

export function size(v) {
  if (typeof v === "string") return size_string(v);
  if (Array.isArray(v)) return size_list(v);
  if (isPlainObject(v) || v instanceof CelMap) return size_map(v);
  if (v instanceof CelBytes) return BigInt(v.b.length);
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
  if (m instanceof CelMap) return findKey(m, k) !== undefined;
  return typeof k === "string" && own(m, k);
}

export function in_(x, c) {
  if (Array.isArray(c)) return in_list(x, c);
  if (isPlainObject(c) || c instanceof CelMap) return in_map(x, c);
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
  if (m instanceof CelMap) {
    const e = findKey(m, k);
    if (e === undefined) throw new CelError("no such key: " + String(k instanceof CelUint ? k.v : k));
    return e[1];
  }
  if (typeof k !== "string" || !own(m, k)) throw new CelError("no such key: " + String(k instanceof CelUint ? k.v : k));
  return m[k];
}

export function index(c, k) {
  if (Array.isArray(c)) return index_list(c, k);
  if (isPlainObject(c) || c instanceof CelMap) return index_map(c, k);
  throw noSuchOverload("_[_]", c, k);
}

/**
 * map_of builds a map literal from alternating keys and values: a plain
 * object when every key is a string, a CelMap otherwise. A key given twice
 * keeps its last value, as in cel-go (the checker refuses literal keys
 * that repeat).
 */
export function map_of(kv) {
  for (let i = 0; i < kv.length; i += 2) {
    if (typeof kv[i] !== "string") return celmap_of(kv);
  }
  const m = {};
  for (let i = 0; i < kv.length; i += 2) {
    Object.defineProperty(m, kv[i], { value: kv[i + 1], enumerable: true, writable: true, configurable: true });
  }
  return m;
}

function celmap_of(kv) {
  const m = new CelMap();
  for (let i = 0; i < kv.length; i += 2) {
    const id = keyId(kv[i]);
    if (id === null) throw new CelError("unsupported key type");
    const e = m.m.get(id);
    if (e !== undefined) e[1] = kv[i + 1];
    else m.m.set(id, [kv[i], kv[i + 1]]);
  }
  return m;
}

/** map_keys lists a map's keys in order. */
export function map_keys(m) {
  if (m instanceof CelMap) return Array.from(m.m.values(), (e) => e[0]);
  return keys(m);
}

/** map_get is the value under a key map_keys listed. */
export function map_get(m, k) {
  return m instanceof CelMap ? m.m.get(keyId(k))[1] : m[k];
}

/** has_key is has(m.k) on a map: the key is present (even if null). */
export function has_key(m, k) {
  if (m instanceof CelMap) return findKey(m, k) !== undefined;
  if (!isPlainObject(m)) throw new CelError("invalid type for field selection: " + typeof m);
  return own(m, k);
}

/** select is m.k on a value typed dyn: a map lookup. */
export function select(m, k) {
  if (!isPlainObject(m) && !(m instanceof CelMap)) throw new CelError("invalid type for field selection: " + typeof m);
  return index_map(m, k);
}

/**
 * range2 is the range of a two-variable comprehension: a list's indices
 * (ints) and elements, or a map's keys and values.
 */
export function range2(r) {
  if (Array.isArray(r)) return [r.map((_, i) => BigInt(i)), r];
  if (isPlainObject(r) || r instanceof CelMap) {
    const ks = map_keys(r);
    return [ks, ks.map((k) => map_get(r, k))];
  }
  throw new CelError("expression does not evaluate to a list or map: " + typeof r);
}

/** map_insert adds k: v to the map transformMap builds (from a map with string keys); k must be new. */
export function map_insert(m, k, v) {
  if (own(m, k)) throw new CelError("insert failed: key " + k + " already exists");
  Object.defineProperty(m, k, { value: v, enumerable: true, writable: true, configurable: true });
}

/** map_merge adds the entries of the map u, as transformMapEntry does. */
export function map_merge(m, u) {
  if (!isPlainObject(u)) throw noSuchOverload("cel.@mapInsert", m, u);
  for (const k of keys(u)) map_insert(m, k, u[k]);
}
