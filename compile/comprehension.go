package compile

import (
	"fmt"

	"cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/types"
)

// comprehension recognises the expansions of CEL's macros (all, exists,
// exists_one, map, filter) and emits the runtime helper that implements
// each with CEL's error rules. Any other comprehension is rejected.
func (t *translator) comprehension(e ast.Expr) (jsExpr, error) {
	c := e.AsComprehension()
	if c.HasIterVar2() {
		return jsExpr{}, t.fail(e, "two-variable comprehensions are not supported")
	}
	kind, parts := macroShape(c)
	if kind == "" {
		return jsExpr{}, t.fail(e, "this comprehension is not one of the supported macros (all, exists, exists_one, map, filter)")
	}
	rng, err := t.expr(c.IterRange())
	if err != nil {
		return jsExpr{}, err
	}
	v := fmt.Sprintf("v%d", t.next)
	t.next++
	t.scope = append(t.scope, scopeVar{cel: c.IterVar(), js: v, path: t.path(c.IterRange()) + "[]"})
	defer func() { t.scope = t.scope[:len(t.scope)-1] }()
	fns := make([]jsExpr, len(parts))
	for i, p := range parts {
		body, err := t.expr(p)
		if err != nil {
			return jsExpr{}, err
		}
		fns[i] = jsExpr{text: "(" + v + ") => " + arrowBody(body), prec: precArrow}
	}
	switch kind {
	case "map":
		return call("rt.map", rng, fns[0]), nil
	case "map_filter":
		return call("rt.map", rng, fns[1], fns[0]), nil
	}
	return call("rt."+kind, rng, fns[0]), nil
}

// macroShape matches the comprehension against cel-go's macro expansions
// (parser/macro.go) and returns the macro and its predicate/transform.
// For map_filter, parts are the filter then the transform.
func macroShape(c ast.ComprehensionExpr) (string, []ast.Expr) {
	accu := c.AccuVar()
	isAccu := func(e ast.Expr) bool { return e.Kind() == ast.IdentKind && e.AsIdent() == accu }
	step := c.LoopStep()
	if step.Kind() != ast.CallKind {
		return "", nil
	}
	sc := step.AsCall()
	init := c.AccuInit()
	switch sc.FunctionName() {
	case "_||_", "_&&_":
		if isAccu(sc.Args()[0]) && isAccu(c.Result()) && isBoolLit(init, sc.FunctionName() == "_&&_") {
			if sc.FunctionName() == "_||_" {
				return "exists", sc.Args()[1:]
			}
			return "all", sc.Args()[1:]
		}
	case "_+_":
		if isAccu(sc.Args()[0]) && isAccu(c.Result()) && isEmptyList(init) {
			if f, ok := singleton(sc.Args()[1]); ok {
				return "map", []ast.Expr{f}
			}
		}
	case "_?_:_":
		pred, then, els := sc.Args()[0], sc.Args()[1], sc.Args()[2]
		if !isAccu(els) || then.Kind() != ast.CallKind || then.AsCall().FunctionName() != "_+_" ||
			!isAccu(then.AsCall().Args()[0]) {
			return "", nil
		}
		added := then.AsCall().Args()[1]
		if isIntLit(init, 0) && isIntLit(added, 1) && isCountOne(c.Result(), accu) {
			return "exists_one", []ast.Expr{pred}
		}
		if f, ok := singleton(added); ok && isEmptyList(init) && isAccu(c.Result()) {
			if f.Kind() == ast.IdentKind && f.AsIdent() == c.IterVar() {
				return "filter", []ast.Expr{pred}
			}
			return "map_filter", []ast.Expr{pred, f}
		}
	}
	return "", nil
}

func isBoolLit(e ast.Expr, want bool) bool {
	if e.Kind() != ast.LiteralKind {
		return false
	}
	b, ok := e.AsLiteral().(types.Bool)
	return ok && bool(b) == want
}

func isIntLit(e ast.Expr, want int64) bool {
	if e.Kind() != ast.LiteralKind {
		return false
	}
	i, ok := e.AsLiteral().(types.Int)
	return ok && int64(i) == want
}

func isEmptyList(e ast.Expr) bool { return e.Kind() == ast.ListKind && e.AsList().Size() == 0 }

func singleton(e ast.Expr) (ast.Expr, bool) {
	if e.Kind() != ast.ListKind || e.AsList().Size() != 1 {
		return nil, false
	}
	return e.AsList().Elements()[0], true
}

func isCountOne(e ast.Expr, accu string) bool {
	if e.Kind() != ast.CallKind || e.AsCall().FunctionName() != "_==_" {
		return false
	}
	a := e.AsCall().Args()
	return a[0].Kind() == ast.IdentKind && a[0].AsIdent() == accu && isIntLit(a[1], 1)
}

// arrowBody is the body of a macro's predicate or transform: the
// expression itself, or a block when it is a CEL && or ||.
func arrowBody(e jsExpr) string {
	if e.logic == nil {
		return e.at(precArrow)
	}
	return "{\n" + body(e) + "\n}"
}
