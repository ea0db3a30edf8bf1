package policy

import (
	"fmt"
	"sync"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/types"
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
// evaluation and on_error decides. The compiled Action must agree with it.
func (p *Policy) Evaluate(event any) Decision {
	if err := p.prepare(); err != nil {
		return p.errorDecision("", err)
	}
	act := p.activation(event)
	for i, r := range p.Rules {
		out, _, err := p.programs[i].Eval(act)
		if err != nil {
			return p.errorDecision(r.ID, err)
		}
		switch out {
		case types.True:
			return decisionOf(r.ID, r.Action)
		case types.False:
			continue
		}
		return p.errorDecision(r.ID, fmt.Errorf("the condition returned %v, not a boolean", out))
	}
	return decisionOf("", p.Default)
}

// EvaluateRule evaluates one rule's condition on the event.
func (p *Policy) EvaluateRule(i int, event any) (ref.Val, error) {
	if err := p.prepare(); err != nil {
		return nil, err
	}
	out, _, err := p.programs[i].Eval(p.activation(event))
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

var prepareMu sync.Mutex

// prepare builds the cel-go programs once.
func (p *Policy) prepare() error {
	prepareMu.Lock()
	defer prepareMu.Unlock()
	if p.programs != nil {
		return nil
	}
	if p.env == nil {
		return fmt.Errorf("the policy was not checked")
	}
	programs := make([]cel.Program, len(p.Rules))
	for i, r := range p.Rules {
		if r.AST == nil {
			return fmt.Errorf("rule %q did not check", r.ID)
		}
		prg, err := p.env.Program(r.AST)
		if err != nil {
			return fmt.Errorf("rule %q: %w", r.ID, err)
		}
		programs[i] = prg
	}
	p.programs = programs
	return nil
}

func (p *Policy) activation(event any) map[string]any {
	adapter := p.env.CELTypeAdapter()
	act := map[string]any{}
	if m, ok := event.(map[string]any); ok {
		act["event"] = &object{typeName: EventType, path: "event", index: -1, m: m, adapter: adapter}
	} else if event == nil {
		act["event"] = &object{typeName: EventType, path: "event", index: -1, adapter: adapter}
	} else {
		act["event"] = types.NewErr("event: expected an object, got %s", jsonKind(event))
	}
	for _, l := range p.Lists {
		act["lists."+l.Name] = adapter.NativeToValue(l.Values)
	}
	return act
}
