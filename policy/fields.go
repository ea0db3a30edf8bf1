package policy

import (
	"sort"
	"strings"

	"cel.dev/cel-go/common/ast"
)

// RuleFields maps each rule id of the checked policy to the event fields its
// condition reads: every chain of field selections that starts at
// `event`, as a path without the leading "event." (for example
// "request.geoip.countryCode"), sorted. A has() test counts as reading its
// field. It is what simulate.Options.RuleFields takes to find decisions
// that rest on missing data.
func (p *Policy) RuleFields() map[string][]string {
	out := make(map[string][]string, len(p.Rules))
	for _, r := range p.Rules {
		set := map[string]bool{}
		if r.AST != nil {
			collectFields(r.AST.NativeRep().Expr(), set)
		}
		fields := make([]string, 0, len(set))
		for f := range set {
			fields = append(fields, f)
		}
		sort.Strings(fields)
		out[r.ID] = fields
	}
	return out
}

// collectFields adds the event paths read under e.
func collectFields(e ast.Expr, set map[string]bool) {
	switch e.Kind() {
	case ast.SelectKind:
		if path, ok := eventPath(e); ok {
			if path != "" {
				set[path] = true
			}
			return
		}
		collectFields(e.AsSelect().Operand(), set)
	case ast.CallKind:
		c := e.AsCall()
		if c.IsMemberFunction() {
			collectFields(c.Target(), set)
		}
		for _, a := range c.Args() {
			collectFields(a, set)
		}
	case ast.ComprehensionKind:
		c := e.AsComprehension()
		for _, x := range []ast.Expr{c.IterRange(), c.AccuInit(), c.LoopCondition(), c.LoopStep(), c.Result()} {
			collectFields(x, set)
		}
	case ast.ListKind:
		for _, x := range e.AsList().Elements() {
			collectFields(x, set)
		}
	case ast.MapKind:
		for _, en := range e.AsMap().Entries() {
			me := en.AsMapEntry()
			collectFields(me.Key(), set)
			collectFields(me.Value(), set)
		}
	case ast.StructKind:
		for _, f := range e.AsStruct().Fields() {
			collectFields(f.AsStructField().Value(), set)
		}
	}
}

// eventPath returns the path of a selection chain rooted at `event`.
func eventPath(e ast.Expr) (string, bool) {
	var parts []string
	for e.Kind() == ast.SelectKind {
		s := e.AsSelect()
		parts = append(parts, s.FieldName())
		e = s.Operand()
	}
	if e.Kind() != ast.IdentKind || e.AsIdent() != "event" {
		return "", false
	}
	for i, j := 0, len(parts)-1; i < j; i, j = i+1, j-1 {
		parts[i], parts[j] = parts[j], parts[i]
	}
	return strings.Join(parts, "."), true
}
