// Package fidelity proves that the three evaluators of a policy agree: the
// cel-go reference evaluator, the compiled Action in goja, and the same
// code.js in Node.js. It generates random well-typed policies and hostile
// events, runs them through all three and minimises any disagreement.
package fidelity

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// Gen draws random policies and events from a seeded source, so a failing
// case can be reproduced from its seed.
type Gen struct {
	r       *rand.Rand
	lists   []genList
	hostile bool
}

type genList struct {
	name   string
	values []string
}

// NewGen returns a generator for seed.
func NewGen(seed uint64) *Gen {
	return &Gen{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
}

func (g *Gen) pick(xs ...string) string { return xs[g.r.IntN(len(xs))] }
func (g *Gen) chance(p float64) bool    { return g.r.Float64() < p }

// stringPool holds edge-case strings: empty, unicode beyond the BMP,
// case variants, quotes and backslashes, and the values real rules compare.
// orderingPool holds strings whose code-point order differs from their
// UTF-16 code-unit order (a supplementary character sorts after U+FFFF).
var orderingPool = []string{"\uffff", "\ue000", "😀", "a😀", "a\uffff", "ü", "z"}

var stringPool = []string{
	"", "US", "CA", "GB", "KP", "de", "low", "medium", "high", "neutral", "admin", "Admin",
	"otp", "email", "push-notification", "webauthn-platform", "ü", "😀", "a😀b", "\uffff", "\u00e9t\u00e9",
	"it's", `back\slash`, "line\nbreak", "auth0", "google-oauth2", "Billing", "Admin Console",
	"1.2.3.4", "10.0.0.1", "::1", "2001:db8::1", "found_on_deny_list", "match", "no_match",
	"impossible_travel_from_last_login", "42", "-7", "9223372036854775808", "true",
}

// celString quotes s as a CEL string literal.
func celString(s string) string {
	var b strings.Builder
	b.WriteByte('\'')
	for _, r := range s {
		switch r {
		case '\'':
			b.WriteString(`\'`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('\'')
	return b.String()
}

func (g *Gen) strLit() string { return celString(stringPool[g.r.IntN(len(stringPool))]) }

var stringFields = []string{
	"event.request.geoip.countryCode", "event.request.geoip.countryCode3", "event.request.geoip.cityName",
	"event.request.ip", "event.request.user_agent", "event.client.name", "event.client.client_id",
	"event.connection.name", "event.connection.strategy", "event.user.email", "event.user.user_id",
	"event.authentication.riskAssessment.confidence",
	"event.authentication.riskAssessment.assessments.UntrustedIP.code",
	"event.authentication.riskAssessment.assessments.NewDevice.confidence",
	"event.authentication.riskAssessment.assessments.ImpossibleTravel.code",
	"event.transaction.protocol", "event.organization.name",
}

var hasPaths = []string{
	"event.request.geoip", "event.request.geoip.countryCode", "event.authentication.riskAssessment",
	"event.authentication", "event.user.enrolledFactors", "event.user.multifactor", "event.user.app_metadata", "event.stats.logins_count",
	"event.user.app_metadata.vip", "event.user.app_metadata.level", "event.client.metadata.tier",
	"event.authorization", "event.request.ip",
}

// Str returns a random CEL expression of type string.
func (g *Gen) Str(depth int) string {
	if depth <= 0 || g.chance(0.5) {
		if g.chance(0.4) {
			return g.strLit()
		}
		return g.pick(stringFields...)
	}
	switch g.r.IntN(5) {
	case 0:
		return g.Str(depth-1) + " + " + g.Str(depth-1)
	case 1:
		return g.paren(g.Str(depth-1)) + ".lowerAscii()"
	case 2:
		return g.paren(g.Str(depth-1)) + ".upperAscii()"
	case 3:
		return "string(" + g.Int(depth-1) + ")"
	default:
		return "(" + g.Bool(depth-1) + " ? " + g.Str(depth-1) + " : " + g.Str(depth-1) + ")"
	}
}

var intLits = []string{"0", "1", "-1", "3", "7", "100", "9223372036854775807", "-9223372036854775807", "4611686018427387904", "2147483648"}

// Int returns a random CEL expression of type int.
func (g *Gen) Int(depth int) string {
	if depth <= 0 || g.chance(0.4) {
		switch g.r.IntN(4) {
		case 0:
			return "event.stats.logins_count"
		case 1:
			return "size(" + g.pick("event.authorization.roles", "event.user.enrolledFactors", "event.user.multifactor", "event.user.app_metadata", "event.request.query") + ")"
		case 2:
			return "size(" + g.Str(0) + ")"
		}
		return g.pick(intLits...)
	}
	switch g.r.IntN(6) {
	case 0, 1:
		return "(" + g.Int(depth-1) + " " + g.pick("+", "-", "*", "/", "%") + " " + g.Int(depth-1) + ")"
	case 2:
		return "-" + g.Int(depth-1)
	case 3:
		return "int(" + g.pick(g.Str(depth-1), g.Dbl(depth-1), "uint("+g.Int(depth-1)+")") + ")"
	case 4:
		return "(" + g.Bool(depth-1) + " ? " + g.Int(depth-1) + " : " + g.Int(depth-1) + ")"
	}
	return "int(" + g.Dbl(depth-1) + ")"
}

// Dbl returns a random CEL expression of type double.
func (g *Gen) Dbl(depth int) string {
	if depth <= 0 || g.chance(0.5) {
		return g.pick("event.request.geoip.latitude", "event.request.geoip.longitude", "1.5", "0.0", "-0.0",
			"1e308", "2.5e-3", "double(event.stats.logins_count)", "(0.0 / 0.0)", "9.2233720368547758e18")
	}
	return "(" + g.Dbl(depth-1) + " " + g.pick("+", "-", "*", "/") + " " + g.Dbl(depth-1) + ")"
}

// dynValue is a random CEL literal to compare with a dynamic JSON value.
func (g *Gen) dynValue() string {
	return g.pick("true", "false", "null", "2", "2.0", "2u", "'gold'", "'2'", "[1, 2]", "{'a': 1}", "-1")
}

// Bool returns a random CEL expression of type bool.
func (g *Gen) Bool(depth int) string {
	if depth <= 0 {
		return g.leafBool()
	}
	switch g.r.IntN(10) {
	case 0:
		return "!" + g.paren(g.Bool(depth-1))
	case 1, 2:
		return g.paren(g.Bool(depth-1)) + " && " + g.paren(g.Bool(depth-1))
	case 3, 4:
		return g.paren(g.Bool(depth-1)) + " || " + g.paren(g.Bool(depth-1))
	case 5:
		return g.paren(g.Bool(depth-1) + " ? " + g.Bool(depth-1) + " : " + g.Bool(depth-1))
	case 6:
		return g.macro(depth - 1)
	case 7:
		return g.Int(depth-1) + " " + g.pick("<", "<=", ">", ">=", "==", "!=") + " " + g.Int(depth-1)
	case 8:
		if g.chance(0.5) {
			return g.Dbl(depth-1) + " " + g.pick("<", "<=", ">", ">=") + " " + g.Int(depth-1)
		}
		return g.Dbl(depth-1) + " " + g.pick("<", "<=", ">", ">=", "==", "!=") + " " + g.Dbl(depth-1)
	}
	return g.leafBool()
}

func (g *Gen) paren(s string) string { return "(" + s + ")" }

func (g *Gen) macro(depth int) string {
	v := "x"
	switch g.r.IntN(8) {
	case 6:
		return g.twoVarMacro(depth)
	case 7:
		return g.twoVarMacro(depth)
	case 0:
		return "event.authorization.roles." + g.pick("exists", "all", "exists_one") + "(x, " + g.strPred(v, depth) + ")"
	case 1:
		return "event.user.enrolledFactors." + g.pick("exists", "all", "exists_one") + "(x, x.type == " + g.strLit() + ")"
	case 2:
		return "event.authorization.roles.filter(x, " + g.strPred(v, depth) + ").size() " + g.pick(">", "==") + " " + g.pick("0", "1")
	case 3:
		return "event.authorization.roles.map(x, x.lowerAscii()).exists(y, y == " + g.strLit() + ")"
	case 4:
		if len(g.lists) > 0 {
			l := g.lists[g.r.IntN(len(g.lists))]
			return "lists." + l.name + ".exists(x, " + g.strPred(v, depth) + ")"
		}
	}
	return "[1, 2, 0].all(x, 10 / x > " + g.Int(0) + ")"
}

// twoVarMacro returns a two-variable comprehension (cel-go's
// ext.TwoVarComprehensions) over a list (index, element) or a map (key,
// value) of the event, with predicates and transforms that may error.
func (g *Gen) twoVarMacro(depth int) string {
	switch g.r.IntN(7) {
	case 0:
		return "event.authorization.roles." + g.pick("all", "exists", "existsOne") + "(i, r, " +
			g.pick("i < 2", "i == 0 && r == "+g.strLit(), g.strPred("r", depth)+" || i > 1", "10 / (1 - i) > 0") + ")"
	case 1:
		return "event.user.app_metadata." + g.pick("all", "exists", "existsOne") + "(k, v, " +
			g.pick("k == 'vip' && v == true", "k.startsWith('t')", "v == "+g.dynValue(), "size(k) > 3 || v == 2.0") + ")"
	case 2:
		return "event.authorization.roles.transformList(i, r, " + g.pick("r.upperAscii()", "string(i)", "r + string(i)") + ")" +
			g.pick(".size() > 1", ".exists(x, x == 'ADMIN')", " == ['ADMIN']")
	case 3:
		return "event.authorization.roles.transformList(i, r, " + g.pick("i > 0", "r != ''", "10 / i > 1") + ", r).size() " + g.pick(">", "==") + " 1"
	case 4:
		return "event.user.app_metadata.transformMap(k, v, " + g.pick("k", "v", "k + '!'") + ")" + g.pick(".size() > 1", "['tier'] == 'gold'", ".exists(x, x == 'vip')")
	case 5:
		return "event.client.metadata.transformMap(k, v, " + g.pick("k != 'tier'", "v == 'eu'") + ", v).size() == " + g.pick("0", "1")
	}
	return "event.user.app_metadata.transformMapEntry(k, v, " + g.pick("{k.upperAscii(): v}", "{'same': v}", "{k: k}") + ").size() " + g.pick(">", "==") + " 1"
}

func (g *Gen) strPred(v string, depth int) string {
	switch g.r.IntN(4) {
	case 0:
		return v + " == " + g.Str(depth)
	case 1:
		return v + "." + g.pick("startsWith", "endsWith", "contains") + "(" + g.Str(depth) + ")"
	case 2:
		return "size(" + v + ") > " + g.pick("0", "1", "3")
	}
	return v + " " + g.pick("<", ">=") + " " + g.Str(depth)
}

var patterns = []string{"^a", "b$", "^(US|CA)$", "[0-9]+", ".", "^$", "(?i)admin", "\\\\d{2,}", "😀", "^.{2}$", "a|b", "[^a-z]"}

func (g *Gen) leafBool() string {
	switch g.r.IntN(19) {
	case 16:
		return g.Ts(1) + " " + g.pick("<", "<=", ">", ">=", "==", "!=") + " " + g.Ts(1)
	case 17:
		return g.Dur(1) + " " + g.pick("<", "<=", ">", ">=", "==", "!=") + " " + g.Dur(1)
	case 18:
		return g.timeBool()
	case 0:
		return g.pick("true", "false")
	case 1:
		return "has(" + g.pick(hasPaths...) + ")"
	case 2:
		if g.chance(0.3) {
			// Code-point order differs from UTF-16 order between these.
			return celString(g.pick(orderingPool...)) + " " + g.pick("<", ">", "<=", ">=") + " " + g.pick(celString(g.pick(orderingPool...)), "event.user.email")
		}
		return g.Str(1) + " " + g.pick("==", "!=", "<", ">", "<=", ">=") + " " + g.Str(1)
	case 3:
		return g.paren(g.Str(1)) + "." + g.pick("contains", "startsWith", "endsWith") + "(" + g.Str(0) + ")"
	case 4:
		return g.paren(g.Str(1)) + ".matches(" + celString(g.pick(patterns...)) + ")"
	case 5:
		return g.Str(0) + " in [" + g.strLit() + ", " + g.strLit() + "]"
	case 6:
		if len(g.lists) > 0 {
			return g.Str(0) + " in lists." + g.lists[g.r.IntN(len(g.lists))].name
		}
		return "'admin' in event.authorization.roles"
	case 7:
		if g.chance(0.4) {
			return g.pick("'guardian'", "'duo'") + " in event.user.multifactor"
		}
		return g.strLit() + " in event.authorization.roles"
	case 8:
		return "event.user.app_metadata." + g.pick("vip", "level", "tier", "tags") + " == " + g.dynValue()
	case 9:
		return g.strLit() + " in event.user.app_metadata"
	case 10:
		return "isIP(" + g.Str(0) + ")"
	case 11:
		return "cidr(" + celString(g.pick("10.0.0.0/8", "2001:db8::/32", "0.0.0.0/0", "1.2.3.4/32", "::/0")) + ").containsIP(" + g.pick("event.request.ip", "'10.1.2.3'", "'2001:db8::5'", "ip(event.request.ip)") + ")"
	case 12:
		return "ip(event.request.ip)." + g.pick("isLoopback", "isGlobalUnicast", "isUnspecified", "isLinkLocalUnicast") + "()"
	case 13:
		return "event.user.email_verified" + g.pick("", " == true", " != false")
	case 14:
		return "event.client.metadata." + g.pick("tier", "region") + " == " + g.strLit()
	}
	return "uint(event.stats.logins_count) " + g.pick("+", "-", "*") + " " + g.pick("1u", "5u", "18446744073709551615u") + " > 3u"
}

// Time: timestamps at the logins' time (now), from the event's strings
// and from literals near the range's ends; durations from Go's duration
// texts and from differences; the getters in UTC and at fixed offsets.

var tsLits = []string{"'2026-03-10T00:30:15.25Z'", "'2026-03-10T13:30:15.25+01:00'", "'0001-01-01T00:00:00Z'",
	"'9999-12-31T23:59:59.999999999Z'", "'1970-01-01T00:00:00Z'", "'2024-02-29T23:59:59.999999999-23:59'"}

var durLits = []string{"'12h'", "'-12h'", "'1ns'", "'0'", "'1.5h'", "'2562047h47m16.854775807s'", "'-2562047h47m16.854775808s'",
	"'90m'", "'720h'", "'1.000000001s'"}

var zones = []string{"", "'UTC'", "'+01:00'", "'-05:00'", "'+23:59'", "'-00:30'"}

// Ts returns a random CEL expression of type timestamp.
func (g *Gen) Ts(depth int) string {
	if depth <= 0 || g.chance(0.5) {
		switch g.r.IntN(5) {
		case 0, 1:
			return "now"
		case 2:
			return "timestamp(" + g.pick(tsLits...) + ")"
		case 3:
			return "timestamp(" + g.pick("event.user.created_at", "event.authentication.methods[0].timestamp", g.Str(0)) + ")"
		}
		return "timestamp(" + g.Int(0) + ")"
	}
	return "(" + g.Ts(depth-1) + " " + g.pick("+", "-") + " " + g.Dur(depth-1) + ")"
}

// Dur returns a random CEL expression of type duration.
func (g *Gen) Dur(depth int) string {
	if depth <= 0 || g.chance(0.5) {
		if g.chance(0.8) {
			return "duration(" + g.pick(durLits...) + ")"
		}
		return "duration(" + g.Str(0) + ")"
	}
	switch g.r.IntN(3) {
	case 0:
		return "(" + g.Ts(depth-1) + " - " + g.Ts(depth-1) + ")"
	case 1:
		return "(" + g.Dur(depth-1) + " " + g.pick("+", "-") + " " + g.Dur(depth-1) + ")"
	}
	return "(" + g.Dur(depth-1) + " + " + g.Ts(depth-1) + " - " + g.Ts(depth-1) + ")"
}

// timeBool returns a condition on a time's parts, text or number, or the
// freshness test of a login's authentication methods.
func (g *Gen) timeBool() string {
	switch g.r.IntN(5) {
	case 0:
		getter := g.pick("getFullYear", "getMonth", "getDayOfYear", "getDate", "getDayOfMonth", "getDayOfWeek",
			"getHours", "getMinutes", "getSeconds", "getMilliseconds")
		return g.paren(g.Ts(1)) + "." + getter + "(" + g.pick(zones...) + ") " + g.pick("<", "==", ">=") + " " + g.pick("0", "1", "12", "250", "2026", "68")
	case 1:
		return g.paren(g.Dur(1)) + "." + g.pick("getHours", "getMinutes", "getSeconds", "getMilliseconds") + "() " + g.pick("<", ">=") + " " + g.pick("0", "12", "720")
	case 2:
		return "string(" + g.pick(g.Ts(1), g.Dur(1)) + ") " + g.pick("==", "<", ">") + " " + g.pick("'2026-03-10T12:30:15.25Z'", "'43200s'", "'2026-03-10T13:30:15.25+01:00'", g.Str(0))
	case 3:
		return "int(" + g.pick(g.Ts(1), g.Dur(1)) + ") " + g.pick("<", ">=") + " " + g.Int(0)
	}
	return "event.authentication.methods." + g.pick("exists", "all", "exists_one") + "(m, m.name == " + g.pick("'mfa'", "'pwd'") +
		" && now - timestamp(m.timestamp) < duration(" + g.pick("'12h'", "'43200000000001ns'", "'1ms'") + "))"
}

var outcomes = []string{"allow", "challenge", "enroll", "deny"}

// Policy returns the YAML text of a random well-typed policy.
func (g *Gen) Policy(maxRules, depth int) string {
	var b strings.Builder
	b.WriteString("name: generated\n")
	g.lists = nil
	if g.chance(0.5) {
		b.WriteString("lists:\n")
		for i := range 1 + g.r.IntN(2) {
			l := genList{name: fmt.Sprintf("l%d", i)}
			for range g.r.IntN(4) {
				l.values = append(l.values, stringPool[g.r.IntN(len(stringPool))])
			}
			g.lists = append(g.lists, l)
			fmt.Fprintf(&b, "  %s: [", l.name)
			for j, v := range l.values {
				if j > 0 {
					b.WriteString(", ")
				}
				b.WriteString(yamlString(v))
			}
			b.WriteString("]\n")
		}
	}
	fmt.Fprintf(&b, "on_error: %s\n", g.pick("challenge", "deny", "allow", "{then: challenge, factors: [otp]}"))
	b.WriteString("rules:\n")
	for i := range 1 + g.r.IntN(maxRules) {
		fmt.Fprintf(&b, "  - id: r%d\n    when: %s\n", i, yamlString(g.Bool(1+g.r.IntN(depth))))
		b.WriteString(g.action())
	}
	fmt.Fprintf(&b, "default: %s\n", g.pick("allow", "challenge", "deny"))
	return b.String()
}

func (g *Gen) action() string {
	switch o := g.pick(outcomes...); o {
	case "challenge":
		return "    then: challenge\n    factors: [" + g.pick("otp", "otp, push-notification", "webauthn-platform, email", "phone") + "]\n"
	case "enroll":
		return "    then: enroll\n    factors: [" + g.pick("otp", "webauthn-platform, phone") + "]\n"
	case "deny":
		return "    then: deny\n    reason: " + yamlString(g.pick("No", "Blocked: it's \"bad\" </script>", "é😀")) + "\n"
	default:
		return "    then: allow\n"
	}
}

// yamlString quotes s as a YAML double-quoted scalar.
func yamlString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		default:
			if r < 0x20 || r >= 0xfffe && r <= 0xffff {
				fmt.Fprintf(&b, `\u%04X`, r)
				continue
			}
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
