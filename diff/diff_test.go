package diff

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mfapolicy/mfapolicy/simulate"
	"github.com/mfapolicy/mfapolicy/simulate/input"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// testTimeout is the time limit of one login in tests: generous, so that a
// loaded machine does not turn decisions into time-outs and goldens stay
// byte-identical.
const testTimeout = time.Minute

const basePolicy = `name: p
rules:
  - id: sanctioned
    when: event.request.geoip.countryCode in ['KP']
    then: deny
    reason: no
  - id: admins
    when: "'admin' in event.authorization.roles"
    then: challenge
    factors: [webauthn-roaming, otp]
  - id: abroad
    when: "!(event.request.geoip.countryCode in ['US'])"
    then: challenge
    factors: [otp]
default: allow
`

// events writes n logins cycling through countries and roles; every
// user has all factors enrolled.
func events(n int) string {
	countries := []string{"US", "FR", "KP", "US", "BR"}
	var b strings.Builder
	for i := 0; i < n; i++ {
		roles := "[]"
		if i%7 == 0 {
			roles = `["admin"]`
		}
		fmt.Fprintf(&b, `{"user":{"user_id":"u%d","enrolledFactors":[{"type":"otp"},{"type":"webauthn-roaming"},{"type":"phone"}]},"request":{"ip":"198.51.100.%d","geoip":{"countryCode":%q}},"authorization":{"roles":%s},"client":{"name":"App%d"}}`+"\n",
			i, i%250, countries[i%len(countries)], roles, i%3)
	}
	return b.String()
}

