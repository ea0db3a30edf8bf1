package compile

import (
	"fmt"
	"strings"

	"cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/types"
)

// comprehension recognises the expansions of CEL's macros (all, exists,
// exists_one, map, filter, and the two-variable all, exists, existsOne,
// transformList, transformMap and transformMapEntry of cel-go's
// ext.TwoVarComprehensions) and writes each as a loop in a lifted function
// (function.go), called with the range's value: rule2_exists0(list3, event).
// Any other comprehension is rejected.
func (t *translator) comprehension(e ast.Expr) (jsExpr, error) {
	c := e.AsComprehension()
	kind, parts := macroShape(c)
	if kind == "" {
		return jsExpr{}, t.fail(e, "this comprehension is not one of the supported macros (all, exists, exists_one, map, filter, transformList, transformMap, transformMapEntry)")
	}
	if strings.HasPrefix(kind, "transform_map") && t.typeOf(c.IterRange()).Kind() != types.MapKind {
		return jsExpr{}, t.fail(e, "transformMap and transformMapEntry are supported over maps: over a list, the result's keys would be ints, and maps have string keys")
	}
	rng, err := t.expr(c.IterRange())
	if err != nil {
		return jsExpr{}, err
	}
	name, slot := t.liftName(strings.TrimSuffix(kind, "_filter"))
	params := t.liftParams()
	outer := t.fn
	t.fn = &jsFunc{root: e.ID()}
	defer func() { t.fn = outer }()
	v := fmt.Sprintf("v%d", t.next)
	t.next++
	head := "const xs = rt.range(items);\n"
	bind := "const " + v + " = xs[i];\n"
	path := t.path(c.IterRange()) + "[]"
	if c.HasIterVar2() {
		// The first variable is a list's index or a map's key, the second
		// the element or the value.
		v2 := fmt.Sprintf("v%d", t.next)
		t.next++
		head = "const [xs, ys] = rt.range2(items);\n"
		bind += "const " + v2 + " = ys[i];\n"
		t.scope = append(t.scope, scopeVar{cel: c.IterVar2(), js: v2, path: "value"})
		defer func() { t.scope = t.scope[:len(t.scope)-1] }()
		path = "value"
	}
	t.scope = append(t.scope, scopeVar{cel: c.IterVar(), js: v, path: path})
	defer func() { t.scope = t.scope[:len(t.scope)-1] }()
	text, err := t.loop(kind, head, bind, v, parts)
	if err != nil {
		return jsExpr{}, err
	}
	t.lifted[slot] = "function " + name + "(" + strings.Join(append([]string{"items"}, params...), ", ") + ") {\n" +
		t.declarations() + text + "\n}"
	return t.addressRanges(e, rng, liftCall(name, []jsExpr{rng}, params), outer), nil
}

// loop writes the body of a macro's function: a loop over its range
// (list elements or map keys, rt.range) that binds each to v and
// evaluates the macro's parts, with CEL's rules for errors and values:
//
//   - exists and all absorb errors as || and && do: an element for which
//     the predicate is true (false for all) decides, even after an error;
//     otherwise the first error, or no such overload for the first value
//     that is not a bool, is the result (rt.predicate_error);
//   - exists_one counts the elements whose predicate is true, and an
//     error or a value that is not a bool ends it at once;
//   - map and filter collect in order, and an error or a filter value
//     that is not a bool ends them at once.
//
// A predicate's value or error goes into the local ok (outcome).
//
// transformMap and transformMapEntry build a map (rt.map_insert,
// rt.map_merge: a key already present is an error), optionally filtered.
func (t *translator) loop(kind, head, bind, v string, parts []ast.Expr) (string, error) {
	each := head
	switch kind {
	case "exists", "all":
		each += "let err = null;\n"
	case "exists_one":
		each += "let n = 0;\n"
	case "transform_map", "transform_map_filter", "transform_map_entry", "transform_map_entry_filter":
		each += "const out = {};\n"
	default:
		each += "const out = [];\n"
	}
	each += "for (let i = 0; i < xs.length; i++) {\n" + bind
	switch kind {
	case "map":
		f, err := t.expr(parts[0])
		if err != nil {
			return "", err
		}
		return each + "out.push(" + f.at(precArrow) + ");\n}\nreturn out;", nil
	case "transform_map", "transform_map_entry":
		f, err := t.expr(parts[0])
		if err != nil {
			return "", err
		}
		return each + mapInsert(kind, v, f) + "}\nreturn out;", nil
	}
	pred, err := t.cond(parts[0])
	if err != nil {
		return "", err
	}
	t.fn.vars = append(t.fn.vars, "ok")
	each += t.outcome(pred, "ok")
	switch kind {
	case "exists", "all":
		short, long := "true", "false"
		if kind == "all" {
			short, long = long, short
		}
		return each + "if (ok === " + short + ") return " + short + ";\n" +
			"if (ok !== " + long + ") err ??= rt.predicate_error(\"" + kind + "\", ok);\n}\n" +
			"if (err !== null) throw err;\nreturn " + long + ";", nil
	case "exists_one":
		return each + "if (ok === true) n++;\n" + notBool("exists_one") + "}\nreturn n === 1;", nil
	}
	switch kind {
	case "transform_map_filter", "transform_map_entry_filter":
		f, err := t.expr(parts[1])
		if err != nil {
			return "", err
		}
		return each + "if (ok === true) " + mapInsert(strings.TrimSuffix(kind, "_filter"), v, f) + notBool("transformMap") + "}\nreturn out;", nil
	}
	keep := v // filter: the element (the first variable)
	if kind == "map_filter" {
		f, err := t.expr(parts[1])
		if err != nil {
			return "", err
		}
		keep = f.at(precArrow)
	}
	return each + "if (ok === true) out.push(" + keep + ");\n" + notBool("filter") + "}\nreturn out;", nil
}

