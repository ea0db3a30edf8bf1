package policy

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/types"

	"github.com/mfapolicy/mfapolicy/internal/diag"
)

// Confidences are the risk-assessment confidence values Auth0 documents;
// they are discrete and unordered
// (https://auth0.com/docs/secure/multi-factor-authentication/adaptive-mfa/customize-adaptive-mfa).
var Confidences = []string{"low", "medium", "high", "neutral"}

// assessmentCodes are the documented codes per assessor (post-login event
// object page). Unknown codes are warnings: Auth0's logs show more.
var assessmentCodes = map[string][]string{
	"UntrustedIP": {"not_found_on_deny_list", "found_on_deny_list", "invalid_ip_address", "assessment_not_available"},
	"NewDevice":   {"match", "partial_match", "no_match", "initial_login", "unknown_device", "no_device_history", "assessment_not_available"},
	"ImpossibleTravel": {"minimal_travel_from_last_login", "travel_from_last_login", "substantial_travel_from_last_login",
		"impossible_travel_from_last_login", "invalid_travel", "missing_geoip", "anonymous_proxy", "unknown_location",
		"initial_login", "location_history_not_found", "assessment_not_available"},
	"AgentDetection": {"unknown", "verified_agent"},
}

// enrolledFactorTypes are the types event.user.enrolledFactors reports.
var enrolledFactorTypes = []string{"push-notification", "phone", "email", "otp", "webauthn-roaming", "webauthn-platform", "recovery-code"}

type lintCtx struct {
	l   *loader
	r   *Rule
	env *cel.Env
	a   *ast.AST
}

func (c *lintCtx) pos(id int64) diag.Pos {
	loc := c.a.SourceInfo().GetStartLocation(id)
	if loc.Line() < 1 {
		return c.r.WhenPos
	}
	return c.l.src.PosOf(c.r.when.tokenOffset(loc.Line(), loc.Column()))
}

func (c *lintCtx) errorf(id int64, code, hint, format string, args ...any) {
	c.l.errorf(c.pos(id), code, hint, "rule %q: "+format, append([]any{c.r.ID}, args...)...)
}

func (c *lintCtx) warnf(id int64, code, hint, format string, args ...any) {
	c.l.warnf(c.pos(id), code, hint, "rule %q: "+format, append([]any{c.r.ID}, args...)...)
}

// walk lints e and its sub-expressions. It reports whether it rejected an
// unsupported function among them: only the innermost is reported, since
// the calls around it fail because of it.
func (c *lintCtx) walk(e ast.Expr) bool {
	bad := false
	switch e.Kind() {
	case ast.CallKind:
		call := e.AsCall()
		if call.IsMemberFunction() {
			bad = c.walk(call.Target())
		}
		for _, a := range call.Args() {
			bad = c.walk(a) || bad
		}
		if !bad {
			bad = c.call(e, call)
		}
	case ast.SelectKind:
		bad = c.walk(e.AsSelect().Operand())
	case ast.ListKind:
		for _, el := range e.AsList().Elements() {
			bad = c.walk(el) || bad
		}
	case ast.MapKind:
		c.repeatedKeys(e)
		for _, en := range e.AsMap().Entries() {
			me := en.AsMapEntry()
			bad = c.walk(me.Key()) || bad
			bad = c.walk(me.Value()) || bad
		}
	case ast.ComprehensionKind:
		comp := e.AsComprehension()
		if comp.AccuInit().Kind() == ast.ListKind && c.a.GetType(comp.IterRange().ID()).Kind() == types.MapKind {
			c.errorf(e.ID(), codeUnsupported, "test the keys with all, exists or exists_one, or look values up by key",
				"map, filter and transformList over a map make a list in the order of the map's keys, which cel-go does not keep (the Action and its preview could order it differently)")
			bad = true
		}
		for _, x := range []ast.Expr{comp.IterRange(), comp.AccuInit(), comp.LoopCondition(), comp.LoopStep(), comp.Result()} {
			bad = c.walk(x) || bad
		}
	case ast.StructKind:
		c.errorf(e.ID(), codeUnsupported, "", "building messages is not supported in policies")
		bad = true
	}
	return bad
}

