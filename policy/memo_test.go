package policy

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
)

// jsonPaths is the Resolver of jsonFields: a ref is the number of a path
// in the list of paths it resolved.
type jsonPaths struct {
	mu    sync.Mutex
	paths [][]string
	// resolved counts the calls of Resolve.
	resolved int
}

func (r *jsonPaths) Resolve(path []string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.resolved++
	if i := slices.IndexFunc(r.paths, func(p []string) bool { return slices.Equal(p, path) }); i >= 0 {
		return i
	}
	r.paths = append(r.paths, slices.Clone(path))
	return len(r.paths) - 1
}

// path returns the path of a ref.
func (r *jsonPaths) path(ref int) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.paths[ref]
}

// testPaths resolves the paths of every jsonFields.
var testPaths = &jsonPaths{}

// jsonFields is Fields over an event decoded by encoding/json, its paths
// resolved by testPaths: the key of a path is where the walk stops and the
// JSON of what it finds; the tree holds only the paths asked for, and a
// string is handed out as decoded.
type jsonFields struct {
	event any
	// paths resolves the refs (nil: testPaths); asked, when not nil,
	// records the refs the Fields were asked for.
	paths *jsonPaths
	asked *[]int
}

// pathOf returns the path of a ref.
func (f jsonFields) pathOf(ref int) []string {
	if f.asked != nil {
		*f.asked = append(*f.asked, ref)
	}
	if f.paths == nil {
		return testPaths.path(ref)
	}
	return f.paths.path(ref)
}

func (f jsonFields) AppendKey(key []byte, ref int) []byte {
	path := f.pathOf(ref)
	v := f.event
	for depth, seg := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return fmt.Appendf(key, "x%d%s;", depth, mustMarshal(v))
		}
		if v, ok = m[seg]; !ok {
			return fmt.Appendf(key, "a%d;", depth)
		}
	}
	return fmt.Appendf(key, "v%s;", mustMarshal(v))
}

func mustMarshal(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

func (f jsonFields) Tree(paths [][]string) (any, bool) {
	if paths == nil {
		return f.event, true
	}
	root, ok := f.event.(map[string]any)
	if !ok {
		return f.event, true // not an object: every rule errors
	}
	out := map[string]any{}
	for _, path := range paths {
		in, to := root, out
		for depth, seg := range path {
			val, present := in[seg]
			if !present {
				break
			}
			obj, isObj := val.(map[string]any)
			if !isObj || depth == len(path)-1 {
				to[seg] = val
				break
			}
			next, have := to[seg].(map[string]any)
			if !have {
				next = map[string]any{}
				to[seg] = next
			}
			in, to = obj, next
		}
	}
	return out, true
}

func (f jsonFields) PlainString(ref int) (string, bool) {
	path := f.pathOf(ref)
	v := f.event
	for _, seg := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return "", false
		}
		v = m[seg]
	}
	s, ok := v.(string)
	return s, ok
}

// rulesPolicy is a checked policy of one challenge rule per condition,
// r0, r1, ..., with the named list lists (YAML, "" for none).
func rulesPolicy(t *testing.T, lists string, conds []string) *Policy {
	t.Helper()
	var sb strings.Builder
	sb.WriteString("name: rules\non_error: deny\n")
	if lists != "" {
		sb.WriteString("lists:\n  " + lists + "\n")
	}
	sb.WriteString("rules:\n")
	for i, c := range conds {
		when, _ := json.Marshal(c)
		fmt.Fprintf(&sb, "  - id: r%d\n    when: %s\n    then: challenge\n    factors: [otp]\n", i, when)
	}
	sb.WriteString("default: allow\n")
	p, diags := Parse("rules.yaml", []byte(sb.String()))
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	return p
}

// userEvents are the events of every combination of the given JSON
// values of event.user.enrolledFactors, event.stats.logins_count,
// event.request.geoip.countryCode and event.user.email.
func userEvents(t *testing.T, enrolled, counts, countries, emails []string) []any {
	t.Helper()
	var events []any
	for _, en := range enrolled {
		for _, count := range counts {
			for _, country := range countries {
				for _, email := range emails {
					s := fmt.Sprintf(`{"user":{"enrolledFactors":%s,"email":%s},"stats":{"logins_count":%s},"request":{"geoip":{"countryCode":%s}}}`, en, email, count, country)
					var ev any
					if err := json.Unmarshal([]byte(s), &ev); err != nil {
						t.Fatal(err)
					}
					events = append(events, ev)
				}
			}
		}
	}
	return events
}

