// Logical operators and comprehension macros with CEL's error absorption:
// `true || error` is true, `false && error` is false, and errors elsewhere
// propagate. Operands arrive as thunks (functions of no arguments) so that
// an error in either side can be caught and weighed against the other.
import { CelError, noSuchOverload, isPlainObject, keys } from "./core.js";

/**
 * caught returns a CelError thrown by an operand, to be weighed against the
 * other operand; anything else is not CEL's and propagates.
 */
export function caught(e) {
  if (e instanceof CelError) return e;
  throw e;
}

// weigh decides || (when `short` is true) and && (when it is false) from
// the outcomes of both operands, values or caught CelErrors, when the left
// one did not already decide.
function weigh(name, short, va, vb) {
  if (vb === short) return short;
  if (va instanceof CelError) throw va;
  if (va !== !short) throw noSuchOverload(name, va);
  if (vb instanceof CelError) throw vb;
  if (vb !== !short) throw noSuchOverload(name, va, vb);
  return !short;
}

// absorb implements || (when `short` is true) and && (when it is false).
function absorb(name, short, a, b) {
  let va;
  try {
    va = a();
  } catch (e) {
    va = caught(e);
  }
  if (va === short) return short;
  let vb;
  try {
    vb = b();
  } catch (e) {
    vb = caught(e);
  }
  return weigh(name, short, va, vb);
}

/** and_values is && from both operands' outcomes; the left one is not false. */
export function and_values(va, vb) { return weigh("_&&_", false, va, vb); }

/** or_values is || from both operands' outcomes; the left one is not true. */
export function or_values(va, vb) { return weigh("_||_", true, va, vb); }

export function logical_or(a, b) { return absorb("_||_", true, a, b); }
export function logical_and(a, b) { return absorb("_&&_", false, a, b); }

export function logical_not(a) {
  if (typeof a !== "boolean") throw noSuchOverload("!_", a);
  return !a;
}

// range returns what a comprehension iterates: list elements or map keys.
function range(r) {
  if (Array.isArray(r)) return r;
  if (isPlainObject(r)) return keys(r);
  throw new CelError("expression does not evaluate to a list or map: " + typeof r);
}

function quantify(name, short, r, pred) {
  let err = null;
  const xs = range(r);
  for (let i = 0; i < xs.length; i++) {
    let v;
    try {
      v = pred(xs[i]);
    } catch (e) {
      v = caught(e);
    }
    if (v === short) return short;
    if (v instanceof CelError) err = err || v;
    else if (v !== !short) err = err || noSuchOverload(name, v);
  }
  if (err) throw err;
  return !short;
}

/** exists is the exists(x, p) macro: true if p holds for some element. */
export function exists(r, pred) { return quantify("exists", true, r, pred); }

/** all is the all(x, p) macro: true if p holds for every element. */
export function all(r, pred) { return quantify("all", false, r, pred); }

/** exists_one is true if p holds for exactly one element; errors propagate. */
export function exists_one(r, pred) {
  let n = 0;
  const xs = range(r);
  for (let i = 0; i < xs.length; i++) {
    const v = pred(xs[i]);
    if (v === true) n++;
    else if (v !== false) throw noSuchOverload("exists_one", v);
  }
  return n === 1;
}

/** map is the map(x, f) and map(x, p, f) macro (filter null for the 2-ary form). */
export function map(r, f, filter) {
  const out = [];
  for (const x of range(r)) {
    if (filter !== undefined && !predicate(filter(x))) continue;
    out.push(f(x));
  }
  return out;
}

/** filter is the filter(x, p) macro. */
export function filter(r, p) {
  const out = [];
  for (const x of range(r)) if (predicate(p(x))) out.push(x);
  return out;
}

function predicate(v) {
  if (typeof v !== "boolean") throw noSuchOverload("filter", v);
  return v;
}
