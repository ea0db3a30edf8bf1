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