// typeKnown reports whether type() of e is the same in cel-go and in the
// Action: e is not an event object, and its type is known when checked
// (or e is dyn() of such a value).
func (c *lintCtx) typeKnown(e ast.Expr) bool {
	switch c.a.GetType(e.ID()).Kind() {
	case types.StructKind:
		return false
	case types.DynKind:
		if e.Kind() == ast.CallKind && e.AsCall().FunctionName() == "dyn" && len(e.AsCall().Args()) == 1 {
			return c.typeKnown(e.AsCall().Args()[0])
		}
		return false
	}
	return true
}

// zone checks a getter's time zone argument: a string literal naming UTC
// or a fixed offset (ZoneOffset), so that the Action and the simulator
// read the time alike.
func (c *lintCtx) zone(arg ast.Expr) {
	s, ok := stringLiteral(arg)
	if !ok {
		c.errorf(arg.ID(), codeUnsupported, "write the zone as a literal, for example 'UTC' or '+02:00'",
			"the time zone must be a string literal, so that it can be checked when the policy is checked")
		return
	}
	if _, err := ZoneOffset(s); err != nil {
		c.errorf(arg.ID(), codeUnsupported, "write UTC or the offset in effect, for example '+01:00' or '-05:00'", "%v", err)
	}
}

// repeatedKeys rejects a map literal whose constant keys repeat (0 and 0u
// and 0.0 are one key to a lookup): CEL requires an error, cel-go keeps the
// last value, so the policy's meaning would depend on the evaluator.
func (c *lintCtx) repeatedKeys(e ast.Expr) {
	seen := map[string]bool{}
	for _, en := range e.AsMap().Entries() {
		k := en.AsMapEntry().Key()
		if k.Kind() != ast.LiteralKind {
			continue
		}
		var id string
		switch v := k.AsLiteral().(type) {
		case types.String:
			id = "s" + string(v)
		case types.Bool:
			id = fmt.Sprint("b", bool(v))
		case types.Int:
			id = fmt.Sprint("n", int64(v))
		case types.Uint:
			id = fmt.Sprint("n", uint64(v))
		case types.Double:
			id = fmt.Sprint("n", float64(v))
			if float64(v) == math.Trunc(float64(v)) && math.Abs(float64(v)) < 1<<63 {
				id = fmt.Sprint("n", int64(v))
			}
		default:
			continue
		}
		if seen[id] {
			text := fmt.Sprint(k.AsLiteral())
			if s, ok := k.AsLiteral().(types.String); ok {
				text = strconv.Quote(string(s))
			}
			c.errorf(k.ID(), codeUnsupported, "give each key once", "the map literal repeats the key %s: CEL makes that an error, while cel-go keeps the last value", text)
			return
		}
		seen[id] = true
	}
}

// call lints one call; it reports whether the call is unsupported.
func (c *lintCtx) call(e ast.Expr, call ast.CallExpr) bool {
	ids := c.overloads(e.ID())
	supported := false
	for _, id := range ids {
		supported = supported || IsSupportedOverload(id)
	}
	if len(ids) > 0 && !supported {
		c.errorf(e.ID(), codeUnsupported, rejectReason(ids[0]), "%s cannot be used in a policy", c.signature(call))
		return true
	}
	if len(ids) > 1 && !dynamicFunctions[call.FunctionName()] {
		// The checker left several overloads because an operand is dyn;
		// only operators dispatch on the run-time type in the Action.
		c.errorf(e.ID(), codeUnsupported, "compare the value directly, for example `event.user.app_metadata.level >= 3`",
			"%s cannot be used on a value whose type is known only at run time", c.signature(call))
		return true
	}
	args := call.Args()
	if len(ids) == 1 && ids[0] == "type" && !c.typeKnown(args[0]) {
		c.errorf(e.ID(), codeUnsupported, "compare the value itself, or give type() a value whose type the checker knows",
			"type() of an event object, or of a value whose type is known only at run time, is not supported: the Action holds event objects as JSON objects, which read as maps")
		return true
	}
	if len(ids) == 1 && zonedOverloads[ids[0]] {
		c.zone(args[0])
	}
	switch call.FunctionName() {
	case "_==_", "_!=_":
		for i := range 2 {
			if t := c.a.GetType(args[i].ID()); t.Kind() == types.StructKind {
				c.errorf(e.ID(), codeObjectEquality, "compare the fields you mean, for example event.request.geoip.countryCode", "objects of the event cannot be compared as a whole")
				return false
			}
		}
		c.enum(args[0], args[1])
		c.enum(args[1], args[0])
	case "@in":
		c.enum(args[0], args[1])
	case "_<_", "_<=_", "_>_", "_>=_":
		for _, a := range args {
			if enum, _ := c.enumOf(a); enum == "confidence" {
				c.errorf(e.ID(), codeConfidenceOrder, "confidence values are discrete: write `... in ['low', 'medium']` instead",
					"risk confidence cannot be ordered with %s", strings.Trim(call.FunctionName(), "_"))
				return false
			}
		}
	case "matches":
		pattern := args[len(args)-1]
		if s, ok := stringLiteral(pattern); ok {
			if _, err := regexp.Compile(s); err != nil {
				c.errorf(pattern.ID(), codeBadRegex, "patterns use RE2 syntax (https://github.com/google/re2/wiki/Syntax)", "invalid regular expression: %s", strings.TrimPrefix(err.Error(), "error parsing regexp: "))
			}
		}
	case "ip", "cidr", "containsIP", "containsCIDR":
		c.networkLiteral(call.FunctionName(), args)
	}
	return false
}

