package fidelity

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/mfapolicy/mfapolicy/compile"
	"github.com/mfapolicy/mfapolicy/internal/classify"
	"github.com/mfapolicy/mfapolicy/internal/diag"
	"github.com/mfapolicy/mfapolicy/internal/eventgen"
	"github.com/mfapolicy/mfapolicy/policy"
	"github.com/mfapolicy/mfapolicy/simulate"
	"github.com/mfapolicy/mfapolicy/simulate/input"
)

var flagClassPolicies = flag.Int("fidelity.class-policies", 40, "generated policies in TestClassesMatchExact")

// classLines are raw records json.Marshal never writes, each a way the
// projection the classifier reads could part from the event goja builds:
// duplicate keys, keys in another case or escaped, -0 next to 0, numbers
// out of range or beyond 2^53, lone surrogates and invalid UTF-8 (which
// the classifier must leave to goja), and the enrolled factors the
// simulator fills in.
var classLines = []string{
	`{"request":{"geoip":{"countryCode":"KP"}},"client":{"name":"x"},"request":{"ip":"1.2.3.4","geoip":{"countryCode":"US","countryCode":"CA"}}}`,
	`{"Request":{"geoip":{"countryCode":"KP"}},"request":{"geoip":{"CountryCode":"KP","countryCode":"US"}},"client":{"Name":"Billing","name":"Storefront"}}`,
	`{"re\u0071uest":{"geoip":{"c\u006funtryCode":"KP"},"ip":"10.0.0.1"},"client":{"name":"Bil\u006cing"}}`,
	`{"authentication":{"riskAssessment":{"confidence":"\u006cow","assessments":{"UntrustedIP":{"code":"found_on_deny_list"}}}},"authorization":{"roles":["ad\u006din"]}}`,
	`{"request":{"geoip":{"latitude":-0,"longitude":-0.0}},"stats":{"logins_count":-0},"user":{"app_metadata":{"level":-0}}}`,
	`{"request":{"geoip":{"latitude":0,"longitude":0}},"stats":{"logins_count":0},"user":{"app_metadata":{"level":0}}}`,
	`{"request":{"geoip":{"latitude":1e400,"longitude":-1e400}},"stats":{"logins_count":1e400},"user":{"app_metadata":{"level":-1e400}}}`,
	`{"stats":{"logins_count":9223372036854775807},"user":{"app_metadata":{"level":9007199254740993,"vip":12345678901234567890}}}`,
	`{"stats":{"logins_count":9223372036854775808},"request":{"geoip":{"latitude":4.9e-324}}}`,
	`{"stats":{"logins_count":4.0e0},"user":{"enrolledFactors":[{"type":"otp","type":"email"}],"app_metadata":{"a":1E2}}}`,
	`{"user":{"email":"\ud800","user_id":"\udc00x"},"client":{"name":"\ud83d\ude00"},"request":{"geoip":{"countryCode":"KP"}}}`,
	"{\"user\":{\"email\":\"\xff\"},\"client\":{\"name\":\"Billing\"},\"request\":{\"user_agent\":\"\xe2\x82\"}}",
	`{"authorization":{"roles":["admin"]},"authorization":null,"user":{"app_metadata":{"tier":"gold"},"app_metadata":{"\ud800":1}}}`,
	`{"user":{"enrolledFactors":null,"email":"a@b"},"client":{"metadata":{"tier":"gold","tier":5}}}`,
	`{"user":{"enrolledFactors":[]},"authentication":{"riskAssessment":{"confidence":"low"}},"stats":{"logins_count":62}}`,
	`{"user":[],"request":{"geoip":[]},"authentication":{"riskAssessment":"low"}}`,
	`{"__proto__":{"request":{"ip":"1.2.3.4"}},"client":{"__proto__":{"name":"Billing"},"name":"Bil\u006cing"}}`,
	// event.user.multifactor, derived from the enrolments where the event
	// does not carry it (simulate.DeriveMultifactor).
	`{"user":{"enrolledFactors":[{"type":"email"},{"type":"webauthn-platform"}]}}`,
	`{"user":{"enrolledFactors":[{"type":"em\u0061il"},null,"otp",5,true]}}`,
	`{"user":{"enrolledFactors":[[],{"type":"email"}]}}`,
	`{"user":{"enrolledFactors":[{"kind":"otp"}]}}`,
	`{"user":{"enrolledFactors":[{"type":"otp","type":"email"}]}}`,
	`{"user":{"enrolledFactors":[{"type":"email","type":"otp"}]}}`,
	`{"user":{"enrolledFactors":[{"type":"otp"}],"multifactor":null}}`,
	`{"user":{"enrolledFactors":[{"type":"otp"}],"multifactor":[]}}`,
	`{"user":{"enrolledFactors":{"type":"otp"}}}`,
	`{"user":{"enrolledFactors":"otp","email":"a@b"}}`,
	`{"user":{"multifactor":["guardian","duo"]}}`,
	`{"user":null,"request":{"geoip":{"countryCode":"FR"}}}`,
	`{"user":{"email":null,"user_id":"n"},"request":{"geoip":{"countryCode":null}}}`,
	`{"user":{"email":7},"client":{"name":7},"request":{"geoip":{"countryCode":["KP"]}}}`,
	`{"user":"u1"}`,
	`{}`,
}

