package policy

import (
	"fmt"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/interpreter"
)

// Evaluator is the reference evaluator prepared for many events: the
// rules' programs are built once with cel-go's optimiser (constant
// folding, list literals turned into sets) and the named lists converted
// once. It decides exactly as Evaluate does, and is safe for concurrent
// use.
type Evaluator struct {
	p        *Policy
	programs []cel.Program
	adapter  types.Adapter
	lists    map[string]ref.Val
	// paths holds, per rule, the fields its result depends on (memo.go);
	// nil for a rule that reads the event as a whole.
	paths [][][]string
	// now is the value of `now` (clock.go); nil reads the wall clock.
	now ref.Val
}

// NewEvaluator builds the evaluator of a checked policy.
func (p *Policy) NewEvaluator() (*Evaluator, error) {
	if p.env == nil {
		return nil, fmt.Errorf("the policy was not checked")
	}
	e := &Evaluator{p: p, programs: make([]cel.Program, len(p.Rules)), adapter: p.env.CELTypeAdapter(), lists: map[string]ref.Val{}, paths: make([][][]string, len(p.Rules))}
	for i, r := range p.Rules {
		if r.AST == nil {
			return nil, fmt.Errorf("rule %q did not check", r.ID)
		}
		prg, err := p.env.Program(r.AST, cel.EvalOptions(cel.OptOptimize))
		if err != nil {
			// The optimiser evaluates constant expressions while it plans,
			// and a constant conversion that fails (int('')) fails the
			// plan; without it the error comes at evaluation, as in the
			// Action.
			prg, err = p.env.Program(r.AST)
		}
		if err != nil {
			return nil, fmt.Errorf("rule %q: %w", r.ID, err)
		}
		e.programs[i] = prg
		e.paths[i] = memoPaths(r)
	}
	for _, l := range p.Lists {
		e.lists["lists."+l.Name] = e.adapter.NativeToValue(l.Values)
	}
	return e, nil
}

// Decide returns the index of the rule that decides the event (decoded as
// encoding/json decodes into any), len(p.Rules) when the default does. A
// condition that errors, or returns something other than a boolean, stops
// evaluation: Decide returns its rule's index and the error, and on_error
// decides.
func (e *Evaluator) Decide(event any) (int, error) {
	act := e.activation(event)
	for i, prg := range e.programs {
		out, _, err := prg.Eval(act)
		if err != nil {
			return i, err
		}
		switch out {
		case types.True:
			return i, nil
		case types.False:
			continue
		}
		return i, notBool(out)
	}
	return len(e.programs), nil
}

func notBool(out ref.Val) error {
	return fmt.Errorf("the condition returned %v, not a boolean", out)
}

func (e *Evaluator) activation(event any) *activation {
	return &activation{e: e, event: eventValue(event, e.adapter)}
}

// eventValue is the CEL value of the event variable: a typed view of the
// decoded JSON object (value.go), or an error when it is not an object.
func eventValue(event any, adapter types.Adapter) ref.Val {
	switch m := event.(type) {
	case map[string]any:
		return &object{typeName: EventType, path: "event", index: -1, m: m, adapter: adapter}
	case nil:
		return &object{typeName: EventType, path: "event", index: -1, adapter: adapter}
	}
	return types.NewErr("event: expected an object, got %s", jsonKind(event))
}

// activation binds the event and the named lists for one evaluation.
type activation struct {
	e     *Evaluator
	event ref.Val
}

func (a *activation) ResolveName(name string) (any, bool) {
	switch name {
	case "event":
		return a.event, true
	case "now":
		return a.e.nowValue(), true
	}
	v, ok := a.e.lists[name]
	return v, ok
}

func (a *activation) Parent() interpreter.Activation { return nil }