// signature shows a call with the types of its operands, for example
// string(double), operator < on (timestamp, timestamp).
func (c *lintCtx) signature(call ast.CallExpr) string {
	var types []string
	for _, a := range call.Args() {
		types = append(types, c.a.GetType(a.ID()).String())
	}
	args := strings.Join(types, ", ")
	if op, ok := operators[call.FunctionName()]; ok {
		return fmt.Sprintf("operator %s on (%s)", op, args)
	}
	if call.IsMemberFunction() {
		return fmt.Sprintf("%s.%s(%s)", c.a.GetType(call.Target().ID()), call.FunctionName(), args)
	}
	return fmt.Sprintf("%s(%s)", call.FunctionName(), args)
}

// dynamicFunctions accept operands whose type is known only at run time
// (dyn): the compiled Action picks the overload by the values' types, as
// cel-go does.
var dynamicFunctions = setOf("_==_", "_!=_", "_+_", "_-_", "_*_", "_/_", "_%_", "-_", "!_",
	"_<_", "_<=_", "_>_", "_>=_", "@in", "_[_]", "size")

// overloads returns the overload ids the checker resolved for a call.
func (c *lintCtx) overloads(id int64) []string {
	ref, ok := c.a.ReferenceMap()[id]
	if !ok || ref == nil {
		return nil
	}
	return ref.OverloadIDs
}

// enumOf classifies a field whose values form a closed set.
func (c *lintCtx) enumOf(e ast.Expr) (enum, assessor string) {
	if e.Kind() != ast.SelectKind {
		return "", ""
	}
	sel := e.AsSelect()
	t := c.a.GetType(sel.Operand().ID())
	if t.Kind() != types.StructKind {
		return "", ""
	}
	switch t.TypeName() + "." + sel.FieldName() {
	case "auth0.RiskAssessment.confidence", "auth0.Assessment.confidence":
		return "confidence", ""
	case "auth0.GeoIP.countryCode":
		return "country", ""
	case "auth0.EnrolledFactor.type":
		return "factor", ""
	case "auth0.Assessment.code":
		if op := sel.Operand(); op.Kind() == ast.SelectKind {
			return "code", op.AsSelect().FieldName()
		}
	}
	return "", ""
}

// enum checks the literal values compared with a closed-set field.
func (c *lintCtx) enum(field, other ast.Expr) {
	kind, assessor := c.enumOf(field)
	if kind == "" {
		return
	}
	if s, ok := stringLiteral(other); ok {
		c.enumValue(kind, assessor, other.ID(), s)
		return
	}
	switch other.Kind() {
	case ast.ListKind:
		for _, el := range other.AsList().Elements() {
			if s, ok := stringLiteral(el); ok {
				c.enumValue(kind, assessor, el.ID(), s)
			}
		}
	case ast.IdentKind:
		c.enumList(kind, assessor, other.AsIdent())
	case ast.SelectKind:
		if op := other.AsSelect().Operand(); op.Kind() == ast.IdentKind && op.AsIdent() == "lists" {
			c.enumList(kind, assessor, "lists."+other.AsSelect().FieldName())
		}
	}
}