// classConditions are conditions aimed at the ways a classifier can part
// from the Action on logins its class reuses: a member of a
// map(string, string) whose other values are not all strings, has() on
// such a member, -0 against 0, numbers beyond the int range, values read
// through free-form maps, lists with an element of the wrong type, the
// filled-in enrolled factors, strings JavaScript holds differently, and
// objects used as values (wholeUses). Each is the first rule of a policy
// of its own, so that no earlier rule hides its errors.
var classConditions = append([]string{
	`event.client.metadata.tier == 'gold'`,
	`has(event.client.metadata.tier) && event.client.metadata.tier != 'free'`,
	`'tier' in event.client.metadata && event.request.geoip.countryCode != 'US'`,
	`1.0 / event.request.geoip.latitude < 0.0`,
	`1.0 / double(event.stats.logins_count) < 0.0 || event.request.geoip.longitude == 0.0`,
	`event.stats.logins_count > 3`,
	`event.user.app_metadata.level == 2 || event.user.app_metadata.vip == true`,
	`'vip' in event.user.app_metadata && event.user.app_metadata.tier == 'gold'`,
	`event.authorization.roles.exists(r, r == 'admin')`,
	`size(event.user.enrolledFactors) == 0 || event.user.enrolledFactors.exists(f, f.type == 'email')`,
	`event.user.email.startsWith('a') || event.user.email.size() == 1`,
	`event.request.geoip.countryCode == 'KP' && event.client.name != 'Billing'`,
	`size(event.user.multifactor) == 0`,
	`'guardian' in event.user.multifactor && event.request.geoip.countryCode != 'US'`,
	`has(event.user.multifactor) || event.stats.logins_count > 3`,
	`'multifactor' in dyn(event.user) && size(dyn(event.user)) > 1`,
	`dyn(event) == dyn(event) && size(dyn(event)) > 0 && 'guardian' in event.user.multifactor`,
	// Fields selected through dyn(): the object reads as its JSON, so an
	// absent member is an error and null is null, in cel-go as in the
	// Action.
	`dyn(event).user.email == ''`,
	`'guardian' in dyn(event).user.multifactor`,
	`dyn(event.user).email == null || dyn(event)['client'].name == 'x'`,
	`dyn(event.request.geoip).countryCode == 'KP' || dyn(event.request).geoip.countryCode == 'US'`,
	`dyn(event.user).enrolledFactors.exists(f, dyn(f).type == 'otp')`,
}, wholeUses...)

func classPolicy(when string) string {
	return "name: targeted\non_error: deny\nrules:\n  - id: r\n    when: " + yamlString(when) +
		"\n    then: challenge\n    factors: [otp]\n  - id: s\n    when: event.request.geoip.countryCode == 'US'\n    then: enroll\n    factors: [webauthn-platform]\ndefault: allow\n"
}

