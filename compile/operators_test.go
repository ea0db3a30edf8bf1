package compile

import (
	"encoding/json"
	"sort"
	"strings"
	"testing"

	"cel.dev/cel-go/common/ast"

	"github.com/mfapolicy/mfapolicy/policy"
)

// The operator table: each supported overload on event values, checked
// against the reference evaluator. Every case is a one-rule policy whose
// condition is expr (with the shorthands below), decided on one event by
// policy.Evaluate and by the compiled Action in goja and Node.js; want says
// what the reference must decide, so each case tests what it claims.

// Shorthands for event fields, in expressions and in events.
var opFields = map[string]string{
	"$N":  "stats.logins_count",            // int
	"$D":  "request.geoip.latitude",        // double
	"$S":  "user.name",                     // string
	"$T":  "user.nickname",                 // string
	"$B":  "user.email_verified",           // bool
	"$L":  "authorization.roles",           // list(string)
	"$M":  "client.metadata",               // map(string, string)
	"$A":  "user.app_metadata",             // map(string, dyn)
	"$IP": "request.ip",                    // string
	"$F":  "user.enrolledFactors",          // list(EnrolledFactor)
	"$G":  "request.geoip.countryCode",     // string
	"$C":  "authentication.riskAssessment", // object
}

type outcome byte

const (
	isTrue  outcome = 't'
	isFalse outcome = 'f'
	isError outcome = 'e'
)

type opCase struct {
	expr  string
	want  outcome
	event map[string]any // shorthand → JSON value
}

func c(expr string, want outcome, kv ...any) opCase {
	ev := map[string]any{}
	for i := 0; i+1 < len(kv); i += 2 {
		ev[kv[i].(string)] = kv[i+1]
	}
	return opCase{expr: expr, want: want, event: ev}
}

const (
	maxSafeInt = 9223372036854774784 // the largest double below 2^63
	minInt     = -9223372036854775808
)

