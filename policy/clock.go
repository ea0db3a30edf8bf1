package policy

import (
	"time"

	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
)

// The variable `now` is the time of the login. The compiled Action reads
// it from its clock, Date.now(), which counts milliseconds; the simulator
// sets that clock to the time it replays, and the reference evaluator
// takes the same time as an input (At), to the same millisecond.

// At returns a copy of the evaluator whose `now` is t, truncated to the
// millisecond as the Action's Date.now() is. The copy shares the rules'
// programs.
func (e *Evaluator) At(t time.Time) *Evaluator {
	c := *e
	c.now = NowValue(t)
	return &c
}

// NowValue is the CEL value of `now` at t: a UTC timestamp with
// millisecond precision.
func NowValue(t time.Time) ref.Val {
	return types.Timestamp{Time: time.UnixMilli(t.UnixMilli()).UTC()}
}

// nowValue is `now` for one evaluation: the time set with At, else the
// wall clock.
func (e *Evaluator) nowValue() ref.Val {
	if e.now != nil {
		return e.now
	}
	return NowValue(time.Now())
}

// EvaluateAt is Evaluate with `now` set to t.
func (p *Policy) EvaluateAt(event any, t time.Time) Decision {
	e, err := p.evaluator()
	if err != nil {
		return p.errorDecision("", err)
	}
	return p.decision(e.At(t), event)
}

// ReadsNow reports whether a rule reads `now`. The simulator's decision
// classes are keyed by event fields only, so such a policy's logins are
// replayed in the JavaScript engine, whose clock is the login's.
func (p *Policy) ReadsNow() bool {
	for _, r := range p.Rules {
		if r.AST == nil {
			continue
		}
		for _, ref := range r.AST.NativeRep().ReferenceMap() {
			if ref.Name == "now" {
				return true
			}
		}
	}
	return false
}
