package policy

import (
	"net/netip"
	"strings"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/ast"
	celops "cel.dev/cel-go/common/operators"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/ext"
	"cel.dev/cel-go/interpreter"
)

// CEL's network library has no "address in one of these ranges", so a
// rule over a list of ranges is written as a quantifier:
//
//	lists.office_ranges.exists(r, isIP(event.request.ip) && cidr(r).containsIP(event.request.ip))
//
// cel-go evaluates that as written: per range, it parses the address
// twice and the range once, in a fold that binds r. The ranges are
// constants, so the evaluator parses them once (with the library's own
// cidr()), and evaluates such a quantifier as one parse of the address
// and a loop over the parsed ranges. Whatever the fast path is not
// sure of (the address is not a string; without the isIP guard, it is not
// an address) goes to the fold as planned, so that every result and error
// is cel-go's.

// cidrExists is one such quantifier found in a rule.
type cidrExists struct {
	fold     int64    // the comprehension
	addr     int64    // the address expression inside it
	path     []string // the event field it reads
	guarded  bool     // isIP(addr) && ...: a string that is not an address gives false
	prefixes []netip.Prefix
}

// findCIDRExists returns the quantifiers of the checked rule whose ranges
// are constants that all parse. lists holds the policy's named lists.
func findCIDRExists(a *ast.AST, lists []List, toCIDR func(ref.Val) ref.Val) []cidrExists {
	var out []cidrExists
	visit(a.Expr(), func(x ast.Expr) {
		if f, ok := matchCIDRExists(a, x, lists, toCIDR); ok {
			out = append(out, f)
		}
	})
	return out
}

func matchCIDRExists(a *ast.AST, x ast.Expr, lists []List, toCIDR func(ref.Val) ref.Val) (cidrExists, bool) {
	f, ranges, ok := matchCIDRShape(a, x, lists)
	if !ok {
		return cidrExists{}, false
	}
	for _, s := range ranges {
		p, ok := toCIDR(types.String(s)).(ext.CIDR)
		if !ok {
			return cidrExists{}, false // cel-go's error, from the fold
		}
		f.prefixes = append(f.prefixes, p.Prefix)
	}
	return f, true
}

// matchCIDRShape is matchCIDRExists without parsing the ranges: the
// quantifier (its prefixes unset) and its constant ranges.
func matchCIDRShape(a *ast.AST, x ast.Expr, lists []List) (cidrExists, []string, bool) {
	if x.Kind() != ast.ComprehensionKind {
		return cidrExists{}, nil, false
	}
	c := x.AsComprehension()
	v, accu := c.IterVar(), c.AccuVar()
	if c.HasIterVar2() || v == "event" || accu == "event" || !isExists(c) {
		return cidrExists{}, nil, false
	}
	ranges, ok := constantStrings(c.IterRange(), lists)
	if !ok {
		return cidrExists{}, nil, false
	}
	pred := c.LoopStep().AsCall().Args()[1]
	f := cidrExists{fold: x.ID()}
	// isIP(E) && cidr(v).containsIP(E), in either order, or the test alone.
	addr, ok := containsTest(a, pred, v)
	if !ok && pred.Kind() == ast.CallKind && pred.AsCall().FunctionName() == celops.LogicalAnd {
		args := pred.AsCall().Args()
		for i, guard := range args {
			if arg, isGuard := isIPCall(a, guard); isGuard {
				if e, isTest := containsTest(a, args[1-i], v); isTest && sameEventPath(arg, e) {
					addr, ok, f.guarded = e, true, true
					break
				}
			}
		}
	}
	if !ok {
		return cidrExists{}, nil, false
	}
	path, _ := plainEventPath(addr)
	f.addr, f.path = addr.ID(), strings.Split(path, ".")
	return f, ranges, true
}

