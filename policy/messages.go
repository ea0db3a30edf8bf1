package policy

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/mfapolicy/mfapolicy/internal/diag"
)

// Diagnostic codes of the policy package. Each is stable: scripts and
// editors may match on them.
const (
	codeUnreadable      = "unreadable"
	codeYAML            = "yaml-syntax"
	codeTooLarge        = "policy-too-large"
	codeNotMapping      = "not-a-mapping"
	codeUnknownKey      = "unknown-key"
	codeDuplicateKey    = "duplicate-key"
	codeWrongType       = "wrong-type"
	codeMissingKey      = "missing-key"
	codeEmptyName       = "empty-name"
	codeBadRuntime      = "unknown-runtime"
	codeBadOutcome      = "unknown-outcome"
	codeDuplicateRule   = "duplicate-rule-id"
	codeBadRuleID       = "invalid-rule-id"
	codeBadList         = "invalid-list"
	codeDuplicateList   = "duplicate-list"
	codeNoRules         = "no-rules"
	codeCELSyntax       = "cel-syntax"
	codeCELType         = "cel-type"
	codeUnknownField    = "unknown-field"
	codeUndeclared      = "undeclared-reference"
	codeNotBool         = "condition-not-bool"
	codeUnsupported     = "unsupported-function"
	codeMissingFactors  = "missing-factors"
	codeMissingReason   = "missing-reason"
	codeIgnoredKey      = "ignored-key"
	codeUnknownFactor   = "unknown-factor"
	codeEnrollEmail     = "enroll-email"
	codeDuplicateFactor = "duplicate-factor"
	codeConfidence      = "invalid-confidence"
	codeConfidenceOrder = "confidence-order"
	codeCountry         = "invalid-country"
	codeAssessmentCode  = "unknown-assessment-code"
	codeUnreachable     = "unreachable-rule"
	codeConstantRule    = "constant-condition"
	codeBadRegex        = "invalid-regex"
	codeBadIP           = "invalid-ip"
	codeObjectEquality  = "object-equality"
	codeBadTenant       = "invalid-tenant"
	codeFactorDisabled  = "factor-disabled"
	codeNoFactorLeft    = "no-enabled-factor"
)

// celProblem is a cel-go issue reworded for a policy author.
type celProblem struct {
	code, text, hint string
	// name is the unknown name of an undeclared-reference problem.
	name string
}

var (
	reUndefinedField = regexp.MustCompile(`undefined field '([^']*)'`)
	reUndeclared     = regexp.MustCompile(`undeclared reference to '([^']*)'`)
	reNoOverload     = regexp.MustCompile(`found no matching overload for '([^']*)' applied to '(.*)'$`)
	reBadNetwork     = regexp.MustCompile(`invalid (ip|cidr) argument: (.*)$`)
	reQuoted         = regexp.MustCompile(` ?"([^"]*)"`)
	reSyntax         = regexp.MustCompile(`^Syntax error: (.*)$`)
	reExpecting      = regexp.MustCompile(` expecting (\{.*\}|'[^']*')$`)
)

// celMessage rewords one cel-go issue; code is the default code for it.
func celMessage(msg, code string) celProblem {
	if m := reUndefinedField.FindStringSubmatch(msg); m != nil {
		p := celProblem{code: codeUnknownField, text: fmt.Sprintf("unknown field %q", m[1])}
		if s := diag.Suggest(m[1], allFieldNames()); s != "" {
			p.hint = fmt.Sprintf("did you mean %q?", s)
		}
		return p
	}
	if m := reUndeclared.FindStringSubmatch(msg); m != nil {
		return celProblem{code: codeUndeclared, text: fmt.Sprintf("unknown name %q", m[1]), name: m[1]}
	}
	if m := reNoOverload.FindStringSubmatch(msg); m != nil {
		return noOverload(m[1], m[2])
	}
	if m := reBadNetwork.FindStringSubmatch(msg); m != nil {
		return networkProblem(m[1], m[2])
	}
	if m := reSyntax.FindStringSubmatch(msg); m != nil {
		return syntaxProblem(m[1])
	}
	return celProblem{code: code, text: msg}
}