var opCases = []opCase{
	// logic
	c("!$B", isTrue, "$B", false),
	c("!$B", isError, "$B", "yes"),
	c("$N > 1 && $N < 5", isTrue, "$N", 3),
	c("false && 1 / $N == 1", isFalse, "$N", 0),
	c("1 / $N == 1 && false", isFalse, "$N", 0),
	c("1 / $N == 1 && true", isError, "$N", 0),
	c("true || 1 / $N == 1", isTrue, "$N", 0),
	c("1 / $N == 1 || true", isTrue, "$N", 0),
	c("1 / $N == 1 || false", isError, "$N", 0),
	c("$L.all(r, r != 'guest')", isTrue, "$L", []any{"admin"}),
	c("$L.all(r, r != 'guest')", isFalse, "$L", []any{"admin", "guest"}),
	c("$L.exists(r, 1 / $N == 1 || r == 'admin')", isTrue, "$N", 0, "$L", []any{"x", "admin"}),
	c("$L.all(r, 1 / $N == 1)", isError, "$N", 0, "$L", []any{"x"}),
	c("$L.exists(r, 1 / $N == 1)", isError, "$N", 0, "$L", []any{"x"}),
	c("$L.exists_one(r, r == 'a')", isTrue, "$L", []any{"a", "b"}),
	c("$L.exists_one(r, r == 'a')", isFalse, "$L", []any{"a", "a"}),
	c("$L.exists_one(r, 1 / $N == 1)", isError, "$N", 0, "$L", []any{"a"}),
	c("$L.map(r, r + '!') == ['a!']", isTrue, "$L", []any{"a"}),
	c("$L.map(r, r != 'b', r + '!') == ['a!']", isTrue, "$L", []any{"a", "b"}),
	c("$L.filter(r, r.startsWith('a')) == ['ab']", isTrue, "$L", []any{"ab", "b"}),
	c("$L.filter(r, 1 / $N == 1).size() == 0", isError, "$N", 0, "$L", []any{"a"}),
	c("$F.exists(f, f.type == 'otp')", isTrue, "$F", []any{map[string]any{"type": "otp"}}),
	c("$F.exists(f, f.type == 'otp')", isError, "$F", []any{map[string]any{"type": 1}}),
	c("$F.exists(f, f.type == 'otp')", isError, "$F", []any{"otp"}),
	c("$A.exists(k, k == 'plan')", isTrue, "$A", map[string]any{"plan": 1}),
	c("($N > 2 ? $S : $T) == 'a'", isTrue, "$N", 3, "$S", "a"),
	c("($N > 2 ? $S : $T) == 'a'", isFalse, "$N", 1, "$S", "a"),
	c("1 / $N == 1 ? true : false", isError, "$N", 0),
	c("$N > 2 ? true : 1 / 0 == 1", isTrue, "$N", 3),
	c("dyn($N) == 5.0", isTrue, "$N", 5),
	c("dyn($S) != 5", isTrue, "$S", "5"),

	// int arithmetic
	c("$N + 1 == 6", isTrue, "$N", 5),
	c("$N + 1024 > 0", isError, "$N", maxSafeInt),
	c("$N - 1 == 4", isTrue, "$N", 5),
	c("-9223372036854775807 - $N < 0", isError, "$N", 2),
	c("$N * 2 == 10", isTrue, "$N", 5),
	c("$N * 2 > 0", isError, "$N", 4611686018427387904),
	c("$N / 2 == 2", isTrue, "$N", 5),
	c("-7 / $N == -3", isTrue, "$N", 2),
	c("10 / $N == 1", isError, "$N", 0),
	c("(-9223372036854775807 - 1) / $N == 1", isError, "$N", -1),
	c("$N % 3 == 2", isTrue, "$N", 5),
	c("-7 % $N == -1", isTrue, "$N", 3),
	c("5 % $N == 1", isError, "$N", 0),
	c("(-9223372036854775807 - 1) % $N == 0", isError, "$N", -1),
	c("-$N == -5", isTrue, "$N", 5),
	c("-$N < 0", isError, "$N", minInt),
	c("$N == 0", isError, "$N", 1.5),
	c("$N == 0", isError, "$N", "5"),
	c("$N == 0", isError, "$N", 9223372036854775807),
	c("$N == 0", isTrue, "$N", nil),

	// uint arithmetic
	c("uint($N) + 1u == 6u", isTrue, "$N", 5),
	c("uint($N) + 18446744073709551615u > 0u", isError, "$N", 1),
	c("uint($N) - 1u == 4u", isTrue, "$N", 5),
	c("uint($N) - 6u > 0u", isError, "$N", 5),
	c("uint($N) * 2u == 10u", isTrue, "$N", 5),
	c("uint($N) * 9223372036854775808u > 0u", isError, "$N", 2),
	c("10u / uint($N) == 2u", isTrue, "$N", 5),
	c("10u / uint($N) == 2u", isError, "$N", 0),
	c("10u % uint($N) == 1u", isTrue, "$N", 3),
	c("10u % uint($N) == 1u", isError, "$N", 0),

	// double arithmetic
	c("$D + 0.5 == 2.0", isTrue, "$D", 1.5),
	c("$D - 0.5 == 1.0", isTrue, "$D", 1.5),
	c("$D * 2.0 == 3.0", isTrue, "$D", 1.5),
	c("$D / 0.0 > 1e308", isTrue, "$D", 1.5),
	c("$D / 0.0 == $D / 0.0", isFalse, "$D", 0),
	c("$D / 0.0 != $D / 0.0", isTrue, "$D", 0),
	c("-$D == -1.5", isTrue, "$D", 1.5),
	c("$D + 0.1 == 0.30000000000000004", isTrue, "$D", 0.2),
	c("$D == 0.0", isError, "$D", "north"),

	// strings and lists
	c("$S + $T == 'ab'", isTrue, "$S", "a", "$T", "b"),
	c("$L + ['x'] == ['a', 'x']", isTrue, "$L", []any{"a"}),
	c("$L == ['a']", isError, "$L", []any{"a", 1}),
	c("$L == []", isError, "$L", "a"),

	// equality, membership, indexing
	c("$S == 'a'", isTrue, "$S", "a"),
	c("$S != 'a'", isTrue, "$S", "b"),
	c("$S == 'a'", isError, "$S", 1),
	c("[1, 2] == [1, 2.0]", isTrue),
	c("dyn($N) == 1u", isTrue, "$N", 1),
	c("$M == {'k': 'v'}", isTrue, "$M", map[string]any{"k": "v"}),
	c("$M != {'k': 'v'}", isTrue, "$M", map[string]any{"k": "w"}),
	c("$M == {}", isError, "$M", map[string]any{"k": 1}),
	c("$A == {'k': 1.0}", isTrue, "$A", map[string]any{"k": 1}),
	c("$S in ['a', 'b']", isTrue, "$S", "b"),
	c("dyn($N) in [1.0, 2.0]", isTrue, "$N", 2),
	c("'k' in $M", isTrue, "$M", map[string]any{"k": "v"}),
	c("'__proto__' in $M", isFalse, "$M", map[string]any{"k": "v"}),
	c("'x' in $A", isFalse, "$A", map[string]any{}),
	c("$L[0] == 'a'", isTrue, "$L", []any{"a"}),
	c("$L[1] == 'b'", isError, "$L", []any{"a"}),
	c("$L[$N] == 'a'", isError, "$L", []any{"a"}, "$N", -1),
	c("$M['k'] == 'v'", isTrue, "$M", map[string]any{"k": "v"}),
	c("$M['z'] == 'v'", isError, "$M", map[string]any{"k": "v"}),
	c("$A.plan == 'pro'", isTrue, "$A", map[string]any{"plan": "pro"}),
	c("$A.plan == 'pro'", isError, "$A", map[string]any{}),
	c("$A['n'] + 1.0 == 3.0", isTrue, "$A", map[string]any{"n": 2}),
	c("$A['n'] + 1 == 3", isError, "$A", map[string]any{"n": 2}),
	c("has($A.plan) && has($C.confidence)", isTrue, "$A", map[string]any{"plan": nil}, "$C", map[string]any{"confidence": "low"}),
	c("has($C.confidence)", isFalse, "$C", map[string]any{"confidence": nil}),
	c("has($C.confidence)", isError, "$C", "low"),
	c("$G == ''", isTrue, "$C", nil),

	// sizes
	c("size($S) == 2", isTrue, "$S", "é😀"),
	c("$S.size() == 2", isTrue, "$S", "é😀"),
	c("size($L) == 1", isTrue, "$L", []any{"a"}),
	c("$L.size() == 1", isTrue, "$L", []any{"a"}),
	c("size($M) == 1", isTrue, "$M", map[string]any{"k": "v"}),
	c("$M.size() == 1", isTrue, "$M", map[string]any{"k": "v"}),

	// string functions
	c("$S.contains('b')", isTrue, "$S", "abc"),
	c("$S.startsWith('ab')", isTrue, "$S", "abc"),
	c("$S.endsWith('bc')", isTrue, "$S", "abc"),
	c("matches($S, '^a')", isTrue, "$S", "abc"),
	c("$S.matches('(?i)^A.C$')", isTrue, "$S", "abc"),
	c("$S.matches('^.$')", isTrue, "$S", "😀"),
	c("$S.matches('\\\\w')", isFalse, "$S", "é"),
	c("$S.lowerAscii() == 'Éabc'", isTrue, "$S", "ÉABC"),
	c("$S.upperAscii() == 'éABC'", isTrue, "$S", "éabc"),

	// conversions
	c("int($N) == 5", isTrue, "$N", 5),
	c("int(uint($N)) == 5", isTrue, "$N", 5),
	c("int(uint($N) * 2u) > 0", isError, "$N", maxSafeInt),
	c("int($D) == 2", isTrue, "$D", 2.9),
	c("int($D) == -2", isTrue, "$D", -2.9),
	c("int($D) == 0", isError, "$D", 1e19),
	c("int($S) == 42", isTrue, "$S", "42"),
	c("int($S) == -42", isTrue, "$S", "-42"),
	c("int($S) == 42", isError, "$S", "4x"),
	c("int($S) == 0", isError, "$S", "9223372036854775808"),
	c("uint($N) == 5u", isTrue, "$N", 5),
	c("uint($N) == 5u", isError, "$N", -1),
	c("uint(uint($N)) == 5u", isTrue, "$N", 5),
	c("uint($D) == 2u", isTrue, "$D", 2.5),
	c("uint($D) == 2u", isError, "$D", -1.5),
	c("uint($S) == 5u", isTrue, "$S", "5"),
	c("uint($S) == 5u", isError, "$S", "-1"),
	c("double($N) == 5.0", isTrue, "$N", 5),
	c("double($N) == 9007199254740992.0", isTrue, "$N", 9007199254740992),
	c("double(uint($N)) == 5.0", isTrue, "$N", 5),
	c("double($D) == 1.5", isTrue, "$D", 1.5),
	c("string($N) == '-5'", isTrue, "$N", -5),
	c("string(uint($N)) == '5'", isTrue, "$N", 5),
	c("string($S) == 'a'", isTrue, "$S", "a"),
	c("string($B) == 'true'", isTrue, "$B", true),
	c("bool($B)", isTrue, "$B", true),
	c("bool($S)", isTrue, "$S", "TRUE"),
	c("bool($S)", isFalse, "$S", "f"),
	c("bool($S)", isError, "$S", "yes"),

	// network
	c("isIP($IP)", isTrue, "$IP", "2001:db8::1"),
	c("isIP($IP)", isFalse, "$IP", "1.2.3.04"),
	c("isCIDR($S)", isTrue, "$S", "10.0.0.0/8"),
	c("isCIDR($S)", isFalse, "$S", "10.0.0.0/33"),
	c("ip($IP).family() == 4", isTrue, "$IP", "10.1.2.3"),
	c("ip($IP).family() == 4", isError, "$IP", "10.1.2.300"),
	c("ip($IP).family() == 6", isError, "$IP", "::ffff:1.2.3.4"),
	c("ip($IP).family() == 6", isError, "$IP", "fe80::1%eth0"),
	c("string(ip($IP)) == '2001:db8::1'", isTrue, "$IP", "2001:DB8:0:0:0:0:0:1"),
	c("ip.isCanonical($IP)", isFalse, "$IP", "2001:DB8::1"),
	c("ip.isCanonical($IP)", isError, "$IP", "x"),
	c("ip($IP).isLoopback()", isTrue, "$IP", "::1"),
	c("ip($IP).isUnspecified()", isTrue, "$IP", "0.0.0.0"),
	c("ip($IP).isGlobalUnicast()", isTrue, "$IP", "8.8.8.8"),
	c("ip($IP).isGlobalUnicast()", isFalse, "$IP", "255.255.255.255"),
	c("ip($IP).isLinkLocalMulticast()", isTrue, "$IP", "ff02::1"),
	c("ip($IP).isLinkLocalUnicast()", isTrue, "$IP", "169.254.1.1"),
	c("cidr('10.0.0.0/8').containsIP(ip($IP))", isTrue, "$IP", "10.9.9.9"),
	c("cidr('10.0.0.0/8').containsIP($IP)", isFalse, "$IP", "::a00:1"),
	c("cidr('10.0.0.0/8').containsIP($IP)", isError, "$IP", "10.0.0"),
	c("cidr($S).containsCIDR(cidr('10.1.0.0/16'))", isTrue, "$S", "10.0.0.0/8"),
	c("cidr($S).containsCIDR('10.0.0.0/7')", isFalse, "$S", "10.0.0.0/8"),
	c("cidr($S).containsCIDR('10.0.0.0/7')", isError, "$S", "10.0.0.0/"),
	c("string(cidr($S)) == '10.1.2.3/8'", isTrue, "$S", "10.1.2.3/8"),
	c("cidr($S).ip() == ip('10.1.2.3')", isTrue, "$S", "10.1.2.3/8"),
	c("string(cidr($S).masked()) == '10.0.0.0/8'", isTrue, "$S", "10.1.2.3/8"),
	c("cidr($S).prefixLength() == 8", isTrue, "$S", "10.1.2.3/8"),
	c("cidr($S).isMask()", isFalse, "$S", "10.1.2.3/8"),
	c("cidr($S) == cidr('10.0.0.0/8')", isTrue, "$S", "10.0.0.0/8"),
	// -(-x) is not a decrement; a uint above 2^63 converts to the nearest
	// double in goja as in Node.js.
	c("-(-1.25) == $D && -(-$D) == 1.25", isTrue, "$D", 1.25),
	c("double(uint($N) + 18446744073709551614u) == 18446744073709551616.0", isTrue, "$N", 1),
	c("uint($N) + 18446744073709551614u > 1.0e19", isTrue, "$N", 1),
}

