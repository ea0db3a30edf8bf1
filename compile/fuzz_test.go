package compile

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"testing"
	"unicode/utf8"

	"cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/types"
	"github.com/dop251/goja"
	jsast "github.com/dop251/goja/ast"
	"github.com/dop251/goja/parser"

	"github.com/mfapolicy/mfapolicy/internal/diag"
	"github.com/mfapolicy/mfapolicy/policy"
)

// FuzzCompile: for any policy text that checks, Compile does not panic,
// fails only with positioned diagnostics, and its output parses with
// esbuild; policy text (name, ids, reasons, list values, CEL string
// literals, conditions) changes nothing outside string literals and
// comments; and the Action, run in goja, decides like policy.Evaluate, so
// a reason such as `"); process.exit(1); //` stays inert. When text is not
// empty it replaces all those pieces of the checked policy (ids with a
// number appended), so that every valid seed carries the fuzzed text to
// every place policy text reaches.
func FuzzCompile(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*/policy.yaml")
	for _, s := range seeds {
		b, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b), "")
		f.Add(string(b), "\"); process.exit(1); //")
	}
	events := fuzzEvents(f)
	f.Fuzz(func(t *testing.T, src, text string) {
		p, diags := policy.Parse("fuzz.yaml", []byte(src))
		if diags.HasErrors() || !utf8.ValidString(text) {
			return
		}
		if text != "" {
			replaceText(p, withText(text))
		}
		res, err := Compile(p, Options{})
		if err != nil {
			var dl diag.List
			if errors.As(err, &dl) {
				return // a construct the compiler rejects, with its position
			}
			t.Fatalf("Compile: %v", err)
		}
		esbuildParses(t, "code.js", res.Code)
		neutral, _ := policy.Parse("fuzz.yaml", []byte(src))
		replaceText(neutral, placeholders())
		base, err := Compile(neutral, Options{})
		if err != nil {
			t.Fatalf("Compile with policy text replaced: %v", err)
		}
		got, want := outsideLiterals(t, res.Code), outsideLiterals(t, base.Code)
		if got != want {
			t.Fatalf("policy text changed the code outside string literals and comments, first at %s", firstDiff([]byte(want), []byte(got)))
		}
		checkInert(t, p, res.Code, events)
	})
}

func fuzzEvents(t testing.TB) []any {
	return append([]any{map[string]any{}}, commonEvents(t)[:3]...)
}

// placeholders maps equal texts to equal placeholders s0, s1...
func placeholders() func(string) string { return withText("s") }

// withText maps equal texts to equal replacements, text followed by a
// number, so that what the compiler shares between equal strings (a
// regular expression used twice) stays shared, and nothing else.
func withText(text string) func(string) string {
	names := map[string]string{}
	return func(s string) string {
		if _, ok := names[s]; !ok {
			names[s] = text + strconv.Itoa(len(names))
		}
		return names[s]
	}
}

// replaceText replaces every piece of policy text that reaches the Action
// by sub of it: the name, ids (with the rule's number appended, to keep
// them distinct), conditions, reasons, list strings and the string
// literals of the checked conditions.
func replaceText(p *policy.Policy, sub func(string) string) {
	p.Name = sub(p.Name)
	for _, a := range []*policy.Action{&p.Default, &p.OnError} {
		a.Reason = sub(a.Reason)
	}
	for i := range p.Lists {
		for j, v := range p.Lists[i].Values {
			if s, ok := v.(string); ok {
				p.Lists[i].Values[j] = sub(s)
			}
		}
	}
	fac := ast.NewExprFactory()
	for i, r := range p.Rules {
		r.ID, r.When, r.Action.Reason = sub(r.ID)+strconv.Itoa(i), sub(r.When), sub(r.Action.Reason)
		ast.PostOrderVisit(r.AST.NativeRep().Expr(), ast.NewExprVisitor(func(e ast.Expr) {
			if e.Kind() != ast.LiteralKind {
				return
			}
			if s, ok := e.AsLiteral().(types.String); ok {
				e.SetKindCase(fac.NewLiteral(e.ID(), types.String(sub(string(s)))))
			}
		}))
	}
}

// comments matches comments, with the line of a comment on a line of its
// own: the number of comment lines follows the policy text.
var comments = regexp.MustCompile(`(?m)^[ \t]*//[^\n]*\n|//[^\n]*|/\*[\s\S]*?\*/`)

// outsideLiterals returns code with every string, template and regular
// expression literal replaced by "" and every comment removed: the part of
// the code that policy text must not reach.
func outsideLiterals(t testing.TB, code []byte) string {
	prog, err := parser.ParseFile(nil, "code.js", string(code), 0)
	if err != nil {
		t.Fatalf("goja cannot parse the Action: %v", err)
	}
	type span struct{ from, to int }
	var spans []span
	walkJS(reflect.ValueOf(prog), func(n any) {
		switch n := n.(type) {
		case *jsast.StringLiteral:
			spans = append(spans, span{int(n.Idx) - 1, int(n.Idx) - 1 + len(n.Literal)})
		case *jsast.RegExpLiteral:
			spans = append(spans, span{int(n.Idx) - 1, int(n.Idx) - 1 + len(n.Literal)})
		case *jsast.TemplateLiteral:
			spans = append(spans, span{int(n.OpenQuote) - 1, int(n.CloseQuote)})
		}
	})
	sort.Slice(spans, func(i, j int) bool { return spans[i].from < spans[j].from })
	var out []byte
	at := 0
	for _, s := range spans {
		if s.from < at {
			continue // nested in a template literal already dropped
		}
		out = append(append(out, code[at:s.from]...), `""`...)
		at = s.to
	}
	out = append(out, code[at:]...)
	return comments.ReplaceAllString(string(out), "")
}

// walkJS calls fn with every node pointer of a goja AST.
func walkJS(v reflect.Value, fn func(any)) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return
		}
		if v.Kind() == reflect.Pointer && v.Elem().Kind() == reflect.Struct {
			fn(v.Interface())
		}
		walkJS(v.Elem(), fn)
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				walkJS(v.Field(i), fn)
			}
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			walkJS(v.Index(i), fn)
		}
	}
}

// checkInert loads the Action in goja, with a process object that records
// any use, and compares its decisions with the reference evaluator's.
func checkInert(t *testing.T, p *policy.Policy, code []byte, events []any) {
	vm := goja.New()
	touched := false
	proc := vm.NewObject()
	_ = proc.Set("exit", func(goja.FunctionCall) goja.Value { touched = true; return goja.Undefined() })
	_ = vm.Set("process", proc)
	_ = vm.Set("require", func(goja.FunctionCall) goja.Value { touched = true; return goja.Undefined() })
	m := &gojaModule{vm: vm}
	module, exports := vm.NewObject(), vm.NewObject()
	_ = module.Set("exports", exports)
	_ = vm.Set("module", module)
	_ = vm.Set("exports", exports)
	if _, err := vm.RunScript("code.js", string(code)); err != nil {
		t.Fatalf("goja: loading the Action: %v", err)
	}
	m.exports = module.Get("exports").ToObject(vm)
	m.stringify, _ = goja.AssertFunction(vm.Get("JSON").ToObject(vm).Get("stringify"))
	for _, ev := range events {
		got, err := jsVerdict(m.call(t, jsCall{Fn: "decide", Args: []any{ev}}))
		if err != nil {
			t.Fatal(err)
		}
		if want := referenceVerdict(p, ev); !reflect.DeepEqual(got, want) {
			t.Fatalf("on %v: cel-go %v, goja %v", ev, want, got)
		}
	}
	if touched {
		t.Fatal("the Action used process or require")
	}
}
