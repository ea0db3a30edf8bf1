package analyze

import (
	"slices"
	"sort"

	"github.com/mfapolicy/mfapolicy/policy"
)

// ChangeKind classifies a change of decision between two policies, as
// mfapolicy diff classifies changes on recorded logins (docs/diff.md).
type ChangeKind string

// Change kinds. Outcomes rank allow < enroll < challenge < deny; at the
// same outcome a challenge or enrolment is as strong as its weakest
// factor. A change down weakens the policy, up tightens it, and any other
// change (another factor of the same strength, another deny reason) is
// lateral.
const (
	Weakened  ChangeKind = "weakened"
	Tightened ChangeKind = "tightened"
	Lateral   ChangeKind = "lateral"
)

var outcomeRank = map[policy.Outcome]int{policy.Allow: 0, policy.Enroll: 1, policy.Challenge: 2, policy.Deny: 3}

// DiffReport is every region of the login space whose decision differs
// between two policies.
type DiffReport struct {
	Base  string `json:"base"`
	Head  string `json:"head"`
	Space Space  `json:"space"`
	// Changes are in the order of the base policy's deciding rules.
	Changes   []Change `json:"changes"`
	Weakened  int      `json:"weakened"`
	Tightened int      `json:"tightened"`
	Lateral   int      `json:"lateral"`
	// Simulation is filled in by callers that replay the examples.
	Simulation *Simulation `json:"simulation,omitempty"`
}

// Change is a region decided one way by the base policy and another by
// the head policy.
type Change struct {
	Kind ChangeKind  `json:"kind"`
	Base Decision    `json:"base"`
	Head Decision    `json:"head"`
	When []Condition `json:"when"`
	// Example is a login of the region that both policies, run by the
	// reference evaluator, decide as stated; nil when none was found.
	Example map[string]any `json:"example,omitempty"`
	// Seen counts the recorded logins that fall in the region, when the
	// caller counted them (mfapolicy diff --exhaustive with events); 0
	// means the change was never seen in that traffic.
	Seen *int64 `json:"seen,omitempty"`

	sp   *space
	cube state
}

// Contains reports whether a well-formed post-login event (as decoded by
// encoding/json) falls in the region, judged on the dimensions the
// analysis interprets exactly; a region that rests on symbolic conditions
// may contain events these conditions exclude.
func (c Change) Contains(event map[string]any) bool {
	return c.sp != nil && c.sp.within(event, c.cube)
}

// Diff explores every login both policies can see, over dimensions that
// both refine, and reports the regions whose decision changes, with an
// example login for each.
func Diff(base, head *policy.Policy) (*DiffReport, error) {
	m, err := newModel(base, head)
	if err != nil {
		return nil, err
	}
	leaves, err := m.explore(m.chains[0], m.chains[1])
	if err != nil {
		return nil, err
	}
	rep := &DiffReport{Base: base.File, Head: head.File, Space: m.spaceInfo(len(leaves)), Changes: []Change{}}
	type pair struct{ b, h decider }
	byPair := map[pair][]state{}
	var order []pair
	for _, lf := range leaves {
		pr := pair{lf.dec[0], lf.dec[1]}
		if sameEffect(decisionOf(base, pr.b), decisionOf(head, pr.h)) {
			continue
		}
		if _, ok := byPair[pr]; !ok {
			order = append(order, pr)
		}
		byPair[pr] = append(byPair[pr], lf.st)
	}
	sort.SliceStable(order, func(i, j int) bool {
		if order[i].b != order[j].b {
			return deciderLess(order[i].b, order[j].b)
		}
		return deciderLess(order[i].h, order[j].h)
	})
	for _, pr := range order {
		for _, cube := range merge(byPair[pr]) {
			c := Change{Base: decisionOf(base, pr.b), Head: decisionOf(head, pr.h), When: m.sp.describe(cube), sp: m.sp, cube: cube}
			c.Kind = KindOf(c.Base, c.Head)
			c.Example = m.sp.witness(cube, func(ev map[string]any) bool {
				return matches(base, pr.b, base.Evaluate(ev)) && matches(head, pr.h, head.Evaluate(ev))
			})
			switch c.Kind {
			case Weakened:
				rep.Weakened++
			case Tightened:
				rep.Tightened++
			default:
				rep.Lateral++
			}
			rep.Changes = append(rep.Changes, c)
		}
	}
	return rep, nil
}

// Examples lists the example login of every change, with what decides it
// in the head policy (Decision) and the base policy (Base).
func (r *DiffReport) Examples() []Example {
	var out []Example
	for _, c := range r.Changes {
		if c.Example != nil {
			base := c.Base
			out = append(out, Example{What: string(c.Kind) + " when " + whenText(c.When), Event: c.Example, Decision: c.Head, Base: &base})
		}
	}
	return out
}

// sameEffect reports whether two decisions do the same to a login,
// whichever rule made them: one outcome, reason and set of factors.
func sameEffect(a, b Decision) bool {
	if a.Outcome != b.Outcome || a.Reason != b.Reason || len(a.Factors) != len(b.Factors) {
		return false
	}
	for _, f := range a.Factors {
		if !slices.Contains(b.Factors, f) {
			return false
		}
	}
	return true
}

// KindOf classifies a change from base to head.
func KindOf(base, head Decision) ChangeKind {
	switch rb, rh := outcomeRank[base.Outcome], outcomeRank[head.Outcome]; {
	case rh < rb:
		return Weakened
	case rh > rb:
		return Tightened
	case base.Outcome == head.Outcome && (base.Outcome == policy.Challenge || base.Outcome == policy.Enroll):
		switch wb, wh := policy.WeakestFactor(base.Factors), policy.WeakestFactor(head.Factors); {
		case wh < wb:
			return Weakened
		case wh > wb:
			return Tightened
		}
	}
	return Lateral
}
