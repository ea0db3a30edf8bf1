package diff

import (
	"fmt"
	"sort"

	"github.com/mfapolicy/mfapolicy/simulate"
)

// report turns the accumulated counts into the Report, every list in its
// documented order.
func (a *accumulator) report(bs, hs *simulate.Summary) *Report {
	r := &Report{
		Base:   PolicyRef{Name: a.base.Name, File: a.base.File, Rules: a.base.rules()},
		Head:   PolicyRef{Name: a.head.Name, File: a.head.File, Rules: a.head.rules()},
		Inputs: bs.Inputs, Read: bs.Read, Replayed: a.replayed, Malformed: bs.Malformed,
		Changed: a.changed, ChangedPercent: simulate.Percent(a.changed, a.replayed),
		GeoIP: bs.GeoIP,
	}
	if r.Inputs == nil {
		r.Inputs = []string{}
	}
	for _, k := range Kinds {
		r.ByKind = append(r.ByKind, Count{Name: string(k), Count: a.byKind[k], Percent: simulate.Percent(a.byKind[k], a.replayed)})
	}
	for i, o := range simulate.Outcomes {
		b, h := bs.Outcomes[i].Count, hs.Outcomes[i].Count
		r.Outcomes = append(r.Outcomes, OutcomeCount{Outcome: o, Base: b, Head: h, Delta: h - b})
	}
	r.Matrix = a.matrix()
	r.Transitions = a.transitions()
	r.Users = a.all.impact(a.noUser)
	r.Applications = impacts(a.apps, 0)
	r.Countries = impacts(a.countries, topN)
	r.Rules = a.ruleImpacts()
	r.Days, r.NoTime = a.days.days(), a.noTime
	r.ByConfidence = a.confidence.confidences()
	r.Tenant = a.tenant.report(a.changed, a.apps)
	r.MissingData = MissingData{Base: a.missBase, Head: a.missHead, Changed: a.missChanged, Fields: top(a.missFields, 0, a.missChanged)}
	return r
}

func (a *accumulator) matrix() []Cell {
	out := []Cell{}
	for _, f := range simulate.Outcomes {
		for _, t := range simulate.Outcomes {
			if c := a.cells[cellIndex(f, t)]; c != nil {
				out = append(out, Cell{From: f, To: t, Count: c.count, Percent: simulate.Percent(c.count, a.replayed), Changed: c.changed})
			}
		}
	}
	return out
}

func (a *accumulator) transitions() []Transition {
	out := []Transition{}
	for _, t := range a.trans {
		tr := Transition{From: t.key.from, To: t.key.to, Kind: t.key.kind, Count: t.count,
			Percent: simulate.Percent(t.count, a.replayed), Users: t.users.len(), MissingData: t.missing,
			Changes:      top(counts(t.changes), 3, t.count),
			TopCountries: top(t.countries, topN, t.count), TopApplications: top(t.apps, topN, t.count),
			Examples: t.examples}
		if a.tenant != nil {
			tr.Causes = top(t.causes, 0, t.count)
		}
		for k, n := range t.rules {
			tr.Rules = append(tr.Rules, RulePair{Base: k[0], Head: k[1], Count: n})
		}
		sort.Slice(tr.Rules, func(i, j int) bool {
			x, y := tr.Rules[i], tr.Rules[j]
			if x.Count != y.Count {
				return x.Count > y.Count
			}
			if x.Base != y.Base {
				return x.Base < y.Base
			}
			return x.Head < y.Head
		})
		out = append(out, tr)
	}
	sort.Slice(out, func(i, j int) bool {
		x, y := out[i], out[j]
		if x.Kind != y.Kind {
			return kindIndex(x.Kind) < kindIndex(y.Kind)
		}
		if x.Count != y.Count {
			return x.Count > y.Count
		}
		if x.From != y.From {
			return outcomeIndex(x.From) < outcomeIndex(y.From)
		}
		return outcomeIndex(x.To) < outcomeIndex(y.To)
	})
	return out
}

func (g *group) impact(noUser int64) UserImpact {
	return UserImpact{Total: g.users.len(), Affected: g.affected.len(),
		NewlyChallenged: g.challenged.len(), NewlyDenied: g.denied.len(),
		LockedOut: g.locked.len(), Relieved: g.relieved.len(), NoUserID: noUser}
}

// impacts lists the groups with a changed login by users affected, then
// changed logins, then name; n caps the list (0: all).
func impacts(m map[string]*group, n int) []Impact {
	out := []Impact{}
	for name, g := range m {
		if g.changed == 0 {
			continue
		}
		im := Impact{Name: name, UserImpact: g.impact(0), Changed: g.changed}
		im.AffectedPercent = simulate.Percent(im.Affected, im.Total)
		out = append(out, im)
	}
	sort.Slice(out, func(i, j int) bool {
		x, y := out[i], out[j]
		if x.Affected != y.Affected {
			return x.Affected > y.Affected
		}
		if x.Changed != y.Changed {
			return x.Changed > y.Changed
		}
		return x.Name < y.Name
	})
	if n > 0 && len(out) > n {
		out = out[:n]
	}
	return out
}

func (a *accumulator) ruleImpacts() []RuleImpact {
	out := []RuleImpact{}
	for _, r := range a.rules {
		ri := RuleImpact{Side: r.side, Rule: r.rule, File: r.file, Line: r.line, Changed: r.changed}
		for _, k := range Kinds {
			if n := r.byKind[k]; n > 0 {
				ri.ByKind = append(ri.ByKind, Count{Name: string(k), Count: n, Percent: simulate.Percent(n, r.changed)})
			}
		}
		trans := map[string]int64{}
		for k, n := range r.trans {
			trans[fmt.Sprintf("%s→%s", k[0], k[1])] = n
		}
		for _, c := range top(trans, 0, 0) {
			ri.Transitions = append(ri.Transitions, fmt.Sprintf("%s %d", c.Name, c.Count))
		}
		out = append(out, ri)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Changed != out[j].Changed {
			return out[i].Changed > out[j].Changed
		}
		return out[i].Rule < out[j].Rule
	})
	return out
}

// counts is a map of counters as a map of counts.
func counts(m map[string]*int64) map[string]int64 {
	out := make(map[string]int64, len(m))
	for k, n := range m {
		out[k] = *n
	}
	return out
}

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }

func plural(n int64, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