// rulesEvaluator is the evaluator of rulesPolicy(t, lists, conds).
func rulesEvaluator(t *testing.T, lists string, conds []string) *Evaluator {
	t.Helper()
	e, err := rulesPolicy(t, lists, conds).NewEvaluator()
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// decidesAsEvaluator fails the test unless the memo decides f, the
// fields of event ev, as its evaluator decides ev: the same rule, and an
// error exactly when it errs. at says where in the test.
func decidesAsEvaluator(t *testing.T, e *Evaluator, m *Memo, ev any, f Fields, at string) {
	t.Helper()
	wi, werr := e.Decide(ev)
	gi, gerr := m.Decide(f)
	if gi != wi || (gerr != nil) != (werr != nil) {
		b, _ := json.Marshal(ev)
		t.Fatalf("%s on %s: the memo decides r%d (%v), the evaluator r%d (%v)", at, b, gi, gerr, wi, werr)
	}
}

// A rule that is a chain of && or || is memoised part by part: on events
// where each part is true, false or an error in turn, the Memo decides as
// the Evaluator does (the same rule, an error exactly when it errs), the
// first time and from its memo.
func TestMemoPartsDecideAsEvaluator(t *testing.T) {
	conds := []string{
		"size(event.user.enrolledFactors) == 0 && event.stats.logins_count > 3",
		"event.stats.logins_count > 3 && size(event.user.enrolledFactors) == 0",
		"event.request.geoip.countryCode == 'US' || event.stats.logins_count > 3 || event.user.email.endsWith('@corp.example')",
		"(event.request.geoip.countryCode == 'US' || event.stats.logins_count > 3) && event.user.email.endsWith('@corp.example')",
		"event.user.email.endsWith('@corp.example') && !(event.request.geoip.countryCode in ['US', 'CA']) && event.stats.logins_count % 2 == 0",
		"(size(event.user.enrolledFactors) == 0 || size(event.user.email) < 16) && event.stats.logins_count > 3",
		"event.request.geoip.countryCode == 'US' || (event.stats.logins_count > 3 && (event.user.email.endsWith('@corp.example') || size(event.user.enrolledFactors) == 0))",
	}
	p := rulesPolicy(t, "", conds)
	e, err := p.NewEvaluator()
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []int{2, 2, 3, 2, 3, 2, 2} {
		if got := len(e.parts[i].parts); got != want {
			t.Errorf("rule r%d: %d parts, want %d", i, got, want)
		}
	}
	// A part that is a chain of the other operator has parts of its own.
	if len(e.parts[3].parts[0].sub.parts) != 2 || len(e.parts[5].parts[0].sub.parts) != 2 ||
		len(e.parts[6].parts[1].sub.parts) != 2 || len(e.parts[6].parts[1].sub.parts[1].sub.parts) != 2 {
		t.Error("the chains inside parts are not split")
	}
	events := userEvents(t, []string{`[]`, `[{"type":"otp"}]`, `"otp"`, `null`}, []string{`1`, `4`, `"4"`, `6`},
		[]string{`"US"`, `"DE"`, `7`}, []string{`"a@corp.example"`, `"a@b.example"`, `false`})
	m := e.NewMemo(testPaths)
	for round := range 2 {
		for _, ev := range events {
			// Each rule alone, then the policy.
			for i := range conds {
				out, _, werr := e.programs[i].Eval(e.activation(ev))
				rule := m.rules[i]
				got, gerr := m.parts(rule, jsonFields{event: ev})
				if (gerr != nil) != (werr != nil) || (werr == nil && got != (out.Value() == true)) {
					b, _ := json.Marshal(ev)
					t.Fatalf("round %d, r%d on %s: parts give %v (%v), the rule %v (%v)", round+1, i, b, got, gerr, out, werr)
				}
			}
			wi, werr := e.Decide(ev)
			gi, gerr := m.Decide(jsonFields{event: ev})
			if gi != wi || (gerr != nil) != (werr != nil) {
				t.Fatalf("round %d: memo decides r%d (%v), the evaluator r%d (%v)", round+1, gi, gerr, wi, werr)
			}
		}
	}
	// Numbered logins, as simulate's: a part's value is kept for the login.
	for i, ev := range events {
		decidesAsEvaluator(t, e, m, ev, loginJSONFields{jsonFields{event: ev}, uint64(i + 1)}, fmt.Sprintf("numbered login %d", i+1))
	}
}

// A quantifier over address ranges, as a rule or as a part of one, is
// decided by a Memo from the address alone: on addresses inside and
// outside the ranges, strings that are not addresses, addresses cel-go
// refuses, wrong types and absent fields, it decides as the Evaluator.
func TestMemoDecidesAddressRanges(t *testing.T) {
	conds := []string{
		"lists.ranges.exists(r, isIP(event.request.ip) && cidr(r).containsIP(event.request.ip))",
		"lists.ranges.exists(r, cidr(r).containsIP(event.request.ip)) && event.authentication.riskAssessment.confidence != 'low'",
		"event.request.geoip.countryCode == 'KP' || ['192.0.2.0/24', '::/0'].exists(c, isIP(event.request.ip) && cidr(c).containsIP(event.request.ip))",
	}
	p := rulesPolicy(t, `ranges: [203.0.113.0/24, 10.0.0.0/8, "2001:db8:100::/48"]`, conds)
	e, err := p.NewEvaluator()
	if err != nil {
		t.Fatal(err)
	}
	if e.whole[0] == nil || e.parts[1].parts[0].cidr == nil || e.parts[2].parts[1].cidr == nil {
		t.Fatal("the quantifiers over address ranges are not decided from the address")
	}
	var events []any
	for _, ip := range []string{`"10.1.2.3"`, `"11.1.2.3"`, `"203.0.113.9"`, `"192.0.2.1"`, `"2001:db8:100::1"`, `"2001:db9::1"`,
		`"::ffff:10.1.2.3"`, `"fe80::1%eth0"`, `"not an address"`, `""`, `"10.1.2.3\u0000"`, `"\u0031\u0030.1.2.3"`, `17`, `null`, `["10.1.2.3"]`} {
		for _, conf := range []string{`"low"`, `"high"`} {
			for _, country := range []string{`"KP"`, `"US"`} {
				s := fmt.Sprintf(`{"request":{"ip":%s,"geoip":{"countryCode":%s}},"authentication":{"riskAssessment":{"confidence":%s}}}`, ip, country, conf)
				var ev any
				if err := json.Unmarshal([]byte(s), &ev); err != nil {
					t.Fatal(err)
				}
				events = append(events, ev)
			}
		}
		events = append(events, map[string]any{}, map[string]any{"request": "10.1.2.3"})
	}
	m := e.NewMemo(testPaths)
	for round := range 2 {
		for _, ev := range events {
			decidesAsEvaluator(t, e, m, ev, jsonFields{event: ev}, fmt.Sprintf("round %d", round+1))
		}
	}
	// On numbered logins, the address is parsed once per login for the
	// quantifiers of both policies of a pair (Memo.address); a head whose
	// ranges differ shares no quantifier with the base, only the parse.
	hp := rulesPolicy(t, `ranges: [10.1.0.0/16, 198.51.100.0/24, "2001:db9::/32"]`, conds)
	he, err := hp.NewEvaluator()
	if err != nil {
		t.Fatal(err)
	}
	bm := e.NewMemo(testPaths)
	hm := he.NewMemoSharing(bm)
	if hm.rules[0].whole == bm.rules[0].whole {
		t.Fatal("quantifiers over different ranges are shared")
	}
	login := uint64(0)
	for round := range 2 {
		for _, ev := range events {
			login++
			f := loginJSONFields{jsonFields{event: ev}, login}
			decidesAsEvaluator(t, e, bm, ev, f, fmt.Sprintf("numbered round %d, base", round+1))
			decidesAsEvaluator(t, he, hm, ev, f, fmt.Sprintf("numbered round %d, head", round+1))
		}
	}
}

// The objects of a Memo's evaluations are reused from one to the next: on
// events whose lists of objects and nested objects vary in shape, the Memo
// decides as the Evaluator, with the same error text (which names the
// field by the objects' parents).
func TestMemoReusesObjectsAcrossEvaluations(t *testing.T) {
	conds := []string{
		"event.user.enrolledFactors.exists(f, f.type == 'otp') && event.request.geoip.countryCode == 'US'",
		"event.user.enrolledFactors.all(f, f.type != 'phone') || event.request.geoip.countryCode == 'DE'",
		"event.authentication.riskAssessment.assessments.NewDevice.code == 'match'",
	}
	p := rulesPolicy(t, "", conds)
	e, err := p.NewEvaluator()
	if err != nil {
		t.Fatal(err)
	}
	var events []any
	for _, enrolled := range []string{`[]`, `[{"type":"otp"}]`, `[{"type":"phone"},{"type":7}]`, `[{"type":"push"},{"type":"otp"},{"type":"phone"}]`, `[3]`} {
		for _, country := range []string{`"US"`, `"DE"`, `7`} {
			for _, code := range []string{`"match"`, `"no_match"`, `5`} {
				s := fmt.Sprintf(`{"user":{"enrolledFactors":%s},"request":{"geoip":{"countryCode":%s}},"authentication":{"riskAssessment":{"assessments":{"NewDevice":{"code":%s}}}}}`, enrolled, country, code)
				var ev any
				if err := json.Unmarshal([]byte(s), &ev); err != nil {
					t.Fatal(err)
				}
				events = append(events, ev)
			}
		}
	}
	m := e.NewMemo(testPaths)
	for _, ev := range events {
		wi, werr := e.Decide(ev)
		gi, gerr := m.Decide(jsonFields{event: ev})
		if gi != wi || fmt.Sprint(gerr) != fmt.Sprint(werr) {
			b, _ := json.Marshal(ev)
			t.Fatalf("on %s: memo decides r%d (%v), the evaluator r%d (%v)", b, gi, gerr, wi, werr)
		}
	}
	if m.objs.n == 0 {
		t.Fatal("the memo's evaluations made no objects of its own")
	}
}

// loginJSONFields is jsonFields numbering its login, as simulate's
// located pass does: Memos that share units answer a login's second
// decision from the first.
type loginJSONFields struct {
	jsonFields
	login uint64
}

func (f loginJSONFields) Login() uint64 { return f.login }

// A diff's head Memo shares the base's memo of every part that is the same
// in both policies (the same text over lists with the same values), and
// of no other: on events where each part is true, false or an error, each
// Memo decides as its own Evaluator, whether the base decided the login
// first or not.
func TestMemoSharesSameParts(t *testing.T) {
	be := rulesEvaluator(t, `home: [US, CA]`, []string{
		"size(event.user.enrolledFactors) == 0 && event.stats.logins_count > 3",
		"event.request.geoip.countryCode in lists.home || event.stats.logins_count % 7 == 0",
		"event.user.email.endsWith('@corp.example') && !(event.request.geoip.countryCode in lists.home)",
	})
	he := rulesEvaluator(t, `home: [US, CA, FR]`, []string{
		"size(event.user.enrolledFactors) == 0 && event.stats.logins_count > 1",
		"event.request.geoip.countryCode in lists.home || event.stats.logins_count % 7 == 0",
		"event.user.email.endsWith('@corp.example') && !(event.request.geoip.countryCode in lists.home) && event.stats.logins_count > 0",
	})
	bm := be.NewMemo(testPaths)
	hm := he.NewMemoSharing(bm)
	shared := func(r, p int) bool { return hm.rules[r].parts[p] == bm.rules[r].parts[p] }
	switch {
	case !shared(0, 0):
		t.Error("size(event.user.enrolledFactors) == 0 is not shared")
	case shared(0, 1):
		t.Error("event.stats.logins_count > 3 is shared with > 1")
	case shared(1, 0), shared(2, 1):
		t.Error("a part naming lists.home is shared although its values differ")
	case !shared(2, 0):
		t.Error("event.user.email.endsWith('@corp.example') is not shared")
	}
	events := userEvents(t, []string{`[]`, `[{"type":"otp"}]`, `"otp"`}, []string{`0`, `2`, `4`, `7`, `"4"`},
		[]string{`"US"`, `"FR"`, `7`}, []string{`"a@corp.example"`, `"a@b.example"`, `false`})
	login := uint64(0)
	for round := range 3 {
		for _, ev := range events {
			login++
			f := loginJSONFields{jsonFields{event: ev}, login}
			if round != 1 { // round 2: the head alone
				decidesAsEvaluator(t, be, bm, ev, f, fmt.Sprintf("round %d, base", round+1))
			}
			decidesAsEvaluator(t, he, hm, ev, f, fmt.Sprintf("round %d, head", round+1))
		}
	}
}

// A Memo numbers at most maxFieldValues values of a field: past them, the
// parts reading a value without a number are evaluated, and a part of
// more than maxKeyFields fields is never memoised; on logins that run
// past the bound, the Memo still decides as the Evaluator, and the
// values numbered before it still answer from the memo.
func TestMemoFieldNumbersBounded(t *testing.T) {
	conds := []string{
		"event.user.email.endsWith('@x.example')",
		"event.stats.logins_count % 3 == 0 && event.request.geoip.countryCode == 'US'",
		"size(event.user.email) + size(event.request.user_agent) + event.stats.logins_count + size(event.request.ip) + size(event.client.name) == 40",
	}
	e := rulesEvaluator(t, "", conds)
	m := e.NewMemo(testPaths)
	if m.rules[2].whole.memo {
		t.Fatal("a rule of five fields is memoised")
	}
	event := func(i int) any {
		domain := "y.example"
		if i%5 == 0 {
			domain = "x.example"
		}
		country := "US"
		if i%2 == 0 {
			country = "DE"
		}
		return map[string]any{
			"user":    map[string]any{"email": fmt.Sprintf("u%d@%s", i, domain)},
			"stats":   map[string]any{"logins_count": float64(i % 7)},
			"request": map[string]any{"geoip": map[string]any{"countryCode": country}, "ip": "10.0.0.1", "user_agent": "Mozilla/5.0"},
			"client":  map[string]any{"name": fmt.Sprintf("app%d", i%4)},
		}
	}
	// Ten values until the memo has answered enough to be kept when full,
	// then values never seen before, past the bound, then the ten again.
	warm, n := 5000, 5000+maxFieldValues+500
	var hits int
	for login := 1; login <= n+200; login++ {
		i := login % 10
		if login > warm && login <= n {
			i = login
		}
		if login == n+1 {
			hits = m.rules[0].whole.hits
		}
		ev := event(i)
		decidesAsEvaluator(t, e, m, ev, loginJSONFields{jsonFields{event: ev}, uint64(login)}, fmt.Sprintf("login %d", login))
	}
	email := m.rules[0].whole.ids[0]
	if got := len(m.fields.values[email]); got != maxFieldValues {
		t.Errorf("the email field numbers %d values, want %d", got, maxFieldValues)
	}
	if u := m.rules[0].whole; !u.memo || u.hits-hits != 200 {
		t.Errorf("the email rule answered %d of the last 200 logins from its memo (kept: %v), want all", u.hits-hits, u.memo)
	}
}

// A Memo resolves the paths of the fields it reads when it is made, the
// head of a diff with the base's Resolver, and asks its Fields for those
// refs only: deciding logins resolves nothing.
func TestMemoResolvesPathsOnce(t *testing.T) {
	ranges := `ranges: ["10.0.0.0/8", "2001:db8::/32"]`
	be := rulesEvaluator(t, ranges, []string{
		"lists.ranges.exists(r, isIP(event.request.ip) && cidr(r).containsIP(event.request.ip))",
		"size(event.user.enrolledFactors) == 0 && event.stats.logins_count > 3",
	})
	he := rulesEvaluator(t, ranges, []string{
		"lists.ranges.exists(r, isIP(event.request.ip) && cidr(r).containsIP(event.request.ip))",
		"size(event.user.enrolledFactors) == 0 && event.user.email.endsWith('@corp.example')",
	})
	r := &jsonPaths{}
	bm := be.NewMemo(r)
	hm := he.NewMemoSharing(bm)
	made := r.resolved
	var want []string
	for _, p := range r.paths {
		want = append(want, strings.Join(p, "."))
	}
	slices.Sort(want)
	if fields := append(be.Fields(), he.Fields()...); !slices.Equal(want, slices.Compact(slices.Sorted(slices.Values(fields)))) {
		t.Errorf("the Memos resolved %q, the evaluators read %q", want, fields)
	}
	var asked []int
	login := uint64(0)
	for _, ip := range []string{`"10.1.2.3"`, `"192.0.2.1"`, `"2001:db8::1"`, `7`, `null`} {
		for _, ev := range userEvents(t, []string{`[]`, `[{"type":"otp"}]`}, []string{`1`, `4`}, []string{`"US"`}, []string{`"a@corp.example"`, `5`}) {
			ev.(map[string]any)["request"].(map[string]any)["ip"] = json.RawMessage(ip)
			var event any
			b, _ := json.Marshal(ev)
			if err := json.Unmarshal(b, &event); err != nil {
				t.Fatal(err)
			}
			login++
			f := loginJSONFields{jsonFields{event: event, paths: r, asked: &asked}, login}
			decidesAsEvaluator(t, be, bm, event, f, "base")
			decidesAsEvaluator(t, he, hm, event, f, "head")
		}
	}
	if r.resolved != made {
		t.Errorf("deciding resolved %d paths", r.resolved-made)
	}
	if len(asked) == 0 {
		t.Fatal("no field was looked up")
	}
	for _, ref := range asked {
		if ref < 0 || ref >= len(r.paths) {
			t.Fatalf("asked for ref %d, which the Resolver did not give", ref)
		}
	}
	if !slices.ContainsFunc(asked, func(ref int) bool { return slices.Equal(r.paths[ref], []string{"request", "ip"}) }) {
		t.Error("the address was not looked up by its ref")
	}
}
