package compile

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strings"

	"github.com/mfapolicy/mfapolicy/internal/diag"
	"github.com/mfapolicy/mfapolicy/policy"
	"github.com/mfapolicy/mfapolicy/templates"
)

// Options tune the generated Action.
type Options struct {
	// Minify shortens the output; the default keeps it readable, with each
	// rule's id and condition in a comment above its code.
	Minify bool
}

// Result is a compiled policy.
type Result struct {
	// Code is the Action's code.js: a CommonJS module exporting
	// onExecutePostLogin(event, api) and decide(event).
	Code []byte
	// ActionJSON describes the Action: name, runtime, supported trigger,
	// secrets and dependencies (none).
	ActionJSON []byte
	// Fields are the event paths the rules read or test with has(),
	// sorted, without the leading "event." (for example
	// "request.geoip.countryCode"; "[]" marks the elements of a list).
	Fields []string
	// Rules are the rule ids in policy order: the order the Action
	// evaluates them and the ids its decisions name.
	Rules []string
	// Tenant is the policy's `tenant:` section, which the deploy-cli and
	// terraform layouts carry beside the Action; nil without one.
	Tenant *policy.TenantConfig
}

// Code is the diagnostic code of a CEL construct the compiler cannot
// translate faithfully.
const Code = "unsupported-in-javascript"

// CompileFile loads, checks and compiles the policy file at path. Errors
// are a diag.List with file:line:col positions.
func CompileFile(path string, opts Options) (*Result, error) {
	p, diags := policy.Load(path)
	if diags.HasErrors() {
		return nil, diags.Errors()
	}
	return Compile(p, opts)
}

// Compile turns a checked policy into the Action. Anything the compiler
// cannot translate with CEL's exact semantics is an error at the CEL
// node's position, never an approximation.
func Compile(p *policy.Policy, opts Options) (*Result, error) {
	src, fields, err := generate(p)
	if err != nil {
		return nil, err
	}
	entry, err := fs.ReadFile(templates.FS, "action.js")
	if err != nil {
		return nil, err
	}
	node := "22"
	if p.Runtime == "node18" {
		node = "18"
	}
	code, err := bundle(string(entry), src, bundleOptions{node: node, minify: opts.Minify})
	if err != nil {
		return nil, err
	}
	aj, err := actionJSON(p)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(p.Rules))
	for i, r := range p.Rules {
		ids[i] = r.ID
	}
	return &Result{Code: code, ActionJSON: aj, Fields: fields, Rules: ids, Tenant: p.Tenant}, nil
}

