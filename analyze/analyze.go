package analyze

import (
	"encoding/json"
	"sort"

	"github.com/mfapolicy/mfapolicy/policy"
)

// Report is the analysis of one policy over every possible login.
type Report struct {
	Policy string `json:"policy"`
	Space  Space  `json:"space"`
	// Rules lists every rule in policy order with what the analysis
	// found about it.
	Rules []RuleResult `json:"rules"`
	// Regions partition the login space by what decides it, in policy
	// order (the default last).
	Regions []Region `json:"regions"`
	// Dead counts the rules that can never decide.
	Dead int `json:"dead"`
	// Simulation is filled in by callers that replay the examples through
	// the compiled Action.
	Simulation *Simulation `json:"simulation,omitempty"`
}

// Simulation records how the example logins fared when replayed through
// the compiled Action: each must be decided by the rule the analysis
// names.
type Simulation struct {
	Examples      int      `json:"examples"`
	Agreed        int      `json:"agreed"`
	Disagreements []string `json:"disagreements,omitempty"`
}

// Example is one example login of a report and the decision the reference
// evaluator makes of it.
type Example struct {
	// What names the rule or region the example illustrates.
	What  string
	Event map[string]any
	// Decision is what decides the example (in the head policy, for a
	// diff); Base is what decides it in the base policy of a diff.
	Decision Decision
	Base     *Decision
}

// Examples lists every example login of the report, for replaying.
func (r *Report) Examples() []Example {
	var out []Example
	for _, rr := range r.Rules {
		if rr.Example != nil && rr.ExampleDecision != nil {
			out = append(out, Example{What: "rule " + rr.ID, Event: rr.Example, Decision: *rr.ExampleDecision})
		}
	}
	for _, reg := range r.Regions {
		if reg.Example != nil {
			out = append(out, Example{What: decisionText(reg.Decision) + " when " + whenText(reg.When), Event: reg.Example, Decision: reg.Decision})
		}
	}
	return out
}

// Space describes the finite abstraction of the login space.
type Space struct {
	Dimensions []*Dim `json:"dimensions"`
	// Points is the number of combinations of classes, in decimal.
	Points string `json:"points"`
	// Cubes is the number of regions the exploration cut the space into
	// before merging.
	Cubes int `json:"cubes"`
	// Symbolic lists the conditions treated symbolically: taken to be
	// true, false or an error independently of each other.
	Symbolic []string `json:"symbolic"`
}

// Status is what the analysis concludes about one rule.
type Status string

// Rule statuses. Shadowed and Unsatisfiable rules are dead: no login is
// decided by them.
const (
	Reachable     Status = "reachable"
	Shadowed      Status = "shadowed"
	Unsatisfiable Status = "unsatisfiable"
)

// RuleResult is the analysis of one rule.
type RuleResult struct {
	ID     string         `json:"id"`
	Then   policy.Outcome `json:"then"`
	Status Status         `json:"status"`
	// ShadowedBy names the earlier rules that decide every login the rule
	// matches ("on_error: ID" when that rule errors).
	ShadowedBy []string `json:"shadowed_by,omitempty"`
	// OnlyWhenMissing names the data that is missing in every login the
	// rule decides.
	OnlyWhenMissing []string `json:"only_when_missing,omitempty"`
	// MayError is set when the rule's condition can error, so that
	// on_error decides.
	MayError bool `json:"may_error,omitempty"`
	// Unconfirmed is set when the rule may decide only through symbolic
	// conditions and no example login was found.
	Unconfirmed bool `json:"unconfirmed,omitempty"`
	// Example is a login the rule decides or, for a shadowed rule, a login
	// its condition matches that an earlier rule decides.
	Example map[string]any `json:"example,omitempty"`
	// ExampleDecision is what decides the example.
	ExampleDecision *Decision `json:"example_decision,omitempty"`
}

// Decision is what decides a region.
type Decision struct {
	// Rule is the deciding rule's id, "" for the default.
	Rule    string         `json:"rule"`
	Outcome policy.Outcome `json:"outcome"`
	Factors []string       `json:"factors,omitempty"`
	Reason  string         `json:"reason,omitempty"`
	// OnError is set when the rule's condition errors and on_error decides.
	OnError bool `json:"on_error,omitempty"`
	// Disabled are the factors offered that the policy's tenant: section
	// disables: Auth0 ignores them, and fails the login when they are all
	// of Factors. Which of the others a user can use depends on the
	// user's enrolments, which the analysis does not explore.
	Disabled []string `json:"disabled,omitempty"`
}

// Region is a set of logins with one decision: every login that meets all
// of When.
type Region struct {
	Decision Decision    `json:"decision"`
	When     []Condition `json:"when"`
	// Example is a login of the region, confirmed with the reference
	// evaluator; nil when none was found (the region rests on symbolic
	// conditions that may not hold together).
	Example map[string]any `json:"example,omitempty"`
}