// TestClassesMatchExact replays generated policies, and the policies of
// classConditions, over generated events three ways: every login in goja
// (no classifier), by decision class with almost no login verified, and by
// decision class with every reused login verified. The per-login
// decisions must be byte-identical and the summaries equal but for how the
// logins were replayed. Every policy that checks and compiles must have a
// classifier.
func TestClassesMatchExact(t *testing.T) {
	g := NewGen(*flagSeed + 2)
	var in bytes.Buffer
	write := func(line []byte) {
		in.Write(line)
		in.WriteByte('\n')
	}
	for range 120 {
		line, err := json.Marshal(g.Event())
		if err != nil {
			t.Fatal(err)
		}
		write(line)
	}
	corpus := eventgen.New(*flagSeed + 2)
	for range 30 {
		write(corpus.Event())
	}
	// The raw records come twice, after the others, so that most of them
	// are decided from a class an earlier login opened.
	for range 2 {
		for _, l := range classLines {
			write([]byte(l))
		}
	}
	events := in.Bytes()

	var (
		compared, logins, cached, unclassified int64
		outcomes                               = map[simulate.Outcome]int{}
		erroring                               int
	)
	n := *flagClassPolicies
	for i := range n + len(classConditions) {
		var p *policy.Policy
		var src string
		if i < n {
			p, src, _ = draw(t, g, 4, 3)
		} else {
			src = classPolicy(classConditions[i-n])
			var diags diag.List
			if p, diags = policy.Parse("targeted.yaml", []byte(src)); diags.HasErrors() {
				t.Fatalf("%v\n%s", diags, src)
			}
		}
		res, err := compile.Compile(p, compile.Options{})
		if err != nil {
			t.Fatalf("policy %d: %v\n%s", i, err, src)
		}
		c, err := classify.New(p)
		if err != nil {
			// simulate without --exact would refuse the policy (exit 2).
			t.Errorf("policy %d: classify.New: %v\n%s", i, err, src)
			continue
		}
		c = c.At(Clock)
		run := func(cl simulate.Classifier, every int) ([]string, *simulate.Summary) {
			var out []string
			sum, err := simulate.Run(context.Background(), simulate.Options{
				Code: res.Code, CodeName: "code.js", Rules: res.Rules, RuleFields: p.RuleFields(), Fields: res.Fields,
				Workers: 2, Timeout: time.Minute, Classifier: cl, VerifyEvery: every, Now: Clock,
				Inputs: []input.Input{input.ReaderInput("events.ndjson", bytes.NewReader(events))},
				OnDecision: func(d simulate.Decision) error {
					if cl == nil {
						outcomes[d.Outcome]++
						if d.Error != "" && d.Rule != "" {
							erroring++
						}
					}
					b, err := json.Marshal(d)
					out = append(out, string(b))
					return err
				},
			})
			if err != nil {
				t.Fatalf("policy %d, VerifyEvery %d: %v\n%s", i, every, err, src)
			}
			return out, sum
		}
		exact, exactSum := run(nil, 0)
		if exactSum.Replay.Mode != "exact" || exactSum.Replay.InGoja != exactSum.Replayed {
			t.Fatalf("policy %d: exact replay %+v", i, exactSum.Replay)
		}
		exactSum.Replay = simulate.ReplayStats{}
		want, _ := json.Marshal(exactSum)
		for _, every := range []int{1 << 30, 1} {
			got, sum := run(c, every)
			if len(got) != len(exact) {
				t.Fatalf("policy %d, VerifyEvery %d: %d decisions, exact %d", i, every, len(got), len(exact))
			}
			for j := range exact {
				if got[j] != exact[j] {
					t.Fatalf("policy %d, VerifyEvery %d, line %d:\nclasses %s\nexact   %s\n\n%s", i, every, j+1, got[j], exact[j], src)
				}
			}
			st := sum.Replay
			if st.Mode != "classes" || st.Classes > len(p.Rules)+1 || st.Classes == 0 && st.Unclassified != sum.Replayed || st.GaveUp {
				t.Fatalf("policy %d, VerifyEvery %d: replay %+v", i, every, st)
			}
			if every == 1 {
				if st.InGoja != sum.Replayed || st.Verified < sum.Replayed-st.Unclassified-int64(2*st.Classes) {
					t.Fatalf("policy %d, VerifyEvery 1: replay %+v of %d logins", i, st, sum.Replayed)
				}
			} else {
				cached += sum.Replayed - st.InGoja
				unclassified += st.Unclassified
				logins += sum.Replayed
			}
			sum.Replay = simulate.ReplayStats{}
			if b, _ := json.Marshal(sum); !bytes.Equal(b, want) {
				t.Fatalf("policy %d, VerifyEvery %d: summaries differ\nclasses %s\nexact   %s\n\n%s", i, every, b, want, src)
			}
			compared += int64(len(got))
		}
	}
	// The run covered what it claims: most logins came from a class, some
	// could not be placed, rules errored, and every outcome occurred.
	if logins == 0 || 2*cached < logins || unclassified == 0 {
		t.Fatalf("%d of %d logins from their class, %d unclassified: too few from classes", cached, logins, unclassified)
	}
	for _, o := range []simulate.Outcome{simulate.Allow, simulate.Challenge, simulate.Enroll, simulate.Deny, simulate.Fail} {
		if outcomes[o] == 0 {
			t.Errorf("no login had outcome %s: %v", o, outcomes)
		}
	}
	if erroring == 0 {
		t.Errorf("no rule errored")
	}
	t.Logf("%d decisions the same by class and exact; without verification %d of %d logins came from their class, %d unclassified; outcomes %v, %d erroring", compared, cached, logins, unclassified, outcomes, erroring)
}