// orderings adds every ordering overload: each operator on each pair of
// operand types, just below, at and above the other operand.
func orderings() []opCase {
	left := map[string]string{"int64": "$N", "uint64": "uint($N)", "double": "$D", "bool": "$B", "string": "$S"}
	right := map[string]string{"int64": "3", "uint64": "3u", "double": "3.0", "bool": "true", "string": "'m'"}
	pairs := [][2]string{{"bool", "bool"}, {"int64", "int64"}, {"uint64", "uint64"}, {"double", "double"}, {"string", "string"},
		{"int64", "double"}, {"int64", "uint64"}, {"uint64", "double"}, {"uint64", "int64"}, {"double", "int64"}, {"double", "uint64"}}
	events := []map[string]any{
		{"$N": 2, "$D": 2.5, "$B": false, "$S": "l"},
		{"$N": 3, "$D": 3.0, "$B": true, "$S": "m"},
		{"$N": 4, "$D": 3.5, "$B": true, "$S": "\U0001F600"},
	}
	var out []opCase
	for _, op := range []string{"<", "<=", ">", ">="} {
		for _, p := range pairs {
			for _, ev := range events {
				out = append(out, opCase{expr: left[p[0]] + " " + op + " " + right[p[1]], event: ev})
			}
		}
	}
	// NaN orders false against everything; strings order by code point.
	nan := map[string]any{"$D": 0, "$N": 1, "$S": "\uffff", "$T": "\U0001F600"}
	for _, e := range []string{"$D / 0.0 < 1.0", "$D / 0.0 >= 1", "$D / 0.0 <= 1u", "$D / 0.0 > 0.0", "$S < $T", "$S >= $T"} {
		out = append(out, opCase{expr: e, event: nan})
	}
	return out
}

