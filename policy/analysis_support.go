package policy

import (
	"fmt"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/types/ref"
)

// ExprProgram is a compiled CEL expression over the event, evaluated with
// the same reading rules as a rule's condition.
type ExprProgram func(event any, vars map[string]any) (ref.Val, error)

// CompileExpr compiles CEL source text, such as a sub-expression of a rule
// printed back to text, in the policy's environment. vars names extra
// variables (of type dyn) that the evaluation binds, for example the
// variable of a macro. Package analyze evaluates the conditions it treats
// symbolically with it.
func (p *Policy) CompileExpr(expr string, vars []string) (ExprProgram, error) {
	if p.env == nil {
		return nil, fmt.Errorf("the policy was not checked")
	}
	env := p.env
	if len(vars) > 0 {
		opts := make([]cel.EnvOption, len(vars))
		for i, v := range vars {
			opts[i] = cel.Variable(v, cel.DynType)
		}
		var err error
		if env, err = env.Extend(opts...); err != nil {
			return nil, err
		}
	}
	ast, iss := env.Compile(expr)
	if iss.Err() != nil {
		return nil, iss.Err()
	}
	prg, err := env.Program(ast)
	if err != nil {
		return nil, err
	}
	return func(event any, vars map[string]any) (ref.Val, error) {
		act := p.activation(event)
		for k, v := range vars {
			act[k] = v
		}
		out, _, err := prg.Eval(act)
		return out, err
	}, nil
}
