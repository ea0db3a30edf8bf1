package compile

import (
	"regexp"
	"strconv"
	"strings"

	"cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/types"

	"github.com/mfapolicy/mfapolicy/policy"
)

func (t *translator) call(e ast.Expr) (jsExpr, error) {
	c := e.AsCall()
	fn := c.FunctionName()
	argExprs := c.Args()
	if c.IsMemberFunction() {
		argExprs = append([]ast.Expr{c.Target()}, argExprs...)
	}
	ids := t.ast.GetOverloadIDs(e.ID())
	if len(ids) == 0 {
		return jsExpr{}, t.fail(e, "function %s has no resolved overload", fn)
	}
	// With dyn operands the checker leaves every candidate overload, some
	// of them over types (bytes, timestamps) that no supported expression
	// can produce; the dynamic helper covers the supported ones.
	for _, id := range ids {
		if _, dyn := dynamicForms[fn]; dyn && len(ids) > 1 {
			break
		}
		if why, ok := rejectedOverloads[id]; ok {
			return jsExpr{}, t.fail(e, "%s", why)
		}
		if _, ok := overloadForms[id]; !ok {
			return jsExpr{}, t.fail(e, "function %s (overload %s) is not supported", fn, id)
		}
	}
	if overloadForms[ids[0]].logic {
		// An && or || whose value this expression uses (cond takes those
		// that statements compute).
		return t.liftLogic(e)
	}
	if fn == "_?_:_" {
		return t.conditional(argExprs)
	}
	if fn == "matches" {
		return t.matches(e, argExprs)
	}
	if len(ids) == 1 && zonedOverloads[ids[0]] {
		return t.zoned(ids[0], argExprs)
	}
	args, err := t.exprs(argExprs)
	if err != nil {
		return jsExpr{}, err
	}
	if len(ids) > 1 {
		name, ok := dynamicForms[fn]
		if !ok && fn != "_==_" && fn != "_!=_" {
			return jsExpr{}, t.fail(e, "function %s with operands of type dyn is not supported", fn)
		}
		if fn == "_==_" || fn == "_!=_" {
			name = map[string]string{"_==_": "equals", "_!=_": "not_equals"}[fn]
		}
		return call("rt."+name, args...), nil
	}
	id := ids[0]
	if fn != "_==_" && fn != "_!=_" && t.anyDyn(argExprs) {
		if name, ok := dynamicForms[fn]; ok {
			return call("rt."+name, args...), nil
		}
		args = t.guard(id, argExprs, args)
	}
	if id == "equals" || id == "not_equals" {
		return t.equality(id, argExprs, args), nil
	}
	if id == "in_list" {
		if includes, ok := t.constIncludes(argExprs[0], args); ok {
			return includes, nil
		}
	}
	if (id == "logical_not") && t.typeOf(argExprs[0]).Kind() != types.BoolKind {
		return call("rt.logical_not", args...), nil
	}
	return applyForm(overloadForms[id], args), nil
}

func applyForm(f overloadForm, args []jsExpr) jsExpr {
	switch f.kind {
	case formInfix:
		return binary(args[0], f.op, args[1], f.prec)
	case formPrefix:
		operand := args[0].at(precUnary)
		if f.op == "-" && strings.HasPrefix(operand, "-") {
			operand = "(" + operand + ")" // --x would be a decrement
		}
		return jsExpr{text: f.op + operand, prec: precUnary}
	case formMethod:
		return call(args[0].at(precPrimary)+"."+f.op, args[1:]...)
	case formIdentity:
		return args[0]
	}
	return call("rt."+f.op, args...)
}

// equality uses === where it computes CEL's == exactly: both operands of
// the same primitive type (NaN !== NaN, -0 === 0, bigint by value).
func (t *translator) equality(id string, argExprs []ast.Expr, args []jsExpr) jsExpr {
	a, b := t.typeOf(argExprs[0]), t.typeOf(argExprs[1])
	if a.Kind() == types.StructKind || b.Kind() == types.StructKind {
		return call("rt.object_equals", args...)
	}
	if a.Kind() == b.Kind() {
		switch a.Kind() {
		case types.BoolKind, types.IntKind, types.DoubleKind, types.StringKind:
			if id == "equals" {
				return binary(args[0], "===", args[1], precEq)
			}
			return binary(args[0], "!==", args[1], precEq)
		}
	}
	return call("rt."+id, args...)
}

// moduleConst matches the name of a list the module holds as a constant:
// a policy list (list0) or a literal list of constants (lit0).
var moduleConst = regexp.MustCompile(`^(list|lit)[0-9]+$`)