// isExists tells whether c is the expansion of the exists macro: false,
// then accu || predicate while !accu is not strictly false, then accu.
func isExists(c ast.ComprehensionExpr) bool {
	accu := c.AccuVar()
	init := c.AccuInit()
	if init.Kind() != ast.LiteralKind || init.AsLiteral() != types.False {
		return false
	}
	cond, step, res := c.LoopCondition(), c.LoopStep(), c.Result()
	if cond.Kind() != ast.CallKind || cond.AsCall().FunctionName() != celops.NotStrictlyFalse {
		return false
	}
	not := cond.AsCall().Args()[0]
	if not.Kind() != ast.CallKind || not.AsCall().FunctionName() != celops.LogicalNot || !isIdentNamed(not.AsCall().Args()[0], accu) {
		return false
	}
	if step.Kind() != ast.CallKind || step.AsCall().FunctionName() != celops.LogicalOr || !isIdentNamed(step.AsCall().Args()[0], accu) {
		return false
	}
	return isIdentNamed(res, accu)
}

func isIdentNamed(e ast.Expr, name string) bool {
	return e.Kind() == ast.IdentKind && e.AsIdent() == name
}

// constantStrings returns the strings of a range that is a named list or
// a list literal of strings.
func constantStrings(e ast.Expr, lists []List) ([]string, bool) {
	var values []any
	switch e.Kind() {
	case ast.ListKind:
		l := e.AsList()
		if len(l.OptionalIndices()) > 0 {
			return nil, false
		}
		for _, el := range l.Elements() {
			if el.Kind() != ast.LiteralKind {
				return nil, false
			}
			values = append(values, el.AsLiteral().Value())
		}
	default:
		name, ok := listName(e)
		if !ok {
			return nil, false
		}
		found := false
		for _, l := range lists {
			if l.Name == name {
				values, found = l.Values, true
			}
		}
		if !found {
			return nil, false
		}
	}
	out := make([]string, len(values))
	for i, v := range values {
		s, ok := v.(string)
		if !ok {
			return nil, false
		}
		out[i] = s
	}
	return out, true
}

// listName is the name of a named list: the checker turns lists.x into
// one identifier, an unchecked tree has the selection.
func listName(e ast.Expr) (string, bool) {
	switch e.Kind() {
	case ast.IdentKind:
		if name, ok := strings.CutPrefix(e.AsIdent(), "lists."); ok && name != "" {
			return name, true
		}
	case ast.SelectKind:
		s := e.AsSelect()
		if !s.IsTestOnly() && isIdentNamed(s.Operand(), "lists") {
			return s.FieldName(), true
		}
	}
	return "", false
}

// isIPCall returns the argument of isIP(E), E a field of the event.
func isIPCall(a *ast.AST, e ast.Expr) (ast.Expr, bool) {
	if e.Kind() != ast.CallKind || !onlyOverload(a, e, "is_ip") {
		return nil, false
	}
	arg := e.AsCall().Args()[0]
	_, ok := plainEventPath(arg)
	return arg, ok
}

// containsTest returns E of cidr(v).containsIP(E), E a string field of
// the event.
func containsTest(a *ast.AST, e ast.Expr, v string) (ast.Expr, bool) {
	if e.Kind() != ast.CallKind || !onlyOverload(a, e, "cidr_contains_ip_string") {
		return nil, false
	}
	call := e.AsCall()
	target := call.Target()
	if target.Kind() != ast.CallKind || !onlyOverload(a, target, "string_to_cidr") || !isIdentNamed(target.AsCall().Args()[0], v) {
		return nil, false
	}
	arg := call.Args()[0]
	if _, ok := plainEventPath(arg); !ok {
		return nil, false
	}
	return arg, true
}

// onlyOverload tells whether the checker resolved the call to exactly
// this overload.
func onlyOverload(a *ast.AST, e ast.Expr, id string) bool {
	ids := a.GetOverloadIDs(e.ID())
	return len(ids) == 1 && ids[0] == id
}

// plainEventPath is eventPath for a selection without has().
func plainEventPath(e ast.Expr) (string, bool) {
	for x := e; x.Kind() == ast.SelectKind; x = x.AsSelect().Operand() {
		if x.AsSelect().IsTestOnly() {
			return "", false
		}
	}
	path, ok := eventPath(e)
	return path, ok && path != ""
}

