package simulate

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/mfapolicy/mfapolicy/simulate/engine"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mfapolicy/mfapolicy/compile"
	"github.com/mfapolicy/mfapolicy/policy"
	"github.com/mfapolicy/mfapolicy/simulate/input"
)

// classPolicy decides by country alone, so that a classifier written here
// can place its logins exactly.
const classPolicy = `name: classes
rules:
  - id: sanctioned
    when: event.request.geoip.countryCode in ['KP', 'IR']
    then: deny
    reason: Blocked
  - id: abroad
    when: event.request.geoip.countryCode != 'US' && size(event.user.enrolledFactors) >= 0
    then: challenge
    factors: [otp, push-notification]
default: allow
`

// compiledOptions compiles a policy as mfapolicy simulate does and returns
// the options that replay it, reading lines.
func compiledOptions(t *testing.T, src string, lines []string) Options {
	t.Helper()
	p, diags := policy.Parse("classes.yaml", []byte(src))
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	res, err := compile.Compile(p, compile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return Options{
		Code: res.Code, CodeName: "code.js", Rules: res.Rules, RuleFields: p.RuleFields(), Fields: res.Fields,
		Workers: 1, Timeout: time.Minute,
		Inputs: []input.Input{input.ReaderInput("events.ndjson", strings.NewReader(strings.Join(lines, "\n")+"\n"))},
	}
}

// countryClassifier places logins of classPolicy by their country, as the
// policy does; lie, when set, overrides its answer for some countries.
type countryClassifier struct {
	mu    sync.Mutex
	seen  []string // the events it was given, as JSON
	calls int
	lie   map[string]Class
	never bool // places nothing
}

func (c *countryClassifier) NewClassWorker(*input.FieldTree) ClassWorker { return c }

// classFields are the fields countryClassifier reads.
var classFields = []string{"request.geoip.countryCode", "user.enrolledFactors"}

func (c *countryClassifier) Fields() []string { return classFields }

func (c *countryClassifier) Classify(fields EventFields) (Class, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls++
	event, ok := fields.Tree(splitPaths(classFields))
	b, _ := json.Marshal(event) // the event is valid during the call only
	c.seen = append(c.seen, string(b))
	if c.never || !ok {
		return Class{}, false
	}
	country := ""
	if ev, ok := event.(map[string]any); ok {
		if req, ok := ev["request"].(map[string]any); ok {
			if geo, ok := req["geoip"].(map[string]any); ok {
				switch cc := geo["countryCode"].(type) {
				case string:
					country = cc
				case nil:
				default:
					return Class{}, false // the rule errors: goja says how
				}
			}
		}
	}
	if cl, ok := c.lie[country]; ok {
		return cl, true
	}
	switch country {
	case "KP", "IR":
		return Class{Key: 0, Rule: "sanctioned"}, true
	case "US":
		return Class{Key: 2, Rule: ""}, true
	}
	return Class{Key: 1, Rule: "abroad"}, true
}

// countryLines are logins of every class of classPolicy, and one the
// classifier cannot place (a country code of the wrong JSON type).
func countryLines(n int) []string {
	countries := []string{`"KP"`, `"US"`, `"KP"`, `"FR"`, `"US"`, `"DE"`, `"IR"`, `5`, `"US"`, `null`}
	var lines []string
	for i := 0; i < n; i++ {
		cc := countries[i%len(countries)]
		user := ""
		if i%3 == 0 {
			user = `,"user":{"user_id":"u","enrolledFactors":[{"type":"otp"}]}`
		}
		lines = append(lines, fmt.Sprintf(`{"request":{"ip":"10.0.0.%d","geoip":{"countryCode":%s}}%s}`, i%250, cc, user))
	}
	return lines
}

type classRun struct {
	decisions []string
	sum       *Summary
	err       error
}

func runClasses(opts Options) classRun {
	var r classRun
	opts.OnDecision = func(d Decision) error {
		b, err := json.Marshal(d)
		r.decisions = append(r.decisions, string(b))
		return err
	}
	r.sum, r.err = Run(context.Background(), opts)
	return r
}

// Replayed by class, with every reused login verified or none, the
// decisions and the summary are those of the exact replay; the replay
// statistics say how each login was decided.
func TestClassesMatchExact(t *testing.T) {
	lines := countryLines(60)
	base := compiledOptions(t, classPolicy, lines)
	exact := runClasses(base)
	if exact.err != nil {
		t.Fatal(exact.err)
	}
	if exact.sum.Replay.Mode != "exact" || exact.sum.Replay.InGoja != 60 {
		t.Fatalf("exact replay: %+v", exact.sum.Replay)
	}
	for _, every := range []int{1, 1 << 30} {
		opts := compiledOptions(t, classPolicy, lines)
		opts.Classifier, opts.VerifyEvery = &countryClassifier{}, every
		got := runClasses(opts)
		if got.err != nil {
			t.Fatalf("VerifyEvery %d: %v", every, got.err)
		}
		for i := range exact.decisions {
			if got.decisions[i] != exact.decisions[i] {
				t.Fatalf("VerifyEvery %d, line %d:\nclasses %s\nexact   %s", every, i+1, got.decisions[i], exact.decisions[i])
			}
		}
		st := got.sum.Replay
		// 60 logins: 6 with a country of the wrong type (5), unplaced.
		want := ReplayStats{Mode: "classes", Classes: 3, Unclassified: 6, InGoja: 3 + 6}
		if every == 1 {
			want.InGoja, want.Verified = 60, 60-3-6
		}
		if st != want {
			t.Errorf("VerifyEvery %d: replay %+v, want %+v", every, st, want)
		}
		got.sum.Replay, exact.sum.Replay = ReplayStats{}, ReplayStats{}
		a, _ := json.Marshal(got.sum)
		b, _ := json.Marshal(exact.sum)
		if string(a) != string(b) {
			t.Errorf("VerifyEvery %d: summaries differ:\nclasses %s\nexact   %s", every, a, b)
		}
	}
}

// The classifier sees the event as the Action does: the fields it asks
// for, with the assumed enrolled factors filled into events that lack
// them, and nothing else.
func TestClassifierSeesProjectedEvent(t *testing.T) {
	opts := compiledOptions(t, classPolicy, []string{
		`{"request":{"ip":"1.2.3.4","geoip":{"countryCode":"US","cityName":"x"}},"client":{"name":"A"}}`,
		`{"request":{"geoip":{"countryCode":"FR","cityName":"y"}},"user":{"user_id":"u","email":"e","enrolledFactors":[{"type":"phone"}]}}`,
		`{"request":{"geoip":{"countryCode":"DE"}},"user":{"enrolledFactors":null}}`,
	})
	c := &countryClassifier{}
	opts.Classifier, opts.AssumeEnrolled = c, []string{"otp"}
	if r := runClasses(opts); r.err != nil {
		t.Fatal(r.err)
	}
	want := []struct{ country, enrolled string }{{"US", "otp"}, {"FR", "phone"}, {"DE", "otp"}}
	if len(c.seen) != len(want) {
		t.Fatalf("classifier saw %d events, want %d", len(c.seen), len(want))
	}
	for i, w := range want {
		var ev struct {
			Request struct {
				Geoip map[string]any `json:"geoip"`
			} `json:"request"`
			User map[string]any `json:"user"`
		}
		if err := json.Unmarshal([]byte(c.seen[i]), &ev); err != nil {
			t.Fatal(err)
		}
		enrolled, _ := json.Marshal(ev.User["enrolledFactors"])
		if ev.Request.Geoip["countryCode"] != w.country || string(enrolled) != `[{"type":"`+w.enrolled+`"}]` {
			t.Errorf("event %d: classifier saw %s", i+1, c.seen[i])
		}
		// What it did not ask for is not decoded.
		if _, ok := ev.Request.Geoip["cityName"]; ok || len(ev.Request.Geoip) != 1 || len(ev.User) != 1 {
			t.Errorf("event %d: classifier saw unread fields: %s", i+1, c.seen[i])
		}
	}
}

// tamperings each alter a cached execution in one way the verification
// must notice. They replace what they change, never write into slices
// the first login's own decision shares. shown says whether the message
// shows the change (it prints the decision and the calls).
var tamperings = []struct {
	name   string
	tamper func(*engine.Execution)
	shown  string
}{
	{"an argument", func(ex *engine.Execution) {
		calls := append([]engine.Call{}, ex.State.Calls...)
		args := append([]json.RawMessage{}, calls[0].Args...)
		args[0] = json.RawMessage(`"Tampered"`)
		calls[0].Args = args
		ex.State.Calls = calls
	}, `"args":["Tampered"]`},
	{"the method", func(ex *engine.Execution) {
		calls := append([]engine.Call{}, ex.State.Calls...)
		calls[0].Method = "authentication.challengeWith"
		ex.State.Calls = calls
	}, `"method":"authentication.challengeWith"`},
	{"a call dropped", func(ex *engine.Execution) { ex.State.Calls = nil }, `error=""; null`},
	{"a call added", func(ex *engine.Execution) {
		ex.State.Calls = append(append([]engine.Call{}, ex.State.Calls...), engine.Call{Method: "idToken.setCustomClaim", Args: []json.RawMessage{json.RawMessage(`"Tampered"`), json.RawMessage(`1`)}})
	}, `"idToken.setCustomClaim","args":["Tampered",1]`},
	{"the outcome", func(ex *engine.Execution) {
		d := *ex.Decide
		d.Outcome = "allow"
		ex.Decide = &d
	}, `decision rule="sanctioned" outcome="allow"`},
	{"the reason", func(ex *engine.Execution) {
		d := *ex.Decide
		d.Reason = "Tampered"
		ex.Decide = &d
	}, `reason="Tampered"`},
	{"the factors", func(ex *engine.Execution) {
		d := *ex.Decide
		d.Factors = []string{"otp"}
		ex.Decide = &d
	}, `factors=["otp"]`},
	{"a note", func(ex *engine.Execution) { ex.State.Notes = append(append([]string{}, ex.State.Notes...), "Tampered") }, `notes ["Tampered"]`},
	{"console output", func(ex *engine.Execution) { ex.State.Console = []string{"Tampered"} }, `console ["Tampered"]`},
	{"a command", func(ex *engine.Execution) {
		cmds := append([]engine.Command{}, ex.State.Cmds...)
		cmds[0].Reason = "Tampered"
		ex.State.Cmds = cmds
	}, "Reason:Tampered"},
}

// A cached execution that no longer is what goja does stops the run at the
// first verified login of its class, named by file and line, with both
// call lists; the same run untampered succeeds.
func TestDivergencePlanted(t *testing.T) {
	// Lines 1 and 3 are sanctioned: the first is cached, the second
	// verified. Line 2 (US, default) makes no call.
	lines := countryLines(20)
	for _, tc := range tamperings {
		opts := compiledOptions(t, classPolicy, lines)
		opts.Classifier, opts.VerifyEvery = &countryClassifier{}, 1
		tampered := 0
		opts.tamper = func(ex *engine.Execution) {
			if ex.Decide != nil && ex.Decide.Rule == "sanctioned" {
				tampered++
				tc.tamper(ex)
			}
		}
		r := runClasses(opts)
		var de *DivergenceError
		if !errors.As(r.err, &de) {
			t.Errorf("tampered %s: err %v, want a DivergenceError", tc.name, r.err)
			continue
		}
		if tampered != 1 || de.File != "events.ndjson" || de.Line != 3 || de.Class != (Class{Key: 0, Rule: "sanctioned"}) {
			t.Errorf("tampered %s (%d times): %s:%d %+v", tc.name, tampered, de.File, de.Line, de.Class)
		}
		if len(r.decisions) != 2 || strings.Contains(r.decisions[0], "Tampered") {
			t.Errorf("tampered %s: the logins before the divergence: %q", tc.name, r.decisions)
		}
		msg := r.err.Error()
		// goja's call list, as goja made it, and the class's.
		for _, s := range []string{"events.ndjson:3", "rule sanctioned", `goja:     decision rule="sanctioned" outcome="deny" factors=[] reason="Blocked" error=""; [{"method":"access.deny","args":["Blocked"]}]`, "--exact"} {
			if !strings.Contains(msg, s) {
				t.Errorf("tampered %s: the message lacks %q:\n%s", tc.name, s, msg)
			}
		}
		if !strings.HasPrefix(de.Want, `decision rule="sanctioned" outcome=`) || !strings.Contains(msg, "expected: "+de.Want) {
			t.Errorf("tampered %s: expected side %q", tc.name, de.Want)
		}
		if de.Want == de.Got {
			t.Errorf("tampered %s: both sides print the same:\n%s", tc.name, msg)
		}
		if tc.shown != "" && !strings.Contains(de.Want, tc.shown) {
			t.Errorf("tampered %s: the expected side lacks %q:\n%s", tc.name, tc.shown, msg)
		}
	}
	opts := compiledOptions(t, classPolicy, lines)
	opts.Classifier, opts.VerifyEvery = &countryClassifier{}, 1
	if r := runClasses(opts); r.err != nil || len(r.decisions) != len(lines) || r.sum.Replay.Verified == 0 {
		t.Fatalf("untampered: err %v, %d decisions, replay %+v", r.err, len(r.decisions), r.sum.Replay)
	}
}

// A login that is not sampled is not checked: with the default sampling,
// a tampered class goes unnoticed by most logins, but a login the hash
// picks is verified. This is what VerifyEvery trades.
func TestDivergenceOnlyWhenSampled(t *testing.T) {
	lines := countryLines(20)
	opts := compiledOptions(t, classPolicy, lines)
	opts.Classifier, opts.VerifyEvery = &countryClassifier{}, 1<<30
	opts.tamper = func(ex *engine.Execution) {
		if ex.Decide.Rule == "sanctioned" {
			tamperings[0].tamper(ex)
		}
	}
	r := runClasses(opts)
	if r.err != nil {
		t.Fatalf("nothing sampled, yet: %v", r.err)
	}
	if !strings.Contains(r.decisions[2], "Tampered") || strings.Contains(r.decisions[0], "Tampered") {
		t.Errorf("the cached login should carry the cached calls, the first its own:\n%s\n%s", r.decisions[0], r.decisions[2])
	}
}

// A classifier that names a rule the Action does not decide by is caught
// on the first login of the class, which always runs in goja, however
// rarely the others are verified.
func TestLyingClassifierCaughtOnFirstLogin(t *testing.T) {
	lines := countryLines(20)
	for _, every := range []int{1, 1 << 30} {
		// US logins (the default) said to be decided by "abroad", in a class
		// of their own: line 2 is the first.
		opts := compiledOptions(t, classPolicy, lines)
		opts.Classifier = &countryClassifier{lie: map[string]Class{"US": {Key: 7, Rule: "abroad"}}}
		opts.VerifyEvery = every
		r := runClasses(opts)
		var de *DivergenceError
		if !errors.As(r.err, &de) {
			t.Fatalf("VerifyEvery %d: err %v, want a DivergenceError", every, r.err)
		}
		if de.Line != 2 || de.Class.Rule != "abroad" || !strings.Contains(de.Want, `decision rule="abroad" without error`) ||
			!strings.Contains(de.Got, `decision rule="" outcome="allow"`) {
			t.Errorf("VerifyEvery %d: %+v", every, de)
		}
		if !strings.Contains(r.err.Error(), "events.ndjson:2") {
			t.Errorf("VerifyEvery %d: %s", every, r.err)
		}
	}
	// A lie about a login of a class that a truthful login opened: FR
	// said to be decided by "sanctioned", which KP opened at line 1, is
	// caught at line 4 (FR) when verified.
	opts := compiledOptions(t, classPolicy, lines)
	opts.Classifier = &countryClassifier{lie: map[string]Class{"FR": {Key: 0, Rule: "sanctioned"}}}
	opts.VerifyEvery = 1
	var de *DivergenceError
	if r := runClasses(opts); !errors.As(r.err, &de) || de.Line != 4 || !strings.Contains(de.Want, `"Blocked"`) || !strings.Contains(de.Got, "challengeWithAny") {
		t.Fatalf("err %v", r.err)
	}
}

// A worker whose classifier cannot place most logins stops asking it
// after giveUpAfter logins; the decisions stay those of goja.
func TestClassesGiveUp(t *testing.T) {
	lines := countryLines(giveUpAfter + 100)
	c := &countryClassifier{never: true}
	opts := compiledOptions(t, classPolicy, lines)
	opts.Classifier = c
	var told atomic.Int32
	opts.OnClassesOff = func() { told.Add(1) }
	r := runClasses(opts)
	if r.err != nil {
		t.Fatal(r.err)
	}
	st := r.sum.Replay
	if !st.GaveUp || c.calls != giveUpAfter || st.InGoja != int64(len(lines)) || st.Classes != 0 {
		t.Errorf("replay %+v after %d calls", st, c.calls)
	}
	if told.Load() != 1 {
		t.Errorf("OnClassesOff called %d times by the one worker that gave up", told.Load())
	}
	exact := runClasses(compiledOptions(t, classPolicy, lines))
	for i := range exact.decisions {
		if r.decisions[i] != exact.decisions[i] {
			t.Fatalf("line %d:\n got %s\nwant %s", i+1, r.decisions[i], exact.decisions[i])
		}
	}
}

// Under each tenant MFA policy, with users whose enrolments, enabled
// factors and risk confidences differ from login to login, the logins
// replayed by class are decided as the exact replay decides them: a
// class's derivation is reused only for logins it fits (without a
// tenant policy, or one that does not read the confidence, whatever
// their confidence).
func TestClassesMatchExactUnderTenant(t *testing.T) {
	confidences := []string{`"low"`, `"high"`, `"medium"`, `null`}
	users := []string{"u1", "u2", "u3", "u4", "u5"}
	countries := []string{`"US"`, `"FR"`, `"KP"`}
	var lines []string
	for i := 0; i < 90; i++ {
		enrolled := ""
		if i%4 == 0 {
			enrolled = `,"enrolledFactors":[{"type":"push-notification"}]`
		}
		lines = append(lines, fmt.Sprintf(`{"user":{"user_id":%q%s},"request":{"geoip":{"countryCode":%s}},"authentication":{"riskAssessment":{"confidence":%s}}}`,
			users[i%len(users)], enrolled, countries[i%len(countries)], confidences[(i/3)%len(confidences)]))
	}
	for _, pol := range []string{"", PolicyNever, PolicyAllApplications, PolicyConfidenceScore} {
		tenant := &Tenant{Name: "tenant.json", Policy: pol, Enabled: []string{"otp", "push-notification", "email"},
			Users: map[string][]string{"u1": {"otp"}, "u2": {}, "u3": {"push-notification", "otp"}, "u4": {"email"}}}
		exactOpts := compiledOptions(t, classPolicy, lines)
		exactOpts.Tenant = tenant
		exact := runClasses(exactOpts)
		opts := compiledOptions(t, classPolicy, lines)
		opts.Tenant, opts.Classifier, opts.VerifyEvery = tenant, &countryClassifier{}, 1<<30
		got := runClasses(opts)
		if exact.err != nil || got.err != nil {
			t.Fatalf("policy %q: %v, %v", pol, exact.err, got.err)
		}
		if got.sum.Replay.InGoja >= 30 {
			t.Errorf("policy %q: %d of 90 logins ran in goja", pol, got.sum.Replay.InGoja)
		}
		for i := range exact.decisions {
			if got.decisions[i] != exact.decisions[i] {
				t.Fatalf("policy %q, line %d:\nclasses %s\nexact   %s", pol, i+1, got.decisions[i], exact.decisions[i])
			}
		}
	}
}
