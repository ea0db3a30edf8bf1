// Logical operators and the pieces of comprehension macros with CEL's
// error absorption: `true || error` is true, `false && error` is false, and
// errors elsewhere propagate. The compiler writes && and || as two try
// blocks whose outcomes, values or caught errors, and_values and or_values
// weigh, and each macro as a loop in a function of its own (compile's
// comprehension.go).
import { CelError, CelMap, noSuchOverload, isPlainObject, keys } from "./core.js";

/**
 * caught returns a CelError thrown by an operand, to be weighed against the
 * other operand; anything else is not CEL's and propagates.
 */
export function caught(e) {
  if (e instanceof CelError) return e;
  throw e;
}

// outcome decides || (when `short` is true) and && (when it is false)
// from the outcomes of both operands, values or caught CelErrors, when the
// left one did not already decide: a bool, or the CelError that is the
// result.
function outcome(name, short, va, vb) {
  if (vb === short) return short;
  if (va instanceof CelError) return va;
  if (va !== !short) return noSuchOverload(name, va);
  if (vb instanceof CelError) return vb;
  if (vb !== !short) return noSuchOverload(name, va, vb);
  return !short;
}

/** and_values is && from both operands' outcomes; the left one is not false. */
export function and_values(va, vb) {
  const v = outcome("_&&_", false, va, vb);
  if (typeof v !== "boolean") throw v;
  return v;
}

/** or_values is || from both operands' outcomes; the left one is not true. */
export function or_values(va, vb) {
  const v = outcome("_||_", true, va, vb);
  if (typeof v !== "boolean") throw v;
  return v;
}

/** and_outcome is and_values returning, not throwing, the CelError that is the result. */
export function and_outcome(va, vb) { return outcome("_&&_", false, va, vb); }

/** or_outcome is or_values returning, not throwing, the CelError that is the result. */
export function or_outcome(va, vb) { return outcome("_||_", true, va, vb); }

export function logical_not(a) {
  if (typeof a !== "boolean") throw noSuchOverload("!_", a);
  return !a;
}

/** range returns what a comprehension iterates: list elements or map keys. */
export function range(r) {
  if (Array.isArray(r)) return r;
  if (isPlainObject(r)) return keys(r);
  if (r instanceof CelMap) return Array.from(r.m.values(), (e) => e[0]);
  throw new CelError("expression does not evaluate to a list or map: " + typeof r);
}

/**
 * predicate_error is the error of a macro whose predicate gave v, neither
 * true nor false, for an element: v itself when it is a caught CelError,
 * otherwise no such overload. exists and all keep the first one as their
 * result unless an element decides; exists_one and filter throw it.
 */
export function predicate_error(macro, v) {
  return v instanceof CelError ? v : noSuchOverload(macro, v);
}