func sameEventPath(a, b ast.Expr) bool {
	pa, oka := plainEventPath(a)
	pb, okb := plainEventPath(b)
	return oka && okb && pa == pb
}

// cidrDecorator returns the program option that plans the quantifiers
// found as cidrEval nodes; nil when there are none.
// planned counts them.
func cidrDecorator(found []cidrExists, planned *int) cel.ProgramOption {
	if len(found) == 0 {
		return nil
	}
	byFold := map[int64]*cidrExists{}
	addrs := map[int64]interpreter.InterpretableV2{}
	for i := range found {
		byFold[found[i].fold] = &found[i]
		addrs[found[i].addr] = nil
	}
	return cel.CustomDecoratorV2(func(i interpreter.InterpretableV2) (interpreter.InterpretableV2, error) {
		id := i.ID()
		if _, want := addrs[id]; want {
			addrs[id] = i // planned before the fold that holds it
		}
		if f, ok := byFold[id]; ok && addrs[f.addr] != nil {
			*planned++
			return &cidrEval{cidrExists: f, fold: i, addr: addrs[f.addr]}, nil
		}
		return i, nil
	})
}

// cidrEval evaluates a quantifier of cidrExists.
type cidrEval struct {
	*cidrExists
	fold interpreter.InterpretableV2 // as cel-go planned it
	addr interpreter.InterpretableV2
}

func (c *cidrEval) ID() int64 { return c.fold.ID() }

func (c *cidrEval) Eval(act interpreter.Activation) ref.Val {
	return interpreter.EvalActivation(act, c.Exec)
}

func (c *cidrEval) Exec(frame *interpreter.ExecutionFrame) ref.Val {
	s, ok := c.addr.Exec(frame).(types.String)
	if !ok {
		return c.fold.Exec(frame)
	}
	if v, ok := c.decide(string(s)); ok {
		return v
	}
	return c.fold.Exec(frame)
}

// decide is the quantifier's value for the address text s; ok is false
// when the fold is to decide.
func (c *cidrExists) decide(s string) (ref.Val, bool) {
	// The library's ip() is netip.ParseAddr refusing zones and IPv4
	// addresses mapped into IPv6: what it refuses, ParseAddr refuses or
	// the fold decides.
	addr, err := netip.ParseAddr(s)
	return c.decideAddr(addr, err)
}

// decideAddr is decide on the address text already parsed.
func (c *cidrExists) decideAddr(addr netip.Addr, err error) (ref.Val, bool) {
	switch {
	case err != nil && c.guarded:
		return types.False, true // isIP is false in every step
	case err != nil || addr.Zone() != "" || addr.Is4In6():
		return nil, false
	}
	for _, p := range c.prefixes {
		if p.Contains(addr) {
			return types.True, true
		}
	}
	return types.False, true
}

// cidrBinding returns the network library's cidr(string) as the
// environment binds it, nil when it has none.
func cidrBinding(env *cel.Env) func(ref.Val) ref.Val {
	decl, ok := env.Functions()["cidr"]
	if !ok {
		return nil
	}
	bindings, err := decl.Bindings()
	if err != nil {
		return nil
	}
	for _, b := range bindings {
		if b.Operator == "string_to_cidr" {
			return b.Unary
		}
	}
	return nil
}

// AddressRanges reports whether x, an expression of the checked condition
// a of one of p's rules, is a quantifier over constant address ranges of
// the shape the evaluator decides from the address alone:
// lists.R.exists(r, isIP(E) && cidr(r).containsIP(E)), in either order or
// without the isIP guard. path is E's path in the event, such as
// "request.ip". Whether the ranges parse is left out, so that the answer
// depends on the condition's shape and never on the policy's text: the
// compiled Action parses them when it loads, and leaves the quantifier to
// decide itself where one does not parse, as the evaluator does.
func (p *Policy) AddressRanges(a *ast.AST, x ast.Expr) (path []string, ok bool) {
	f, _, ok := matchCIDRShape(a, x, p.Lists)
	if !ok {
		return nil, false
	}
	return f.path, true
}