// constIncludes writes x in L as L.includes(x) when x is a string or a
// bool and L a list the module holds as a constant: what rt.in_list does
// for such an x (SameValueZero is === on strings and bools), without the
// call. L being a constant, which reads nothing and cannot fail, x is
// still the only operand evaluated, as with rt.in_list(x, L).
func (t *translator) constIncludes(x ast.Expr, args []jsExpr) (jsExpr, bool) {
	if k := t.typeOf(x).Kind(); k != types.StringKind && k != types.BoolKind {
		return jsExpr{}, false
	}
	if args[1].logic != nil || !moduleConst.MatchString(args[1].text) {
		return jsExpr{}, false
	}
	return call(args[1].text+".includes", args[0]), true
}

func (t *translator) conditional(argExprs []ast.Expr) (jsExpr, error) {
	args, err := t.exprs(argExprs)
	if err != nil {
		return jsExpr{}, err
	}
	cond := args[0]
	if t.typeOf(argExprs[0]).Kind() != types.BoolKind {
		cond = call("rt.bool", cond)
	}
	return jsExpr{text: cond.at(precOr) + " ? " + args[1].at(precArrow) + " : " + args[2].at(precArrow), prec: precCond}, nil
}

// matches hoists the translated pattern, which must be a string literal.
func (t *translator) matches(e ast.Expr, argExprs []ast.Expr) (jsExpr, error) {
	pat := argExprs[1]
	if pat.Kind() != ast.LiteralKind {
		return jsExpr{}, t.fail(pat, "the pattern of matches() must be a string literal, so that it can be checked and translated when the policy is compiled")
	}
	p, ok := pat.AsLiteral().(types.String)
	if !ok {
		return jsExpr{}, t.fail(pat, "the pattern of matches() must be a string")
	}
	name, err := t.mod.regex(string(p))
	if err != nil {
		return jsExpr{}, t.fail(pat, "%v", err)
	}
	s, err := t.expr(argExprs[0])
	if err != nil {
		return jsExpr{}, err
	}
	return call("rt.matches_string", s, primary(name)), nil
}

// zoned resolves a getter's time zone, which must be a string literal, to
// its offset in seconds when the policy is compiled (policy.ZoneOffset).
func (t *translator) zoned(id string, argExprs []ast.Expr) (jsExpr, error) {
	zone := argExprs[1]
	lit, ok := zone.AsLiteral().(types.String)
	if zone.Kind() != ast.LiteralKind || !ok {
		return jsExpr{}, t.fail(zone, "the time zone must be a string literal, such as 'UTC' or '+02:00', so that it can be checked when the policy is compiled")
	}
	off, err := policy.ZoneOffset(string(lit))
	if err != nil {
		return jsExpr{}, t.fail(zone, "%v", err)
	}
	ts, err := t.expr(argExprs[0])
	if err != nil {
		return jsExpr{}, err
	}
	if t.typeOf(argExprs[0]).Kind() == types.DynKind {
		ts = call("rt.guard_timestamp", ts)
	}
	return call("rt."+id, ts, primary(strconv.Itoa(off))), nil
}

func (t *translator) anyDyn(args []ast.Expr) bool {
	for _, a := range args {
		if t.typeOf(a).Kind() == types.DynKind {
			return true
		}
	}
	return false
}

var guards = map[types.Kind]string{
	types.StringKind: "guard_string", types.BoolKind: "guard_bool", types.IntKind: "guard_int",
	types.DoubleKind: "guard_double", types.UintKind: "guard_uint", types.ListKind: "guard_list",
	types.MapKind: "guard_map", types.TimestampKind: "guard_timestamp", types.DurationKind: "guard_duration",
	types.BytesKind: "guard_bytes",
}

// guard wraps each dyn operand in a run-time check of the overload's
// declared parameter type.
func (t *translator) guard(id string, argExprs []ast.Expr, args []jsExpr) []jsExpr {
	params := t.params[id]
	out := append([]jsExpr(nil), args...)
	for i, a := range argExprs {
		if t.typeOf(a).Kind() != types.DynKind || i >= len(params) {
			continue
		}
		p := params[i]
		name, ok := guards[p.Kind()]
		switch {
		case p.Kind() == types.OpaqueKind && p.TypeName() == "net.IP":
			name, ok = "guard_ip", true
		case p.Kind() == types.OpaqueKind && p.TypeName() == "net.CIDR":
			name, ok = "guard_cidr", true
		}
		if ok {
			out[i] = call("rt."+name, args[i])
		}
	}
	return out
}