// eventJSON expands an opCase's shorthand event into a JSON-decoded event.
func (oc opCase) eventJSON(t testing.TB) any {
	ev := map[string]any{}
	for _, short := range sortedKeys(oc.event) {
		parts := strings.Split(opFields[short], ".")
		m := ev
		for _, p := range parts[:len(parts)-1] {
			next, ok := m[p].(map[string]any)
			if !ok {
				next = map[string]any{}
				m[p] = next
			}
			m = next
		}
		m[parts[len(parts)-1]] = oc.event[short]
	}
	b, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func (oc opCase) condition() string {
	e := oc.expr
	for _, short := range []string{"$IP", "$N", "$D", "$S", "$T", "$B", "$L", "$M", "$A", "$F", "$G", "$C"} {
		e = strings.ReplaceAll(e, short, "event."+opFields[short])
	}
	return e
}

// opPolicy wraps a condition in a policy: allow when true, challenge when
// false, deny (bare, so with the default reason) when it errors.
func opPolicy(cond string) string {
	return "name: op\non_error: deny\nrules:\n  - id: r\n    when: |-\n      " + cond + "\n    then: allow\ndefault:\n  then: challenge\n  factors: [otp]\n"
}

func TestOperatorsAgreeWithReference(t *testing.T) {
	cases := append(append(append([]opCase(nil), opCases...), orderings()...), timeCases()...)
	covered := map[string]int{}
	var runs []policyRun
	codes := map[string]int{} // condition → index in runs
	for _, oc := range cases {
		cond := oc.condition()
		ev := oc.eventJSON(t)
		if i, ok := codes[cond]; ok {
			runs[i].events = append(runs[i].events, ev)
		} else {
			p, diags := policy.Parse("op.yaml", []byte(opPolicy(cond)))
			if diags.HasErrors() {
				t.Errorf("%s: %v", oc.expr, diags.Errors())
				continue
			}
			res, err := Compile(p, Options{})
			if err != nil {
				t.Errorf("%s: %v", oc.expr, err)
				continue
			}
			for _, id := range overloadsUsed(p.Rules[0].AST.NativeRep()) {
				covered[id]++
			}
			codes[cond] = len(runs)
			runs = append(runs, policyRun{name: oc.expr, p: p, code: res.Code, events: []any{ev}})
		}
		if oc.want == 0 {
			continue
		}
		i := codes[cond]
		got := referenceVerdict(runs[i].p, ev)
		if g := outcomeOf(got); g != oc.want {
			evb, _ := json.Marshal(ev)
			t.Errorf("%s on %s: the reference decided %c (%v), the case expects %c", oc.expr, evb, g, got, oc.want)
		}
	}
	n, errored := checkDecisions(t, runs)
	var missing []string
	for _, id := range policy.SupportedOverloads() {
		if covered[id] == 0 {
			missing = append(missing, id)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("no operator case uses these supported overloads (as the only candidate of a call): %s", strings.Join(missing, ", "))
	}
	t.Logf("%d operator cases (%d conditions, %d errors), %d overloads covered", n, len(runs), errored, len(covered))
}

func outcomeOf(v verdict) outcome {
	switch {
	case v.Errored:
		return isError
	case v.Outcome == "allow":
		return isTrue
	}
	return isFalse
}

// overloadsUsed lists the overloads an expression resolves to: calls with
// one candidate only, since a call on dyn operands is dispatched at run
// time and does not prove a specific overload.
func overloadsUsed(a *ast.AST) []string {
	var out []string
	ast.PostOrderVisit(a.Expr(), ast.NewExprVisitor(func(e ast.Expr) {
		if e.Kind() != ast.CallKind {
			return
		}
		if ids := a.GetOverloadIDs(e.ID()); len(ids) == 1 {
			out = append(out, ids[0])
		}
	}))
	return out
}