// pairHeads derives head policies from a generated base: the base without
// its first rule (the others, unchanged, move up), and the base with a
// value added to each of its lists (the rules' text unchanged, what they
// decide not).
func pairHeads(src string) []string {
	var heads []string
	rules := strings.Index(src, "rules:\n") + len("rules:\n")
	def := strings.LastIndex(src, "default: ")
	blocks := strings.SplitAfter(src[rules:def], "\n  - id: ")
	if len(blocks) > 1 {
		heads = append(heads, src[:rules]+"  - id: "+strings.Join(blocks[1:], "")+src[def:])
	}
	if grown := listValues.ReplaceAllString(src, `$1["KP", "US", "admin", $2]`); grown != src {
		heads = append(heads, strings.ReplaceAll(grown, ", ]", "]"))
	}
	return heads
}

var listValues = regexp.MustCompile(`(?m)^(  l\d+: )\[(.*)\]$`)

// pairConditions are base and head policies whose rules have the same
// text over lists of different values, in the same or another order.
var pairConditions = [][2]string{
	{"name: b\nlists:\n  s: [KP]\nrules:\n  - id: r\n    when: event.request.geoip.countryCode in lists.s\n    then: deny\n    reason: x\ndefault: allow\n",
		"name: h\nlists:\n  s: [KP, US]\nrules:\n  - id: r\n    when: event.request.geoip.countryCode in lists.s\n    then: deny\n    reason: x\ndefault: allow\n"},
	{"name: b\nlists:\n  s: [admin]\nrules:\n  - id: r\n    when: lists.s.exists(x, x in event.authorization.roles)\n    then: challenge\n    factors: [otp]\n  - id: c\n    when: event.client.metadata.tier == 'gold'\n    then: deny\n    reason: x\ndefault: allow\n",
		"name: h\nlists:\n  s: [admin, Admin]\nrules:\n  - id: c\n    when: event.client.metadata.tier == 'gold'\n    then: allow\n  - id: r\n    when: lists.s.exists(x, x in event.authorization.roles)\n    then: challenge\n    factors: [otp]\ndefault: deny\n"},
}