func (c *lintCtx) enumList(kind, assessor, name string) {
	for _, list := range c.l.p.Lists {
		if "lists."+list.Name != name {
			continue
		}
		for i, v := range list.Values {
			s, ok := v.(string)
			if !ok {
				continue
			}
			if msg, hint, bad := enumProblem(kind, assessor, s); bad {
				c.l.report(severityOf(kind), c.l.pos(list.nodes[i]), enumCode(kind), hint,
					"list %q (used by rule %q): %s", list.Name, c.r.ID, msg)
			}
		}
	}
}

func (c *lintCtx) enumValue(kind, assessor string, id int64, s string) {
	if msg, hint, bad := enumProblem(kind, assessor, s); bad {
		c.l.report(severityOf(kind), c.pos(id), enumCode(kind), hint, "rule %q: %s", c.r.ID, msg)
	}
}

func severityOf(kind string) diag.Severity {
	if kind == "code" {
		return diag.Warning
	}
	return diag.Error
}

func enumCode(kind string) string {
	switch kind {
	case "confidence":
		return codeConfidence
	case "country":
		return codeCountry
	case "factor":
		return codeUnknownFactor
	}
	return codeAssessmentCode
}

// enumProblem says what is wrong with literal s for a closed-set field.
func enumProblem(kind, assessor, s string) (msg, hint string, bad bool) {
	if s == "" {
		// What an absent field reads as (docs/semantics.md): comparing
		// with '' is how a policy asks whether the data is there.
		return "", "", false
	}
	switch kind {
	case "confidence":
		if slices.Contains(Confidences, s) {
			return "", "", false
		}
		hint = "Auth0 reports low, medium, high or neutral"
		if sug := diag.Suggest(s, Confidences); sug != "" {
			hint = fmt.Sprintf("did you mean %q?", sug)
		}
		return fmt.Sprintf("%q is not a risk confidence", s), hint, true
	case "country":
		if IsCountry(s) {
			return "", "", false
		}
		return fmt.Sprintf("%q is not an ISO 3166-1 alpha-2 country code", s), countryHint(s), true
	case "factor":
		if slices.Contains(enrolledFactorTypes, s) {
			return "", "", false
		}
		hint = "enrolled factor types are " + strings.Join(enrolledFactorTypes, ", ")
		if alias, ok := factorAliases[strings.ToLower(s)]; ok {
			hint = fmt.Sprintf("Auth0 calls this factor %q", alias)
		} else if sug := diag.Suggest(s, enrolledFactorTypes); sug != "" {
			hint = fmt.Sprintf("did you mean %q?", sug)
		}
		return fmt.Sprintf("%q is not a factor type", s), hint, true
	case "code":
		codes, known := assessmentCodes[assessor]
		if !known || slices.Contains(codes, s) {
			return "", "", false
		}
		hint = "documented codes: " + strings.Join(codes, ", ")
		if sug := diag.Suggest(s, codes); sug != "" {
			hint = fmt.Sprintf("did you mean %q?", sug)
		}
		return fmt.Sprintf("%q is not a documented %s code", s, assessor), hint, true
	}
	return "", "", false
}

// networkLiteral checks literal IP and CIDR strings with the same parser
// the rule will use at run time.
func (c *lintCtx) networkLiteral(fn string, args []ast.Expr) {
	for _, a := range args {
		s, ok := stringLiteral(a)
		if !ok {
			continue
		}
		check := "isIP(s)"
		what := "an IP address"
		if fn == "cidr" || fn == "containsCIDR" {
			check, what = "isCIDR(s)", "a CIDR range"
		}
		if !evalBool(c.env, check, s) {
			c.errorf(a.ID(), codeBadIP, "IPv4 without leading zeros (10.0.0.1), IPv6 without zone; ranges as 10.0.0.0/8", "%q is not %s", s, what)
		}
	}
}

// evalBool evaluates a one-variable boolean CEL expression over s.
func evalBool(env *cel.Env, expr, s string) bool {
	e, err := env.Extend(cel.Variable("s", cel.StringType))
	if err != nil {
		return false
	}
	a, iss := e.Compile(expr)
	if iss.Err() != nil {
		return false
	}
	prg, err := e.Program(a)
	if err != nil {
		return false
	}
	out, _, err := prg.Eval(map[string]any{"s": s})
	return err == nil && out == types.True
}

func stringLiteral(e ast.Expr) (string, bool) {
	if e.Kind() != ast.LiteralKind {
		return "", false
	}
	s, ok := e.AsLiteral().(types.String)
	return string(s), ok
}