// mapInsert is the statement that adds a transformMap's value f under the
// current key k, or merges a transformMapEntry's map f, into out.
func mapInsert(kind, k string, f jsExpr) string {
	if kind == "transform_map_entry" {
		return "rt.map_merge(out, " + f.at(precArrow) + ");\n"
	}
	return "rt.map_insert(out, " + k + ", " + f.at(precArrow) + ");\n"
}

// notBool ends a macro whose predicate's outcome ok is an error or not a
// bool, after a test of ok === true.
func notBool(macro string) string {
	return "else if (ok !== false) throw rt.predicate_error(\"" + macro + "\", ok);\n"
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
	case "cel.@mapInsert":
		if isAccu(sc.Args()[0]) && isAccu(c.Result()) && isEmptyMap(init) {
			return mapInsertShape(sc, c.IterVar())
		}
	case "_?_:_":
		pred, then, els := sc.Args()[0], sc.Args()[1], sc.Args()[2]
		if isAccu(els) && then.Kind() == ast.CallKind && then.AsCall().FunctionName() == "cel.@mapInsert" &&
			isAccu(then.AsCall().Args()[0]) && isAccu(c.Result()) && isEmptyMap(init) {
			kind, parts := mapInsertShape(then.AsCall(), c.IterVar())
			if kind == "" {
				return "", nil
			}
			return kind + "_filter", append([]ast.Expr{pred}, parts...)
		}
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

// mapInsertShape matches transformMap's step, cel.@mapInsert(accu, k, f)
// with k the first variable, and transformMapEntry's, cel.@mapInsert(accu, f).
func mapInsertShape(call ast.CallExpr, key string) (string, []ast.Expr) {
	args := call.Args()
	switch len(args) {
	case 3:
		if args[1].Kind() == ast.IdentKind && args[1].AsIdent() == key {
			return "transform_map", []ast.Expr{args[2]}
		}
	case 2:
		return "transform_map_entry", []ast.Expr{args[1]}
	}
	return "", nil
}

func isEmptyMap(e ast.Expr) bool { return e.Kind() == ast.MapKind && len(e.AsMap().Entries()) == 0 }

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

// addressRanges puts a fast path before a quantifier over constant address
// ranges that the evaluator decides from the address alone
// (policy.AddressRanges), such as
//
//	lists.office_ranges.exists(r, isIP(event.request.ip) && cidr(r).containsIP(event.request.ip))
//
// which becomes
//
//	((fv = event?.request?.ip, typeof fv === "string" ? rt.cidr_exists(cidrs0, fv) : void 0) ?? rule4_exists0(list3, event))
//
// The address is parsed once and compared with ranges parsed when the
// module loads, instead of a parse of each range and two lookups of the
// address per range. rt.cidr_exists answers only for a string that is an
// address and ranges that all parse, where every step of the quantifier
// is a plain true or false and its answer is whether one range holds the
// address; anything else (not a string, not an address: false, or an
// error, as written) is left to the quantifier, which then reads and
// decides as before. rng is the quantifier's range, loop its call and fn
// the function the call is in.
func (t *translator) addressRanges(e ast.Expr, rng, loop jsExpr, fn *jsFunc) jsExpr {
	if !t.quick || t.mod.ranges == nil || rng.logic != nil || !moduleConst.MatchString(rng.text) {
		return loop
	}
	path, ok := t.mod.ranges(t.ast, e)
	if !ok {
		return loop
	}
	root, ok := t.roots["event"]
	if !ok || root.event == "" {
		return loop
	}
	for _, n := range path {
		if !quickName(n) {
			return loop
		}
	}
	set := t.mod.rangeSet(rng.text)
	fn.quickUsed = true
	chain := root.event + "?." + strings.Join(path, "?.")
	return primary("((fv = " + chain + `, typeof fv === "string" ? rt.cidr_exists(` + set + ", fv) : void 0) ?? " + loop.text + ")")
}
