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
	if e.Kind() == ast.SelectKind {
		if path, ok := eventPath(e); ok {
			if path != "" {
				set[path] = true
			}
			return
		}
	}
	eachChild(e, func(c ast.Expr) { collectFields(c, set) })
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
