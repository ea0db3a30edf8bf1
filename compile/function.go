package compile

import (
	"fmt"
	"slices"
	"strings"

	"cel.dev/cel-go/common/ast"
)

// The translator writes each rule as one JavaScript function, and the
// parts of its condition that need statements of their own as functions
// lifted out of it to the module's top level: each macro's loop
// (rule2_exists0), and a CEL && or || whose value an enclosing expression
// uses (rule3_and1). An arrow function in the rule would be a new closure
// at every evaluation, which costs an interpreter such as goja about a
// microsecond; a call of a function declared once costs a tenth of that.
// A lifted function takes the rule function's parameters (event) and the
// macro variables in scope (v0, v1...), the only values a part of a
// condition reads besides module constants.

// function returns the statements of the body of a function that
// computes e, with its locals declared first.
func (t *translator) function(e ast.Expr) (string, error) {
	outer := t.fn
	t.fn = &jsFunc{root: e.ID()}
	defer func() { t.fn = outer }()
	js, err := t.cond(e)
	if err != nil {
		return "", err
	}
	text := t.body(js)
	return t.declarations() + text, nil
}

// declarations declares the current function's locals, if any.
func (t *translator) declarations() string {
	decls := slices.Clip(t.locals[t.fn.root])
	if t.fn.quickUsed {
		decls = append(decls, "fv")
	}
	decls = append(decls, t.fn.vars...)
	if len(decls) == 0 {
		return ""
	}
	return "let " + strings.Join(decls, ", ") + ";\n"
}

// isLogic reports whether e is a CEL && or ||.
func (t *translator) isLogic(e ast.Expr) bool {
	if e.Kind() != ast.CallKind {
		return false
	}
	if ref, ok := t.ast.ReferenceMap()[e.ID()]; ok && ref.Value != nil {
		return false
	}
	fn := e.AsCall().FunctionName()
	return fn == "_&&_" || fn == "_||_"
}

// cond translates e where statements compute its value (outcome): a CEL
// && or || is then a logicExpr of its operands, translated so too,
// rather than a call of a lifted function.
func (t *translator) cond(e ast.Expr) (jsExpr, error) {
	if !t.isLogic(e) {
		return t.expr(e)
	}
	c := e.AsCall()
	ids := t.ast.GetOverloadIDs(e.ID())
	if len(ids) != 1 || !overloadForms[ids[0]].logic {
		return jsExpr{}, t.fail(e, "function %s has no resolved overload", c.FunctionName())
	}
	args := make([]jsExpr, 2)
	for i, a := range c.Args() {
		x, err := t.cond(a)
		if err != nil {
			return jsExpr{}, err
		}
		args[i] = x
	}
	// A dyn operand (never itself an && or ||) must hold a bool.
	args = t.guard(ids[0], c.Args(), args)
	return jsExpr{logic: &logicExpr{or: c.FunctionName() == "_||_", a: args[0], b: args[1]}}, nil
}

// body writes the statements of a function body that returns e's value.
// A CEL && or || becomes two try blocks, so that an error in either
// operand is caught and weighed against the other as CEL does, without
// allocating a thunk per operand: rt.caught keeps a CelError as a value
// and rethrows anything else, and rt.and_values (rt.or_values) decides
// from both outcomes.
func (t *translator) body(e jsExpr) string {
	l := e.logic
	if l == nil {
		return "return " + e.at(precArrow) + ";"
	}
	short, fn := "false", "rt.and_values"
	if l.or {
		short, fn = "true", "rt.or_values"
	}
	t.fn.vars = append(t.fn.vars, "left", "right")
	return t.outcome(l.a, "left") +
		"if (left === " + short + ") return " + short + ";\n" +
		t.outcome(l.b, "right") +
		"return " + weighed(l.or, "left", "right", fn) + ";"
}

// outcome writes statements that set the local v to e's value, or to the
// CelError evaluating it throws. An && or || nested in another is its
// left operand's outcome in v, then, unless that decides it, its right
// operand's in a local of its own, weighed by rt.and_outcome
// (rt.or_outcome), which decide as rt.and_values (rt.or_values) do but
// return the error rather than throw it: the same result and error as
// the operator's own evaluation, in the same order.
func (t *translator) outcome(e jsExpr, v string) string {
	l := e.logic
	if l == nil {
		return "try { " + v + " = " + e.at(precArrow) + "; } catch (e) { " + v + " = rt.caught(e); }\n"
	}
	short, fn := "false", "rt.and_outcome"
	if l.or {
		short, fn = "true", "rt.or_outcome"
	}
	t.fn.nested++
	r := fmt.Sprintf("right%d", t.fn.nested)
	t.fn.vars = append(t.fn.vars, r)
	return t.outcome(l.a, v) +
		"if (" + v + " !== " + short + ") {\n" +
		t.outcome(l.b, r) +
		v + " = " + weighed(l.or, v, r, fn) + ";\n}\n"
}

// weighed is the value of an && (||, when or is set) from the outcomes
// of its operands, the left one not false (true): the right one when the
// left is true (false) and the right a bool, as the helper fn would
// decide with a call, and fn's result otherwise.
func weighed(or bool, left, right, fn string) string {
	other := "true"
	if or {
		other = "false"
	}
	return left + " === " + other + " && typeof " + right + ` === "boolean" ? ` + right + " : " + fn + "(" + left + ", " + right + ")"
}

// liftName reserves the name of a lifted function and its place in
// t.lifted, in the order the translation meets them.
func (t *translator) liftName(kind string) (string, int) {
	n := len(t.lifted)
	t.lifted = append(t.lifted, "")
	return fmt.Sprintf("%s_%s%d", t.name, kind, n), n
}

// liftParams are the parameters of a function lifted here: the outermost
// function's, then the macro variables in scope.
func (t *translator) liftParams() []string {
	ps := append([]string(nil), t.args...)
	for _, v := range t.scope {
		ps = append(ps, v.js)
	}
	return ps
}

// liftCall calls a lifted function with its first arguments and the
// values of its parameters here.
func liftCall(name string, first []jsExpr, params []string) jsExpr {
	args := append([]jsExpr(nil), first...)
	for _, p := range params {
		args = append(args, primary(p))
	}
	return call(name, args...)
}

// liftLogic writes a CEL && or || whose value an expression uses as a
// function of its own, whose body computes it with statements (body),
// and returns its call.
func (t *translator) liftLogic(e ast.Expr) (jsExpr, error) {
	kind := "and"
	if e.AsCall().FunctionName() == "_||_" {
		kind = "or"
	}
	name, slot := t.liftName(kind)
	params := t.liftParams()
	text, err := t.function(e)
	if err != nil {
		return jsExpr{}, err
	}
	t.lifted[slot] = "function " + name + "(" + strings.Join(params, ", ") + ") {\n" + text + "\n}"
	return liftCall(name, nil, params), nil
}
