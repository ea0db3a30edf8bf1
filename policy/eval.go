package policy

import (
	"sync"
	"time"

	"cel.dev/cel-go/common/types/ref"
)

// Decision is what a policy decides for one event: the same shape the
// compiled Action's decide(event) returns, so the two can be compared.
type Decision struct {
	// Rule is the id of the deciding rule, "" when the default decided.
	Rule    string   `json:"rule"`
	Outcome Outcome  `json:"outcome"`
	Factors []string `json:"factors,omitempty"`
	Reason  string   `json:"reason,omitempty"`
	// Error is set when the rule's condition errored and on_error decided.
	Error string `json:"error,omitempty"`
}

// Evaluate is the reference evaluator: cel-go runs the rules in order on the
// JSON-decoded event (as encoding/json decodes into any) and the first rule
// whose condition is true decides. A rule whose condition errors stops
// evaluation and on_error decides. `now` reads the wall clock (EvaluateAt
// sets it). The compiled Action must agree with it.
func (p *Policy) Evaluate(event any) Decision {
	e, err := p.evaluator()
	if err != nil {
		return p.errorDecision("", err)
	}
	return p.decision(e, event)
}

// decision is the decision of evaluator e on the event.
func (p *Policy) decision(e *Evaluator, event any) Decision {
	i, err := e.Decide(event)
	switch {
	case err != nil:
		return p.errorDecision(p.Rules[i].ID, err)
	case i == len(p.Rules):
		return decisionOf("", p.Default)
	}
	return decisionOf(p.Rules[i].ID, p.Rules[i].Action)
}

// EvaluateRule evaluates one rule's condition on the event.
func (p *Policy) EvaluateRule(i int, event any) (ref.Val, error) {
	e, err := p.evaluator()
	if err != nil {
		return nil, err
	}
	out, _, err := e.programs[i].Eval(e.activation(event))
	return out, err
}

func decisionOf(rule string, a Action) Decision {
	return Decision{Rule: rule, Outcome: a.Then, Factors: a.Factors, Reason: a.Reason}
}

func (p *Policy) errorDecision(rule string, err error) Decision {
	d := decisionOf(rule, p.OnError)
	d.Error = err.Error()
	return d
}

var evaluatorMu sync.Mutex

// evaluator builds the policy's Evaluator once.
func (p *Policy) evaluator() (*Evaluator, error) {
	evaluatorMu.Lock()
	defer evaluatorMu.Unlock()
	if p.eval == nil {
		e, err := p.NewEvaluator()
		if err != nil {
			return nil, err
		}
		p.eval = e
	}
	return p.eval, nil
}

// activation binds the event and the named lists in a map, for the
// evaluations that add variables of their own (Trace, analysis).
func (p *Policy) activation(event any) map[string]any {
	adapter := p.env.CELTypeAdapter()
	act := map[string]any{"event": eventValue(event, adapter), "now": NowValue(time.Now())}
	for _, l := range p.Lists {
		act["lists."+l.Name] = adapter.NativeToValue(l.Values)
	}
	return act
}
