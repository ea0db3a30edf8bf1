package tenant

import (
	"strings"
	"testing"

	"github.com/mfapolicy/mfapolicy/policy"
)

func TestLint(t *testing.T) {
	p, diags := policy.Parse("p.yaml", []byte(`name: a
rules:
  - id: abroad
    when: "!(event.request.geoip.countryCode in ['US'])"
    then: challenge
    factors: [push-notification, otp]
  - id: keys
    when: "'admin' in event.authorization.roles"
    then: enroll
    factors: [webauthn-roaming]
  - id: office
    when: "event.request.ip == '10.0.0.1'"
    then: allow
default: allow
`))
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	f, err := Parse("t.json", []byte(`{"factors":[{"name":"otp","enabled":true}],"policies":["all-applications"]}`))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range Lint(p, f) {
		got = append(got, d.Pos.String()+" "+d.Code+" "+d.Message)
	}
	want := []string{
		`p.yaml:5:11 factor-not-enabled rule "abroad" challenges with push-notification, not enabled on the tenant (t.json): Auth0 ignores them`,
		`p.yaml:9:11 factor-not-enabled rule "keys" enrolls with webauthn-roaming, none of which is enabled on the tenant (t.json): Auth0 fails every login it decides`,
		`p.yaml:13:11 tenant-policy-overrides rule "office" allows, but the tenant's MFA policy all-applications (t.json) still requires MFA on those logins`,
		`p.yaml:14:10 tenant-policy-overrides the default allows, but the tenant's MFA policy all-applications (t.json) still requires MFA on those logins`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("lint\n got %s\nwant %s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// A policy with a tenant: section is checked against the section by the
// policy package: the file's factors are not linted again, and the
// section's mfa_policy replaces the file's.
func TestLintDefersToSection(t *testing.T) {
	src := `name: a
rules:
  - id: abroad
    when: "!(event.request.geoip.countryCode in ['US'])"
    then: challenge
    factors: [push-notification, otp]
  - id: office
    when: "event.request.ip == '10.0.0.1'"
    then: allow
default: allow
tenant:
  factors: [otp]
`
	f, err := Parse("t.json", []byte(`{"factors":[{"name":"otp","enabled":true}],"policies":["all-applications"]}`))
	if err != nil {
		t.Fatal(err)
	}
	lint := func(doc string) []string {
		p, diags := policy.Parse("p.yaml", []byte(doc))
		if diags.HasErrors() {
			t.Fatal(diags)
		}
		var got []string
		for _, d := range Lint(p, f) {
			got = append(got, d.Pos.String()+" "+d.Code+" "+strings.SplitN(d.Message, ",", 2)[0])
		}
		return got
	}
	// The section leaves mfa_policy out: the file's all-applications holds.
	want := []string{
		`p.yaml:9:11 tenant-policy-overrides rule "office" allows`,
		`p.yaml:10:10 tenant-policy-overrides the default allows`,
	}
	if got := lint(src); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("section without mfa_policy\n got %s\nwant %s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// The section's confidence-score replaces it.
	if got := lint(src + "  mfa_policy: confidence-score\n"); len(got) != 0 {
		t.Errorf("section with confidence-score: %s", strings.Join(got, "\n"))
	}
}
