package policy

import (
	"fmt"
	"strings"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common"
	"cel.dev/cel-go/common/ast"

	"github.com/mfapolicy/mfapolicy/internal/diag"
)

// check type-checks every rule's condition and runs the domain lints.
func (l *loader) check() {
	env, err := NewEnv(l.p.Lists)
	if err == nil && len(l.badLists) > 0 {
		// A list that did not load is still declared, so the rules that
		// use it do not repeat its error as "unknown name".
		var opts []cel.EnvOption
		for _, name := range l.badLists {
			opts = append(opts, cel.Variable("lists."+name, cel.ListType(cel.DynType)))
		}
		env, err = env.Extend(opts...)
	}
	if err != nil {
		l.errorf(diag.Pos{File: l.src.Name}, codeCELType, "", "cannot build the CEL environment: %v", err)
		return
	}
	l.p.env = env
	unconditional := ""
	for _, r := range l.p.Rules {
		if r.when == nil {
			continue
		}
		if unconditional != "" {
			l.errorf(r.Pos, codeUnreachable, fmt.Sprintf("move it above rule %q, or remove it", unconditional),
				"rule %q is unreachable: rule %q before it always matches", r.ID, unconditional)
		}
		a, ok := l.compileRule(env, r)
		if !ok {
			continue
		}
		r.AST = a
		lc := &lintCtx{l: l, r: r, env: env, a: a.NativeRep()}
		lc.walk(lc.a.Expr())
		if c, ok := constantBool(lc.a.Expr()); ok {
			if c {
				unconditional = r.ID
			} else {
				l.warnf(l.src.PosOf(r.when.start()), codeConstantRule, "remove the rule, or write the condition it should test",
					"rule %q never matches: its condition is always false", r.ID)
			}
		}
	}
}

// compileRule parses and checks one condition, reporting CEL's issues at
// their positions in the policy file.
func (l *loader) compileRule(env *cel.Env, r *Rule) (*cel.Ast, bool) {
	if strings.TrimSpace(r.When) == "" {
		l.errorf(r.WhenPos, codeCELSyntax, "write a condition, or `\"true\"` for a rule that always applies", "rule %q: the condition is empty", r.ID)
		return nil, false
	}
	parsed, iss := env.Parse(r.When)
	if iss.Err() != nil {
		l.celIssues(r, iss, codeCELSyntax)
		return nil, false
	}
	checked, iss := env.Check(parsed)
	if iss.Err() != nil {
		l.celIssues(r, iss, codeCELType)
		return nil, false
	}
	if out := checked.OutputType(); !out.IsExactType(cel.BoolType) {
		hint := "compare the value, for example `event.stats.logins_count > 1` or `event.user.email != ''`"
		if out.IsExactType(cel.DynType) {
			hint = "the value's type is known only at run time; compare it, for example `... == true`"
		}
		l.errorf(l.src.PosOf(r.when.start()), codeNotBool, hint, "rule %q: the condition must be true or false, but it is of type %s", r.ID, out)
		return nil, false
	}
	return checked, true
}

func (l *loader) celIssues(r *Rule, iss *cel.Issues, code string) {
	for _, e := range iss.Errors() {
		m := celMessage(e.Message, code)
		if m.code == codeUndeclared {
			m.hint = l.undeclaredHint(m.name)
			if r.when.isCall(e.Location.Line(), e.Location.Column()) {
				m.text = fmt.Sprintf("unknown function %q", m.name)
				m.hint = functionHint(l.p.env, m.name)
			}
		}
		l.errorf(l.celPos(r, e.Location), m.code, m.hint, "rule %q: %s", r.ID, m.text)
	}
}

// functionHint suggests a supported function for an unknown one.
func functionHint(env *cel.Env, name string) string {
	var names []string
	for fn, decl := range env.Functions() {
		for _, o := range decl.OverloadDecls() {
			if IsSupportedOverload(o.ID()) && !strings.ContainsAny(fn, "_@!-") {
				names = append(names, fn)
				break
			}
		}
	}
	if s := diag.Suggest(name, names); s != "" {
		return fmt.Sprintf("did you mean %q?", s)
	}
	return "docs/policy.md lists the functions a policy can use"
}

func (l *loader) undeclaredHint(name string) string {
	known := []string{"event"}
	for _, list := range l.p.Lists {
		known = append(known, "lists."+list.Name)
	}
	if strings.HasPrefix(name, "lists.") || name == "lists" {
		if len(l.p.Lists) == 0 {
			return "define it under `lists:` at the top of the policy"
		}
	}
	if s := diag.Suggest(name, known); s != "" {
		return fmt.Sprintf("did you mean %q?", s)
	}
	return "conditions can read `event` and `lists.NAME`"
}

// celPos maps a CEL location inside a condition to the policy file.
func (l *loader) celPos(r *Rule, loc common.Location) diag.Pos {
	if loc == nil || loc.Line() < 1 || r.when == nil {
		return r.WhenPos
	}
	return l.src.PosOf(r.when.tokenOffset(loc.Line(), loc.Column()))
}

// ExprPos returns the file position of the CEL expression id in rule r.
func (p *Policy) ExprPos(r *Rule, id int64) diag.Pos {
	if r.AST == nil || r.when == nil {
		return r.WhenPos
	}
	loc := r.AST.NativeRep().SourceInfo().GetStartLocation(id)
	if loc.Line() < 1 {
		return r.WhenPos
	}
	return p.Source.PosOf(r.when.tokenOffset(loc.Line(), loc.Column()))
}

// Problem makes an error diagnostic at the CEL expression id of rule r; the
// compiler uses it to report what it cannot translate.
func (p *Policy) Problem(r *Rule, id int64, code, msg, hint string) diag.Diagnostic {
	return p.Source.New(diag.Error, p.ExprPos(r, id), code, msg, hint)
}

// Env returns the CEL environment the policy was checked in.
func (p *Policy) Env() *cel.Env { return p.env }

func constantBool(e ast.Expr) (bool, bool) {
	if e.Kind() != ast.LiteralKind {
		return false, false
	}
	b, ok := e.AsLiteral().Value().(bool)
	return b, ok
}
