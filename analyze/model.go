package analyze

import (
	"fmt"

	"github.com/mfapolicy/mfapolicy/policy"
)

// model is one or more policies lowered over a shared space, so that
// their decisions can be compared point by point.
type model struct {
	sp     *space
	pols   []*policy.Policy
	chains []*chain
}

func newModel(pols ...*policy.Policy) (*model, error) {
	m := &model{sp: newSpace(pols), pols: pols}
	for pi, p := range pols {
		ch := &chain{}
		for _, r := range p.Rules {
			if r.AST == nil {
				return nil, fmt.Errorf("%s: rule %q did not type-check", p.File, r.ID)
			}
			native := r.AST.NativeRep()
			l := &lowerer{sp: m.sp, p: p, pol: pi, ast: native, info: native.SourceInfo(),
				bind: map[string]value{}, dims: map[int]bool{}}
			n := l.boolean(native.Expr())
			reads := map[int]bool{}
			readsOf(n, reads)
			ch.rules = append(ch.rules, n)
			ch.reads = append(ch.reads, sortedDims(reads))
		}
		m.chains = append(m.chains, ch)
	}
	if err := m.sp.finish(); err != nil {
		return nil, err
	}
	return m, nil
}

// explore runs the given chains over the whole space.
func (m *model) explore(chains ...*chain) ([]leaf, error) {
	x := &explorer{sp: m.sp, chains: chains}
	if err := x.run(x.full()); err != nil {
		return nil, err
	}
	return x.leaves, nil
}

// decisionOf is what decider d of policy p decides.
func decisionOf(p *policy.Policy, d decider) Decision {
	var dec Decision
	switch {
	case d.Rule < 0:
		dec = Decision{Outcome: p.Default.Then, Factors: p.Default.Factors, Reason: p.Default.Reason}
	case d.Err:
		a := p.OnError
		dec = Decision{Rule: p.Rules[d.Rule].ID, Outcome: a.Then, Factors: a.Factors, Reason: a.Reason, OnError: true}
	default:
		a := p.Rules[d.Rule].Action
		dec = Decision{Rule: p.Rules[d.Rule].ID, Outcome: a.Then, Factors: a.Factors, Reason: a.Reason}
	}
	if t := p.Tenant; t != nil && (dec.Outcome == policy.Challenge || dec.Outcome == policy.Enroll) {
		for _, f := range dec.Factors {
			if !t.Enabled(f) {
				dec.Disabled = append(dec.Disabled, f)
			}
		}
	}
	return dec
}

// matches reports whether the reference evaluator's decision is the one
// decider d stands for.
func matches(p *policy.Policy, d decider, got policy.Decision) bool {
	if d.Rule < 0 {
		return got.Rule == "" && got.Error == ""
	}
	return got.Rule == p.Rules[d.Rule].ID && (got.Error != "") == d.Err
}