// Analyze explores every login the policy can see and reports dead rules,
// rules reached only on missing data, and the decision of each region.
func Analyze(p *policy.Policy) (*Report, error) {
	m, err := newModel(p)
	if err != nil {
		return nil, err
	}
	leaves, err := m.explore(m.chains[0])
	if err != nil {
		return nil, err
	}
	rep := &Report{Policy: p.File, Space: m.spaceInfo(len(leaves))}
	byDec := map[decider][]state{}
	var order []decider
	for _, lf := range leaves {
		d := lf.dec[0]
		if _, ok := byDec[d]; !ok {
			order = append(order, d)
		}
		byDec[d] = append(byDec[d], lf.st)
	}
	sort.Slice(order, func(i, j int) bool { return deciderLess(order[i], order[j]) })
	for _, d := range order {
		rep.Regions = append(rep.Regions, m.regions(d, byDec[d])...)
	}
	for i, r := range p.Rules {
		res, err := m.rule(i, byDec)
		if err != nil {
			return nil, err
		}
		res.ID, res.Then = r.ID, r.Then
		if res.Status != Reachable {
			rep.Dead++
		}
		rep.Rules = append(rep.Rules, res)
	}
	return rep, nil
}

func deciderLess(a, b decider) bool {
	ra, rb := a.Rule, b.Rule
	if ra < 0 {
		ra = 1 << 30
	}
	if rb < 0 {
		rb = 1 << 30
	}
	if ra != rb {
		return ra < rb
	}
	return !a.Err && b.Err
}

func (m *model) spaceInfo(cubes int) Space {
	s := Space{Dimensions: m.sp.Dims, Points: m.sp.size().String(), Cubes: cubes, Symbolic: []string{}}
	for _, d := range m.sp.Dims {
		if d.Kind == AtomDim {
			s.Symbolic = append(s.Symbolic, d.Path)
		}
	}
	return s
}

// regions merges the cubes of one decider and finds an example for each.
func (m *model) regions(d decider, cubes []state) []Region {
	p := m.pols[0]
	var out []Region
	for _, c := range merge(cubes) {
		r := Region{Decision: decisionOf(p, d), When: m.sp.describe(c)}
		r.Example = m.sp.witness(c, func(ev map[string]any) bool { return matches(p, d, p.Evaluate(ev)) })
		out = append(out, r)
	}
	return out
}

// rule finds out whether rule i decides any login, and if not, why.
func (m *model) rule(i int, byDec map[decider][]state) (RuleResult, error) {
	p := m.pols[0]
	d := decider{Rule: i}
	res := RuleResult{Status: Reachable}
	res.MayError = len(byDec[decider{Rule: i, Err: true}]) > 0
	if cubes := byDec[d]; len(cubes) > 0 {
		res.OnlyWhenMissing = m.onlyMissing(cubes)
		for _, c := range cubes {
			if ev := m.sp.witness(c, func(ev map[string]any) bool { return matches(p, d, p.Evaluate(ev)) }); ev != nil {
				res.Example = ev
				break
			}
		}
		res.Unconfirmed = res.Example == nil
		if res.Example != nil {
			dec := decisionOf(p, d)
			res.ExampleDecision = &dec
		}
		return res, nil
	}
	// Dead: explore the rule's own condition, then the earlier rules where
	// it holds.
	ch := m.chains[0]
	own := &chain{rules: ch.rules[i : i+1], reads: ch.reads[i : i+1]}
	earlier := &chain{rules: ch.rules[:i], reads: ch.reads[:i]}
	leaves, err := m.explore(own, earlier)
	if err != nil {
		return res, err
	}
	res.Status = Unsatisfiable
	seen := map[string]bool{}
	for _, lf := range leaves {
		if lf.dec[0] != (decider{Rule: 0}) {
			continue
		}
		res.Status = Shadowed
		by := decisionOf(p, lf.dec[1])
		name := by.Rule
		if by.OnError {
			name = "on_error: " + by.Rule
		}
		if !seen[name] {
			seen[name] = true
			res.ShadowedBy = append(res.ShadowedBy, name)
		}
		if res.Example == nil {
			shadow := lf.dec[1]
			res.Example = m.sp.witness(lf.st, func(ev map[string]any) bool {
				v, err := p.EvaluateRule(i, ev)
				return err == nil && v.Value() == true && matches(p, shadow, p.Evaluate(ev))
			})
			if res.Example != nil {
				dec := decisionOf(p, shadow)
				res.ExampleDecision = &dec
			}
		}
	}
	sort.Slice(res.ShadowedBy, func(a, b int) bool { return ruleIndex(p, res.ShadowedBy[a]) < ruleIndex(p, res.ShadowedBy[b]) })
	return res, nil
}

func ruleIndex(p *policy.Policy, name string) int {
	for i, r := range p.Rules {
		if r.ID == name || "on_error: "+r.ID == name {
			return i
		}
	}
	return len(p.Rules)
}

// onlyMissing names the data missing in every cube, when some is.
func (m *model) onlyMissing(cubes []state) []string {
	count := map[int]int{}
	for _, c := range cubes {
		miss := m.sp.missingDims(c)
		if len(miss) == 0 {
			return nil
		}
		for _, d := range miss {
			count[d]++
		}
	}
	var all, any []string
	for d, dim := range m.sp.Dims {
		if count[d] == len(cubes) {
			all = append(all, dim.Label)
		}
		if count[d] > 0 {
			any = append(any, dim.Label)
		}
	}
	if len(all) > 0 {
		return all
	}
	return any
}

// jsonText is the canonical JSON of a decoded value (maps sorted).
func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
