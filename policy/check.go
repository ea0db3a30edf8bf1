package policy

import (
	"fmt"
	"regexp"
	"strings"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common"
	"cel.dev/cel-go/common/ast"

	"github.com/mfapolicy/mfapolicy/internal/diag"
)

// check type-checks every rule's condition and runs the domain lints.
func (l *loader) check() {
	env, err := NewEnv(l.p.Lists)
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
			l.errorf(r.Pos, codeUnreachable, "move it above the rule "+unconditional+", or remove it",
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
				l.warnf(r.WhenPos, codeConstantRule, "", "rule %q never matches: its condition is always false", r.ID)
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
	if !checked.OutputType().IsExactType(cel.BoolType) {
		hint := ""
		if checked.OutputType().IsExactType(cel.DynType) {
			hint = "the value's type is known only at run time; compare it, for example `... == true`"
		}
		l.errorf(r.WhenPos, codeNotBool, hint, "rule %q: the condition must be a boolean, not %s", r.ID, checked.OutputType())
		return nil, false
	}
	return checked, true
}

var (
	undefinedField = regexp.MustCompile(`undefined field '([^']*)'`)
	undeclaredRef  = regexp.MustCompile(`undeclared reference to '([^']*)'`)
)

func (l *loader) celIssues(r *Rule, iss *cel.Issues, code string) {
	for _, e := range iss.Errors() {
		pos := l.celPos(r, e.Location)
		msg := e.Message
		c, hint := code, ""
		if m := undefinedField.FindStringSubmatch(msg); m != nil {
			c = codeUnknownField
			if s := diag.Suggest(m[1], allFieldNames()); s != "" {
				hint = fmt.Sprintf("did you mean %q?", s)
			}
			msg = fmt.Sprintf("unknown field %q", m[1])
		} else if m := undeclaredRef.FindStringSubmatch(msg); m != nil {
			c = codeUndeclared
			hint = l.undeclaredHint(m[1])
			msg = fmt.Sprintf("unknown name %q", m[1])
		} else if strings.Contains(msg, "found no matching overload") {
			hint = "the operand types do not fit this operator or function; see docs/cel-support.md"
		}
		l.errorf(pos, c, hint, "rule %q: %s", r.ID, msg)
	}
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
	return l.src.PosOf(r.when.offsetAt(loc.Line(), loc.Column()))
}

// ExprPos returns the file position of the CEL expression id in rule r.
func (p *Policy) ExprPos(r *Rule, id int64) diag.Pos {
	if r.AST == nil || r.when == nil {
		return r.WhenPos
	}
	loc, ok := r.AST.NativeRep().SourceInfo().GetStartLocation(id), true
	if !ok || loc.Line() < 1 {
		return r.WhenPos
	}
	return p.Source.PosOf(r.when.offsetAt(loc.Line(), loc.Column()))
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
