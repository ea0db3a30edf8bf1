package policy

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/common/types/traits"
	"cel.dev/cel-go/interpreter"

	"github.com/mfapolicy/mfapolicy/internal/diag"
)

// Trace is how the policy decided one event: each rule in order, with the
// value of every sub-expression cel-go evaluated, and the decision.
type Trace struct {
	Rules    []RuleTrace `json:"rules"`
	Decision Decision    `json:"decision"`
}

// RuleTrace is one rule's evaluation.
type RuleTrace struct {
	Rule string   `json:"rule"`
	When string   `json:"when"`
	Pos  diag.Pos `json:"position"`
	// Evaluated is false for rules after the deciding one.
	Evaluated bool `json:"evaluated"`
	// Result is "true", "false" or "error: <message>"; empty when not evaluated.
	Result string `json:"result,omitempty"`
	Steps  []Step `json:"steps,omitempty"`
}

// Step is one sub-expression and its value. Depth nests sub-expressions
// under the expression that uses them. Value is empty when CEL did not
// evaluate the sub-expression (short-circuited by && or ||, for example).
type Step struct {
	Depth     int    `json:"depth"`
	Expr      string `json:"expr"`
	Value     string `json:"value,omitempty"`
	Evaluated bool   `json:"evaluated"`
}

// Trace evaluates the rules like Evaluate, recording sub-expression values.
func (p *Policy) Trace(event any) Trace { return p.TraceAt(event, time.Now()) }

// TraceAt is Trace with `now` set to t.
func (p *Policy) TraceAt(event any, t time.Time) Trace {
	var tr Trace
	tr.Decision = p.EvaluateAt(event, t)
	act := p.activation(event)
	act["now"] = NowValue(t)
	decided := false
	for _, r := range p.Rules {
		rt := RuleTrace{Rule: r.ID, When: r.When, Pos: r.WhenPos}
		if decided || r.AST == nil {
			tr.Rules = append(tr.Rules, rt)
			continue
		}
		rt.Evaluated = true
		prg, err := p.env.Program(r.AST, cel.EvalOptions(cel.OptTrackState))
		if err != nil {
			rt.Result = "error: " + err.Error()
			tr.Rules = append(tr.Rules, rt)
			decided = true
			continue
		}
		out, det, err := prg.Eval(act)
		switch {
		case err != nil:
			rt.Result = "error: " + err.Error()
			decided = true
		case out == types.True:
			rt.Result = "true"
			decided = true
		default:
			rt.Result = formatValue(out)
		}
		if det != nil {
			native := r.AST.NativeRep()
			w := &stepWalker{state: det.State(), info: native.SourceInfo()}
			w.walk(native.Expr(), 0)
			rt.Steps = w.steps
		}
		tr.Rules = append(tr.Rules, rt)
	}
	return tr
}

type stepWalker struct {
	state interpreter.EvalState
	info  *ast.SourceInfo
	steps []Step
}

func (w *stepWalker) add(e ast.Expr, depth int) {
	text, err := cel.ExprToString(e, w.info)
	if err != nil {
		text = fmt.Sprintf("<expr %d>", e.ID())
	}
	s := Step{Depth: depth, Expr: strings.Join(strings.Fields(text), " ")}
	if v, ok := w.state.Value(e.ID()); ok && v != nil {
		s.Evaluated = true
		s.Value = formatValue(v)
	}
	w.steps = append(w.steps, s)
}

// walk records e and the sub-expressions worth showing: calls and their
// arguments, whole field paths (not each object on the way), and the range
// of a macro (not its internal accumulator).
func (w *stepWalker) walk(e ast.Expr, depth int) {
	switch e.Kind() {
	case ast.LiteralKind:
		return
	case ast.SelectKind, ast.IdentKind:
		w.add(e, depth)
	case ast.CallKind:
		w.add(e, depth)
		call := e.AsCall()
		if call.IsMemberFunction() {
			w.walk(call.Target(), depth+1)
		}
		for _, a := range call.Args() {
			w.walk(a, depth+1)
		}
	case ast.ComprehensionKind:
		w.add(e, depth)
		w.walk(e.AsComprehension().IterRange(), depth+1)
	case ast.ListKind:
		for _, el := range e.AsList().Elements() {
			if el.Kind() != ast.LiteralKind {
				w.add(e, depth)
				return
			}
		}
	case ast.MapKind:
		w.add(e, depth)
	}
}

// formatValue renders a CEL value as CEL literal syntax, for explanations.
func formatValue(v ref.Val) string {
	switch x := v.(type) {
	case *types.Err:
		return "error: " + x.Error()
	case types.String:
		return strconv.Quote(string(x))
	case types.Int:
		return strconv.FormatInt(int64(x), 10)
	case types.Uint:
		return strconv.FormatUint(uint64(x), 10) + "u"
	case types.Double:
		return strconv.FormatFloat(float64(x), 'g', -1, 64)
	case types.Bool:
		return strconv.FormatBool(bool(x))
	case types.Null:
		return "null"
	case types.Timestamp:
		return "timestamp(" + strconv.Quote(string(x.ConvertToType(types.StringType).(types.String))) + ")"
	case types.Duration:
		return "duration(" + strconv.Quote(string(x.ConvertToType(types.StringType).(types.String))) + ")"
	case types.Bytes:
		return fmt.Sprintf("b%q", []byte(x))
	case *object:
		if x.m == nil {
			return "{} (absent)"
		}
		b, err := json.Marshal(x.m)
		if err != nil || len(b) > 120 {
			return fmt.Sprintf("{%s}", strings.Join(slices.Sorted(maps.Keys(x.m)), ", "))
		}
		return string(b)
	case traits.Lister:
		var parts []string
		it := x.Iterator()
		for it.HasNext() == types.True {
			parts = append(parts, formatValue(it.Next()))
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case traits.Mapper:
		var parts []string
		it := x.Iterator()
		for it.HasNext() == types.True {
			k := it.Next()
			parts = append(parts, formatValue(k)+": "+formatValue(x.Get(k)))
		}
		sort.Strings(parts)
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return fmt.Sprint(v.Value())
}
