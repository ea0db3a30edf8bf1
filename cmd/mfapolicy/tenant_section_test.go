package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/mfapolicy/mfapolicy/diff"
	"github.com/mfapolicy/mfapolicy/internal/mdtext"
)

// exampleSection is the tenant: section the tests add to
// examples/policy-v2.yaml, whose rule abroad offers phone to travellers
// (examples/policy.yaml offers phone nowhere, so turning it off there
// changes nothing).
const exampleSection = "\ntenant:\n  factors: [otp, push-notification, webauthn-platform, webauthn-roaming, email, phone]\n  mfa_policy: never\n"

// tenantPolicies writes the example policy with the section and the copy
// edit makes of it, and returns their paths.
func tenantPolicies(t *testing.T, edit func(string) string) (string, string) {
	t.Helper()
	src, err := os.ReadFile("../../examples/policy-v2.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	base, head := filepath.Join(dir, "policy.yaml"), filepath.Join(dir, "head.yaml")
	text := string(src) + exampleSection
	changed := edit(text)
	if changed == text {
		t.Fatal("the edit changes nothing")
	}
	for path, s := range map[string]string{base: text, head: changed} {
		if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return base, head
}

func diffJSON(t *testing.T, args ...string) (*diff.Report, int, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(append([]string{"diff", "--events", "../../examples/events.ndjson", "--format", "json"}, args...), &streams{Out: &out, Err: &errOut})
	var rep diff.Report
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("exit %d, %v: %s\n%s", code, err, errOut.String(), out.String())
	}
	return &rep, code, errOut.String()
}

// Turning phone off in the tenant: section alone locks out the logins
// whose only usable factor was phone; diff reports them per factor and per
// application, attributes every change to the factors, and fails under
// --fail-on weakened. The lockouts are counted independently from the
// base's own decisions: a challenge offering phone alone.
func TestDiffTenantFactorTurnedOff(t *testing.T) {
	base, head := tenantPolicies(t, func(s string) string {
		return strings.Replace(s, "webauthn-roaming, email, phone]", "webauthn-roaming, email]", 1)
	})
	rep, code, stderr := diffJSON(t, base, head, "--fail-on", "weakened")
	if code != exitFinding {
		t.Fatalf("exit %d, want %d: %s", code, exitFinding, stderr)
	}
	tc := rep.Tenant
	if tc == nil {
		t.Fatal("no tenant part in the report")
	}
	if !slices.Equal(tc.TurnedOff, []string{"phone"}) || len(tc.TurnedOn) != 0 {
		t.Errorf("turned off %v, on %v", tc.TurnedOff, tc.TurnedOn)
	}
	want := phoneOnlyChallenges(t, base)
	if want == 0 {
		t.Fatal("the example events have no login challenged with phone alone")
	}
	if len(tc.LockedOut) != 1 || tc.LockedOut[0].Factor != "phone" || tc.LockedOut[0].Logins != want {
		t.Fatalf("locked out %+v, want %d logins under phone", tc.LockedOut, want)
	}
	l := tc.LockedOut[0]
	var byApp, users int64
	for _, a := range l.Applications {
		byApp += a.Changed
		users += a.LockedOut
		if a.Total < a.LockedOut || a.Name == "" {
			t.Errorf("application %+v", a)
		}
	}
	if byApp != l.Logins || len(l.Applications) < 2 || l.Users == 0 || users < l.Users {
		t.Errorf("per application %d logins %d users, in all %d logins %d users: %+v", byApp, users, l.Logins, l.Users, l.Applications)
	}
	if rep.Users.LockedOut != l.Users {
		t.Errorf("users locked out: report %d, by factor %d", rep.Users.LockedOut, l.Users)
	}
	for _, c := range tc.ByCause {
		if (c.Name == "factors") != (c.Count == rep.Changed) || (c.Name != "factors" && c.Count != 0) {
			t.Errorf("by cause %+v of %d changed", tc.ByCause, rep.Changed)
		}
	}
	if len(rep.Rules) != 0 {
		t.Errorf("a change of the tenant alone is put on rules: %+v", rep.Rules)
	}
	if rep.Verdict.Pass || !strings.Contains(strings.Join(rep.Verdict.Reasons, ";"), "because factors were turned off") {
		t.Errorf("verdict %+v", rep.Verdict)
	}

	// The decision classes and the derivation cache give what every
	// login run in goja gives.
	exact, _, _ := diffJSON(t, base, head, "--exact")
	rep.Replay, exact.Replay = diff.ReplayStats{}, diff.ReplayStats{}
	a, _ := json.Marshal(rep)
	b, _ := json.Marshal(exact)
	if !bytes.Equal(a, b) {
		t.Errorf("by class and --exact differ:\n%s\n%s", a, b)
	}

	// Markdown, as a pull request shows it: the lockouts per application,
	// pseudonymised.
	var md, errOut bytes.Buffer
	run([]string{"diff", "--events", "../../examples/events.ndjson", "--format", "markdown", base, head}, &streams{Out: &md, Err: &errOut})
	if !strings.Contains(md.String(), "### Locked out by factors turned off") || !strings.Contains(md.String(), "| `phone` | Customer Portal |") {
		t.Errorf("markdown:\n%s", md.String())
	}
	if strings.Contains(md.String(), "auth0|") || len(mdtext.Mentions(mdtext.StripCode(md.String()))) > 0 {
		t.Errorf("markdown shows a user id or a mention:\n%s", md.String())
	}
}

// phoneOnlyChallenges counts the logins the policy challenges with phone
// alone, from its own simulation.
func phoneOnlyChallenges(t *testing.T, policy string) int64 {
	t.Helper()
	out := filepath.Join(t.TempDir(), "d.ndjson")
	var stdout, errOut bytes.Buffer
	if code := run([]string{"simulate", policy, "--events", "../../examples/events.ndjson", "--out", out}, &streams{Out: &stdout, Err: &errOut}); code != 0 {
		t.Fatalf("simulate: exit %d: %s", code, errOut.String())
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var n int64
	for _, line := range bytes.Split(bytes.TrimSpace(data), []byte("\n")) {
		var d struct {
			Outcome string   `json:"outcome"`
			Factors []string `json:"factors"`
		}
		if err := json.Unmarshal(line, &d); err != nil {
			t.Fatal(err)
		}
		if d.Outcome == "challenge" && slices.Equal(d.Factors, []string{"phone"}) {
			n++
		}
	}
	return n
}

// Turning a factor on changes no decision of the example: the check
// passes, and the report says what the head turns on.
func TestDiffTenantFactorTurnedOn(t *testing.T) {
	base, head := tenantPolicies(t, func(s string) string {
		return strings.Replace(s, "webauthn-roaming, email, phone]", "webauthn-roaming, email, phone, recovery-code]", 1)
	})
	rep, code, stderr := diffJSON(t, base, head, "--fail-on", "weakened")
	if code != 0 {
		t.Fatalf("exit %d, want 0: %s", code, stderr)
	}
	if rep.Tenant == nil || !slices.Equal(rep.Tenant.TurnedOn, []string{"recovery-code"}) || rep.Changed != 0 {
		t.Errorf("tenant %+v, %d changed", rep.Tenant, rep.Changed)
	}
}

// Rules and the section changing together: each change is put on its
// cause. The head offers phone to the admins' rule too and turns off
// push-notification: the admins now offered phone changed by the rules,
// the travellers who used push by the factors.
func TestDiffTenantAndRules(t *testing.T) {
	base, head := tenantPolicies(t, func(s string) string {
		s = strings.Replace(s, "factors: [webauthn-platform, webauthn-roaming, otp]", "factors: [webauthn-platform, webauthn-roaming, otp, phone]", 1)
		return strings.Replace(s, "[otp, push-notification, webauthn-platform, webauthn-roaming, email, phone]", "[otp, webauthn-platform, webauthn-roaming, email, phone]", 1)
	})
	rep, _, stderr := diffJSON(t, base, head, "--fail-on", "none")
	if rep.Tenant == nil {
		t.Fatalf("no tenant part: %s", stderr)
	}
	causes := map[string]int64{}
	for _, c := range rep.Tenant.ByCause {
		causes[c.Name] = c.Count
	}
	if causes["rules"] == 0 || causes["factors"] == 0 || causes["mfa-policy"] != 0 {
		t.Errorf("by cause %+v", rep.Tenant.ByCause)
	}
	var ruled int64
	for _, ri := range rep.Rules {
		ruled += ri.Changed
	}
	if ruled != causes["rules"] {
		t.Errorf("rules behind the changes count %d, the rules cause %d", ruled, causes["rules"])
	}
	for _, tr := range rep.Transitions {
		for _, ex := range tr.Examples {
			if len(ex.Causes) == 0 {
				t.Errorf("example without causes: %+v", ex)
			}
		}
	}
}

// The MFA policy alone: all-applications challenges the logins the
// Action allows, and those changes are the MFA policy's.
func TestDiffTenantMFAPolicy(t *testing.T) {
	base, head := tenantPolicies(t, func(s string) string {
		return strings.Replace(s, "mfa_policy: never", "mfa_policy: all-applications", 1)
	})
	rep, _, stderr := diffJSON(t, base, head, "--fail-on", "none")
	if rep.Tenant == nil || rep.Tenant.Head.MFAPolicy != "all-applications" {
		t.Fatalf("tenant %+v: %s", rep.Tenant, stderr)
	}
	for _, c := range rep.Tenant.ByCause {
		if (c.Name == "mfa-policy") != (c.Count == rep.Changed && c.Count > 0) {
			t.Errorf("by cause %+v of %d changed", rep.Tenant.ByCause, rep.Changed)
		}
	}
}

// A pull request that introduces the section: the base has none (every
// factor, or --tenant), the head's section leaves phone out. The base's
// configuration is described as it was simulated, and --tenant's
// disagreements with the head's section are reported.
func TestDiffTenantSectionIntroduced(t *testing.T) {
	base, head := tenantPolicies(t, func(s string) string {
		return strings.Replace(s, "webauthn-roaming, email, phone]", "webauthn-roaming, email]", 1)
	})
	src, err := os.ReadFile("../../examples/policy-v2.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(base, src, 0o644); err != nil {
		t.Fatal(err)
	}
	rep, code, stderr := diffJSON(t, base, head)
	if code != exitFinding || rep.Tenant == nil {
		t.Fatalf("exit %d, tenant %+v: %s", code, rep.Tenant, stderr)
	}
	if !strings.HasPrefix(rep.Tenant.Base.From, "every factor") || !slices.Equal(rep.Tenant.TurnedOff, []string{"recovery-code", "phone"}) {
		t.Errorf("base %+v, turned off %v", rep.Tenant.Base, rep.Tenant.TurnedOff)
	}
	if len(rep.Tenant.LockedOut) == 0 || rep.Tenant.LockedOut[0].Factor != "phone" {
		t.Errorf("locked out %+v", rep.Tenant.LockedOut)
	}

	tenantFile := filepath.Join(t.TempDir(), "tenant.json")
	os.WriteFile(tenantFile, []byte(`{"factors":[{"name":"sms","enabled":true},{"name":"otp","enabled":true}],"policies":[]}`), 0o644)
	rep, _, stderr = diffJSON(t, base, head, "--tenant", tenantFile)
	want := "sms (phone in " + head + "): enabled in " + tenantFile + ", disabled by " + head
	if rep.Tenant == nil || !slices.Contains(rep.Tenant.Head.Differences, want) || len(rep.Tenant.Base.Differences) != 0 {
		t.Errorf("tenant %+v, want the head to differ by %q", rep.Tenant, want)
	}
	if !strings.Contains(stderr, "warning: tenant context differs, the policy wins: "+want) {
		t.Errorf("stderr: %s", stderr)
	}
	// The base runs under the file (sms and otp), the head under its
	// section.
	if !slices.Equal(rep.Tenant.Base.Factors, []string{"otp", "phone"}) || rep.Tenant.Base.From != tenantFile {
		t.Errorf("base %+v", rep.Tenant.Base)
	}
}