// generate writes the "mfapolicy:policy" module: one function per rule,
// the rule table, and the default and on_error actions.
func generate(p *policy.Policy) (string, []string, error) {
	env := p.Env()
	if env == nil {
		return "", nil, errors.New("the policy was not checked")
	}
	mod := newModule()
	mod.ranges = p.AddressRanges
	roots := map[string]rootVar{
		"event": {js: call("rt.root", primary("event")), path: "event", event: "event"},
		// now is the Action's clock (Date.now()), which the simulator sets
		// to the login's time.
		"now": {js: call("rt.now"), path: "now"},
	}
	var lists []string
	for i, l := range p.Lists {
		name := fmt.Sprintf("list%d", i)
		lit, err := listLiteral(l)
		if err != nil {
			return "", nil, diag.List{p.Source.New(diag.Error, l.Pos, Code, err.Error(), "")}
		}
		lists = append(lists, "//! lists."+jsComment(l.Name), "const "+name+" = "+lit+";")
		roots["lists."+l.Name] = rootVar{js: primary(name), path: "lists." + l.Name}
	}
	var funcs, table []string
	var diags diag.List
	for i, r := range p.Rules {
		if r.AST == nil {
			return "", nil, fmt.Errorf("rule %q did not check", r.ID)
		}
		fn := fmt.Sprintf("rule%d", i)
		js, lifted, err := translateBody(env, r.AST, mod, roots, fn, "event")
		if err != nil {
			var te *translateError
			if errors.As(err, &te) {
				diags = append(diags, p.Problem(r, te.id, Code, te.msg, "see docs/cel-support.md for what compiles to JavaScript"))
				continue
			}
			return "", nil, err
		}
		funcs = append(funcs, ruleComment(r)+"\nfunction "+fn+"(event) {\n"+js+"\n}")
		funcs = append(funcs, lifted...)
		id, err := jsString(r.ID)
		if err != nil {
			return "", nil, err
		}
		act, err := actionLiteral(r.Action)
		if err != nil {
			return "", nil, err
		}
		table = append(table, fmt.Sprintf("  { id: %s, when: %s, action: %s },", id, fn, act))
	}
	if len(diags) > 0 {
		diags.Sort()
		return "", nil, diags
	}
	def, err := actionLiteral(p.Default)
	if err != nil {
		return "", nil, err
	}
	onErr, err := actionLiteral(p.OnError)
	if err != nil {
		return "", nil, err
	}
	var b strings.Builder
	b.WriteString("import * as rt from \"" + runtimeImport + "\";\n\n")
	for _, part := range [][]string{mod.consts, lists, mod.late} {
		if len(part) > 0 {
			b.WriteString(strings.Join(part, "\n") + "\n\n")
		}
	}
	b.WriteString(strings.Join(funcs, "\n\n") + "\n\n")
	b.WriteString("export const rules = [\n" + strings.Join(table, "\n") + "\n];\n")
	b.WriteString("export const defaultAction = " + def + ";\n")
	b.WriteString("export const onErrorAction = " + onErr + ";\n")
	var fields []string
	for f := range mod.fields {
		// Reads through a value the schema cannot name ("value.ip" of a
		// conditional's result) are left out.
		if rest, ok := strings.CutPrefix(f, "event."); ok {
			fields = append(fields, rest)
		}
	}
	sort.Strings(fields)
	return b.String(), fields, nil
}

// ruleComment shows the rule's id, position and CEL source, one comment
// line per source line, escaped.
func ruleComment(r *policy.Rule) string {
	lines := []string{fmt.Sprintf("//! rule %s (%s)", jsComment(r.ID), jsComment(r.Pos.String()))}
	for _, l := range strings.Split(strings.TrimRight(r.When, "\n"), "\n") {
		lines = append(lines, "//!   "+jsComment(l))
	}
	return strings.Join(lines, "\n")
}

func actionLiteral(a policy.Action) (string, error) {
	outcome, err := jsString(string(a.Then))
	if err != nil {
		return "", err
	}
	factors := make([]string, len(a.Factors))
	for i, f := range a.Factors {
		if factors[i], err = jsString(f); err != nil {
			return "", err
		}
	}
	reason, err := jsString(a.Reason)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("{ outcome: %s, factors: [%s], reason: %s }", outcome, strings.Join(factors, ", "), reason), nil
}

// listLiteral renders a named list as a JavaScript array of CEL values.
func listLiteral(l policy.List) (string, error) {
	parts := make([]string, len(l.Values))
	for i, v := range l.Values {
		switch v := v.(type) {
		case string:
			s, err := jsString(v)
			if err != nil {
				return "", fmt.Errorf("list %s: %v", l.Name, err)
			}
			parts[i] = s
		case int64:
			parts[i] = jsInt(v)
		case float64:
			parts[i] = jsDouble(v)
		case bool:
			parts[i] = fmt.Sprint(v)
		default:
			return "", fmt.Errorf("list %s: values of type %T are not supported", l.Name, v)
		}
	}
	return "[" + strings.Join(parts, ", ") + "]", nil
}

// actionJSON is the Action's metadata, as the Management API and the
// deploy tools take it.
func actionJSON(p *policy.Policy) ([]byte, error) {
	runtime := p.Runtime
	if runtime == "" {
		runtime = "node22"
	}
	return marshal(map[string]any{
		"name":               p.Name,
		"runtime":            runtime,
		"supported_triggers": []map[string]string{{"id": "post-login", "version": "v3"}},
		"secrets":            []any{},
		"dependencies":       []any{},
	})
}

func marshal(v any) ([]byte, error) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

func unmarshalAction(b []byte) (map[string]any, error) {
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	return m, nil
}