func side(t *testing.T, name, text string) *Side {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := LoadSide(context.Background(), path, "")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func run(t *testing.T, base, head string, in string, failOn string) *Report {
	t.Helper()
	rep, err := Run(context.Background(), side(t, "base.yaml", base), side(t, "head.yaml", head), Options{
		Inputs: []input.Input{input.ReaderInput("events.ndjson", strings.NewReader(in))},
		FailOn: failOn, MaxChange: -1, Timeout: testTimeout,
	})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func kinds(r *Report) string { return kindsLine(r.ByKind) }

func TestIdenticalPolicies(t *testing.T) {
	rep := run(t, basePolicy, basePolicy, events(500), "any")
	if rep.Changed != 0 || !rep.Verdict.Pass || len(rep.Transitions) != 0 || rep.Replayed != 500 {
		t.Fatalf("changed %d verdict %+v", rep.Changed, rep.Verdict)
	}
	for _, c := range rep.Matrix {
		if c.From != c.To || c.Changed != 0 {
			t.Errorf("off-diagonal cell %+v", c)
		}
	}
}

// Denying Brazil and asking admins for WebAuthn only tightens: the check
// passes with --fail-on weakened and fails with --fail-on any.
func TestOnlyTightens(t *testing.T) {
	head := strings.Replace(basePolicy, "in ['KP']", "in ['KP', 'BR']", 1)
	head = strings.Replace(head, "factors: [webauthn-roaming, otp]", "factors: [webauthn-roaming]", 1)
	rep := run(t, basePolicy, head, events(1000), "weakened")
	if !rep.Verdict.Pass || rep.Changed == 0 || kinds(rep) != fmt.Sprintf("%d tightened", rep.Changed) {
		t.Fatalf("verdict %+v kinds %s", rep.Verdict, kinds(rep))
	}
	rep.Judge("any", -1)
	if rep.Verdict.Pass {
		t.Error("--fail-on any passed a change")
	}
	rep.Judge("none", 1)
	if rep.Verdict.Pass || !strings.Contains(rep.Verdict.Reasons[0], "more than --max-change 1%") {
		t.Errorf("--max-change 1: %+v", rep.Verdict)
	}
}

// One user let through among thousands fails the check and is shown.
func TestOneWeakenedAmongThousands(t *testing.T) {
	head := strings.Replace(basePolicy, "rules:\n", "rules:\n  - id: vip\n    when: event.user.user_id == 'u1236'\n    then: allow\n", 1)
	rep := run(t, basePolicy, head, events(3000), "weakened")
	if rep.Changed != 1 || rep.Verdict.Pass || kinds(rep) != "1 weakened" {
		t.Fatalf("changed %d verdict %+v", rep.Changed, rep.Verdict)
	}
	tr := rep.Transitions[0]
	if tr.From != simulate.Challenge || tr.To != simulate.Allow || len(tr.Examples) != 1 || tr.Examples[0].Line != 1237 ||
		tr.Examples[0].User != "u1236" || tr.Rules[0] != (RulePair{"abroad", "vip", 1}) {
		t.Fatalf("transition %+v", tr)
	}
	if rep.Rules[0].Rule != "vip" || rep.Rules[0].Line != 3 {
		t.Errorf("rules %+v", rep.Rules)
	}
	var md bytes.Buffer
	if err := RenderMarkdown(&md, rep.Redact([]byte("k"))); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(md.String(), "u1236") || strings.Contains(md.String(), "198.51.100.") && !strings.Contains(md.String(), "198.51.100.0/24") {
		t.Error("the Markdown report shows raw user data")
	}
	if !strings.Contains(md.String(), PseudonymizeUser([]byte("k"), "u1236")) || !strings.Contains(md.String(), "`events.ndjson:1237`") {
		t.Errorf("the Markdown report does not show the event:\n%s", md.String())
	}
}

// Moving the admin rule above the sanctioned one lets admins from KP
// through with a challenge.
func TestReorderChangesDecisions(t *testing.T) {
	head := `name: p
rules:
  - id: admins
    when: "'admin' in event.authorization.roles"
    then: challenge
    factors: [webauthn-roaming, otp]
  - id: sanctioned
    when: event.request.geoip.countryCode in ['KP']
    then: deny
    reason: no
  - id: abroad
    when: "!(event.request.geoip.countryCode in ['US'])"
    then: challenge
    factors: [otp]
default: allow
`
	rep := run(t, basePolicy, head, events(700), "weakened")
	if rep.Verdict.Pass || len(rep.Transitions) != 1 {
		t.Fatalf("verdict %+v transitions %+v", rep.Verdict, rep.Transitions)
	}
	tr := rep.Transitions[0]
	// KP is every 5th login, admins every 7th: 20 of 700.
	if tr.From != simulate.Deny || tr.To != simulate.Challenge || tr.Kind != Weakened || tr.Count != 20 ||
		tr.Rules[0] != (RulePair{"sanctioned", "admins", 20}) {
		t.Fatalf("transition %+v", tr)
	}
	if rep.Users.Relieved != 20 || rep.Users.Affected != 20 {
		t.Errorf("users %+v", rep.Users)
	}
}

func TestGitBase(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	dir := t.TempDir()
	gitRun := func(args ...string) {
		cmd := exec.Command("git", append([]string{"-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"}, args...)...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	gitRun("init", "-q")
	path := filepath.Join(dir, "policy.yaml")
	os.WriteFile(path, []byte(basePolicy), 0o644)
	gitRun("add", "policy.yaml")
	gitRun("commit", "-q", "-m", "base")
	os.WriteFile(path, []byte(strings.Replace(basePolicy, "in ['KP']", "in ['KP', 'FR']", 1)), 0o644)

	base, err := LoadSide(context.Background(), "git:HEAD:policy.yaml", dir)
	if err != nil {
		t.Fatal(err)
	}
	if base.File != "policy.yaml" || base.Name != "git:HEAD:policy.yaml" || len(base.Policy.Rules) != 3 {
		t.Fatalf("side %+v", base)
	}
	head, err := LoadSide(context.Background(), path, "")
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Run(context.Background(), base, head, Options{MaxChange: -1, Timeout: testTimeout,
		Inputs: []input.Input{input.ReaderInput("e", strings.NewReader(events(100)))}})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Changed != 20 || kinds(rep) != "20 tightened" {
		t.Errorf("changed %d: %s", rep.Changed, kinds(rep))
	}
	if _, err := LoadSide(context.Background(), "git:nosuchref:policy.yaml", dir); err == nil || !strings.Contains(err.Error(), "git show nosuchref:policy.yaml failed") {
		t.Errorf("bad ref: %v", err)
	}
	if _, err := LoadSide(context.Background(), "git:policy.yaml", dir); err == nil || !strings.Contains(err.Error(), "git:REF:PATH") {
		t.Errorf("no ref: %v", err)
	}
}

func TestClassify(t *testing.T) {
	d := func(o simulate.Outcome, fs ...string) *simulate.Decision {
		return &simulate.Decision{Outcome: o, Factors: fs}
	}
	for _, tc := range []struct {
		base, head *simulate.Decision
		want       Kind
	}{
		{d(simulate.Deny), d(simulate.Challenge, "otp"), Weakened},
		{d(simulate.Challenge, "otp"), d(simulate.Enroll, "otp"), Weakened},
		{d(simulate.Enroll, "otp"), d(simulate.Allow), Weakened},
		{d(simulate.Challenge, "webauthn-platform"), d(simulate.Challenge, "webauthn-platform", "otp"), Weakened},
		{d(simulate.Challenge, "otp"), d(simulate.Challenge, "phone"), Weakened},
		{d(simulate.Challenge, "phone"), d(simulate.Challenge, "recovery-code"), Weakened},
		{d(simulate.Challenge, "otp"), d(simulate.Challenge, "webauthn-roaming"), Tightened},
		{d(simulate.Challenge, "otp", "phone"), d(simulate.Challenge, "otp"), Tightened},
		{d(simulate.Allow), d(simulate.Enroll, "otp"), Tightened},
		{d(simulate.Challenge, "otp"), d(simulate.Challenge, "push-notification"), Lateral},
		{d(simulate.Challenge, "otp"), d(simulate.Fail), LockedOut},
		{d(simulate.Allow), d(simulate.Error), LockedOut},
		{d(simulate.Fail), d(simulate.Challenge, "otp"), Restored},
		{d(simulate.Fail), d(simulate.Allow), Weakened},
		{d(simulate.Fail), d(simulate.Deny), Lateral},
		{&simulate.Decision{Outcome: simulate.Deny, Reason: "a"}, &simulate.Decision{Outcome: simulate.Deny, Reason: "b"}, Lateral},
	} {
		if !Changed(tc.base, tc.head) {
			t.Errorf("%v → %v: not changed", tc.base, tc.head)
		}
		if got := Classify(tc.base, tc.head); got != tc.want {
			t.Errorf("%s %v → %s %v: %s, want %s", tc.base.Outcome, tc.base.Factors, tc.head.Outcome, tc.head.Factors, got, tc.want)
		}
	}
	if Changed(d(simulate.Challenge, "otp", "phone"), d(simulate.Challenge, "phone", "otp")) {
		t.Error("a reordered factor list counts as a change")
	}
}

func TestRedaction(t *testing.T) {
	for in, want := range map[string]string{
		"203.0.113.77": "203.0.113.0/24", "2001:db8:1:2::3": "2001:db8:1::/48", "::ffff:10.1.2.3": "10.1.2.0/24", "x": "(not an IP)", "": "",
	} {
		if got := TruncateIP(in); got != want {
			t.Errorf("TruncateIP(%q) = %q, want %q", in, got, want)
		}
	}
	a, b := PseudonymizeUser([]byte("k1"), "auth0|1"), PseudonymizeUser([]byte("k2"), "auth0|1")
	if a == b || a != PseudonymizeUser([]byte("k1"), "auth0|1") || len(a) != 14 {
		t.Errorf("pseudonyms %q %q", a, b)
	}
}

// The Markdown report of the example policy and its next version on the
// example corpus, with a fixed pseudonym key; -update rewrites it.
func TestGoldenExampleReport(t *testing.T) {
	ctx := context.Background()
	base, err := LoadSide(ctx, "../examples/policy.yaml", "")
	if err != nil {
		t.Fatal(err)
	}
	head, err := LoadSide(ctx, "../examples/policy-v2.yaml", "")
	if err != nil {
		t.Fatal(err)
	}
	base.Name, base.File = "examples/policy.yaml", "examples/policy.yaml"
	head.Name, head.File = "examples/policy-v2.yaml", "examples/policy-v2.yaml"
	f, err := os.Open("../examples/events.ndjson")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rep, err := Run(ctx, base, head, Options{MaxChange: -1, Timeout: testTimeout,
		Inputs: []input.Input{input.ReaderInput("examples/events.ndjson", f)}})
	if err != nil {
		t.Fatal(err)
	}
	var md, gh bytes.Buffer
	if err := RenderMarkdown(&md, rep.Redact([]byte("golden"))); err != nil {
		t.Fatal(err)
	}
	if err := RenderGitHub(&gh, rep.Redact([]byte("golden"))); err != nil {
		t.Fatal(err)
	}
	golden(t, "testdata/example.md", md.Bytes())
	golden(t, "testdata/example.github.txt", gh.Bytes())
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		old, _ := os.ReadFile(path)
		if !bytes.Equal(old, got) {
			t.Logf("updated %s", path)
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if !bytes.Equal(want, got) {
		t.Errorf("%s differs from the output (go test ./diff -update to accept):\n%s", path, got)
	}
}
