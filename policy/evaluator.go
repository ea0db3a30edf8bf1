package policy

import (
	"fmt"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/ast"
	celops "cel.dev/cel-go/common/operators"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/interpreter"
	"cel.dev/cel-go/parser"
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
	// parts holds, per rule whose condition is a chain of && or ||, the
	// programs of the parts and the fields each reads (memo.go).
	parts []ruleParts
	// whole holds, per rule whose condition is a quantifier over address
	// ranges, the quantifier, which a Memo decides from the address alone.
	whole []*cidrExists
	// cidrs counts the quantifiers over constant ranges planned as one
	// address parse and a loop (cidrfold.go).
	cidrs int
	// now is the value of `now` (clock.go); nil reads the wall clock.
	now ref.Val
}

// NewEvaluator builds the evaluator of a checked policy.
func (p *Policy) NewEvaluator() (*Evaluator, error) {
	if p.env == nil {
		return nil, fmt.Errorf("the policy was not checked")
	}
	e := &Evaluator{p: p, programs: make([]cel.Program, len(p.Rules)), adapter: p.env.CELTypeAdapter(), lists: map[string]ref.Val{}, paths: make([][][]string, len(p.Rules)), parts: make([]ruleParts, len(p.Rules)), whole: make([]*cidrExists, len(p.Rules))}
	toCIDR := cidrBinding(p.env)
	for i, r := range p.Rules {
		if r.AST == nil {
			return nil, fmt.Errorf("rule %q did not check", r.ID)
		}
		var ranges []cidrExists
		if toCIDR != nil {
			ranges = findCIDRExists(r.AST.NativeRep(), p.Lists, toCIDR)
		}
		planned := 0
		opts := func(more ...cel.ProgramOption) []cel.ProgramOption {
			planned = 0
			if dec := cidrDecorator(ranges, &planned); dec != nil {
				more = append(more, dec)
			}
			return more
		}
		prg, err := p.env.Program(r.AST, opts(cel.EvalOptions(cel.OptOptimize))...)
		if err != nil {
			// The optimiser evaluates constant expressions while it plans,
			// and a constant conversion that fails (int('')) fails the
			// plan; without it the error comes at evaluation, as in the
			// Action.
			prg, err = p.env.Program(r.AST, opts()...)
		}
		if err != nil {
			return nil, fmt.Errorf("rule %q: %w", r.ID, err)
		}
		e.programs[i] = prg
		e.cidrs += planned
		e.paths[i] = memoPaths(r)
		e.whole[i] = cidrOf(r.AST.NativeRep().Expr(), ranges)
		if e.paths[i] != nil {
			e.parts[i] = p.ruleParts(r, ranges, func() []cel.ProgramOption { return opts(cel.EvalOptions(cel.OptOptimize)) })
		}
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
		o := eventObject(m, adapter)
		return &o
	case nil:
		o := eventObject(nil, adapter)
		return &o
	}
	return types.NewErr("event: expected an object, got %s", jsonKind(event))
}

// eventObject is the object of the event variable over m (nil: an
// absent event).
func eventObject(m map[string]any, adapter types.Adapter) object {
	return object{typeName: EventType, path: "event", index: -1, m: m, adapter: adapter}
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

// ruleParts are the parts of a rule whose condition is a chain of && (or
// of ||), each a program of its own; none when it is not, or a part does
// not plan.
type ruleParts struct {
	or    bool
	parts []partProgram
}

type partProgram struct {
	prog  cel.Program
	paths [][]string
	cidr  *cidrExists // when the part is a quantifier over address ranges
	// expr and text are the part's expression and its text as cel-go
	// writes it back (empty when it cannot): two policies' parts with the
	// same text over the same lists have the same value on every event.
	expr ast.Expr
	text string
	// sub holds the parts of a part that is itself a chain of the other
	// operator ((a || b) && c): none when it is not.
	sub ruleParts
}

func (p *Policy) ruleParts(r *Rule, ranges []cidrExists, opts func() []cel.ProgramOption) ruleParts {
	return p.chainParts(r.AST.NativeRep(), r.AST.NativeRep().Expr(), ranges, opts)
}

// chainParts returns the parts of e, an expression of the checked
// condition native, when it is a chain of && or ||; a part that is a chain
// of the other operator has parts of its own.
func (p *Policy) chainParts(native *ast.AST, e ast.Expr, ranges []cidrExists, opts func() []cel.ProgramOption) ruleParts {
	if e.Kind() != ast.CallKind {
		return ruleParts{}
	}
	op := e.AsCall().FunctionName()
	if op != celops.LogicalAnd && op != celops.LogicalOr {
		return ruleParts{}
	}
	var chain []ast.Expr
	var flatten func(x ast.Expr)
	flatten = func(x ast.Expr) {
		if x.Kind() == ast.CallKind && x.AsCall().FunctionName() == op {
			for _, a := range x.AsCall().Args() {
				flatten(a)
			}
			return
		}
		chain = append(chain, x)
	}
	flatten(e)
	out := ruleParts{or: op == celops.LogicalOr}
	for _, x := range chain {
		sub := ast.NewCheckedAST(ast.NewAST(x, native.SourceInfo()), native.TypeMap(), native.ReferenceMap())
		pb, err := ast.ToProto(sub)
		if err != nil {
			return ruleParts{}
		}
		prg, err := p.env.Program(cel.CheckedExprToAst(pb), opts()...)
		if err != nil {
			return ruleParts{} // a constant part that fails to plan: the rule is evaluated whole
		}
		text, err := parser.Unparse(x, native.SourceInfo())
		if err != nil {
			text = ""
		}
		out.parts = append(out.parts, partProgram{prog: prg, paths: memoPathsOf(x), cidr: cidrOf(x, ranges), expr: x, text: text,
			sub: p.chainParts(native, x, ranges, opts)})
	}
	return out
}

// cidrOf returns the quantifier over address ranges that x is, nil when
// it is none.
func cidrOf(x ast.Expr, ranges []cidrExists) *cidrExists {
	for i := range ranges {
		if ranges[i].fold == x.ID() {
			return &ranges[i]
		}
	}
	return nil
}