// TestClassPairsMatchExact replays pairs of policies as diff does
// (simulate.RunPair, the head's class worker sharing the base's memo of
// their common rules), by decision class and all in goja: every login's
// two decisions and both summaries must be the same.
func TestClassPairsMatchExact(t *testing.T) {
	g := NewGen(*flagSeed + 3)
	var in bytes.Buffer
	writeEvents(t, g, &in, 120)
	for _, l := range classLines {
		in.WriteString(l + "\n")
	}
	events := in.Bytes()
	var pairs [][2]string
	for len(pairs) < *flagClassPolicies/2 {
		_, src, _ := draw(t, g, 4, 3)
		for _, h := range pairHeads(src) {
			pairs = append(pairs, [2]string{src, h})
		}
	}
	pairs = append(pairs, pairConditions...)
	type side struct {
		p   *policy.Policy
		res *compile.Result
	}
	load := func(src string) (side, bool) {
		p, diags := policy.Parse("pair.yaml", []byte(src))
		if diags.HasErrors() {
			return side{}, false // a derived head may trip a lint (an unreachable rule)
		}
		res, err := compile.Compile(p, compile.Options{})
		if err != nil {
			t.Fatalf("%v\n%s", err, src)
		}
		return side{p, res}, true
	}
	compared, byClass, refused := 0, 0, 0
	for i, pair := range pairs {
		base, ok := load(pair[0])
		if !ok {
			t.Fatalf("pair %d: the base does not check\n%s", i, pair[0])
		}
		head, ok := load(pair[1])
		if !ok {
			refused++
			continue
		}
		bc, berr := classify.New(base.p)
		hc, herr := classify.New(head.p)
		if berr != nil || herr != nil {
			// simulate without --exact would refuse the policy (exit 2).
			t.Errorf("pair %d: classify.New: %v, %v\nbase:\n%s\nhead:\n%s", i, berr, herr, pair[0], pair[1])
			continue
		}
		run := func(bc, hc simulate.Classifier) ([]string, [2]*simulate.Summary) {
			bo := simulate.Options{Code: base.res.Code, CodeName: "base.js", Rules: base.res.Rules, RuleFields: base.p.RuleFields(), Fields: base.res.Fields,
				Classifier: bc, VerifyEvery: 1 << 30, Workers: 2, Timeout: time.Minute,
				Inputs: []input.Input{input.ReaderInput("events.ndjson", bytes.NewReader(events))}}
			ho := simulate.Options{Code: head.res.Code, CodeName: "head.js", Rules: head.res.Rules, RuleFields: head.p.RuleFields(), Fields: head.res.Fields, Classifier: hc}
			var out []string
			bs, hs, err := simulate.RunPair(context.Background(), simulate.PairOptions{Options: bo, Head: ho, OnPair: func(p simulate.Pair) error {
				b, err := json.Marshal([2]*simulate.Decision{p.Base, p.Head})
				out = append(out, string(b))
				return err
			}})
			if err != nil {
				t.Fatalf("pair %d, classes %v: %v\nbase:\n%s\nhead:\n%s", i, bc != nil, err, pair[0], pair[1])
			}
			if bc != nil && bs.Replay.InGoja < bs.Replayed && hs.Replay.InGoja < hs.Replayed {
				byClass++
			}
			bs.Replay, hs.Replay = simulate.ReplayStats{}, simulate.ReplayStats{}
			return out, [2]*simulate.Summary{bs, hs}
		}
		exact, exactSums := run(nil, nil)
		got, sums := run(bc, hc)
		if len(got) != len(exact) {
			t.Fatalf("pair %d: %d logins by class, %d exact", i, len(got), len(exact))
		}
		for j := range exact {
			if got[j] != exact[j] {
				t.Fatalf("pair %d, line %d:\nclasses %s\nexact   %s\nbase:\n%s\nhead:\n%s", i, j+1, got[j], exact[j], pair[0], pair[1])
			}
		}
		for k := range sums {
			a, _ := json.Marshal(sums[k])
			b, _ := json.Marshal(exactSums[k])
			if !bytes.Equal(a, b) {
				t.Fatalf("pair %d: summaries differ (side %d):\nclasses %s\nexact   %s", i, k, a, b)
			}
		}
		compared += len(got)
	}
	if compared == 0 || byClass < len(pairs)/2 || refused > len(pairs)/4 {
		t.Fatalf("%d pairs: %d logins compared, %d pairs replayed by class, %d heads refused by lints", len(pairs), compared, byClass, refused)
	}
	t.Logf("%d pairs of policies, %d logins with both decisions the same by class and exact (%d heads refused by lints)", len(pairs), compared, refused)
}