// networkProblem rewords cel-go's rejection of a literal ip() or cidr()
// argument, for example `IP Address "1.2.3.04" parse error during
// conversion from string: ParseAddr("1.2.3.04"): IPv4 field has octet with
// leading zero`.
func networkProblem(fn, detail string) celProblem {
	what := "an IP address"
	if fn == "cidr" {
		what = "a CIDR range"
	}
	q := reQuoted.FindStringSubmatch(detail)
	if q == nil {
		return celProblem{code: codeBadIP, text: fmt.Sprintf("invalid %s() argument: %s", fn, detail), hint: networkHint}
	}
	reason := detail
	if strings.Contains(detail, "parse error") {
		reason = detail[strings.LastIndex(detail, ": ")+2:]
	} else {
		reason = strings.Replace(detail, q[0], "", 1)
	}
	return celProblem{code: codeBadIP, text: fmt.Sprintf("%q is not %s: %s", q[1], what, reason), hint: networkHint}
}

const networkHint = "IPv4 without leading zeros (10.0.0.1), IPv6 without zone; ranges as 10.0.0.0/8"

// operators names CEL's operator functions as they are written.
var operators = map[string]string{
	"_==_": "==", "_!=_": "!=", "_<_": "<", "_<=_": "<=", "_>_": ">", "_>=_": ">=",
	"_+_": "+", "_-_": "-", "_*_": "*", "_/_": "/", "_%_": "%", "-_": "-", "!_": "!",
	"_&&_": "&&", "_||_": "||", "_?_:_": "?:", "_[_]": "[]", "@in": "in",
}

func noOverload(fn, args string) celProblem {
	p := celProblem{code: codeCELType,
		hint: "the types do not fit; docs/policy.md lists the type of every event field and what each function accepts"}
	op, ok := operators[fn]
	if !ok {
		p.text = fmt.Sprintf("%s() cannot be applied to %s", fn, args)
		return p
	}
	operands := splitTypes(strings.TrimSuffix(strings.TrimPrefix(args, "("), ")"))
	p.text = fmt.Sprintf("operator %s cannot be applied to %s", op, strings.Join(operands, " and "))
	switch op {
	case "==", "!=", "in":
		p.hint = "both sides must have the same type: write 3 for an int, 3.0 for a double, '3' for a string"
	case "<", "<=", ">", ">=":
		p.hint = "both sides must be numbers, or both strings, or both booleans; quote strings, leave numbers bare"
	}
	return p
}

// splitTypes splits a comma-separated list of CEL types at the top level,
// so map(string, int) stays whole.
func splitTypes(s string) []string {
	var out []string
	depth, start := 0, 0
	for i, r := range s {
		switch r {
		case '(':
			depth++
		case ')':
			depth--
		case ',':
			if depth == 0 {
				out = append(out, strings.TrimSpace(s[start:i]))
				start = i + 1
			}
		}
	}
	return append(out, strings.TrimSpace(s[start:]))
}

func syntaxProblem(msg string) celProblem {
	p := celProblem{code: codeCELSyntax}
	switch {
	case strings.HasPrefix(msg, "mismatched input '<EOF>'"):
		p.text = "syntax error: the condition ends too early"
		p.hint = "an operator or an opening bracket is missing its other half"
		return p
	case strings.HasPrefix(msg, "token recognition error at: "):
		p.text = "syntax error: unexpected character " + strings.TrimPrefix(msg, "token recognition error at: ")
		return p
	}
	if m := reExpecting.FindStringSubmatch(msg); m != nil {
		msg = strings.TrimSuffix(msg, m[0])
		if !strings.HasPrefix(m[1], "{") {
			msg += ", expected " + m[1]
		}
	}
	msg = strings.Replace(msg, " at '<EOF>'", " at the end of the condition", 1)
	msg = strings.Replace(msg, "mismatched input ", "unexpected ", 1)
	msg = strings.Replace(msg, "extraneous input ", "unexpected ", 1)
	p.text = "syntax error: " + msg
	return p
}
