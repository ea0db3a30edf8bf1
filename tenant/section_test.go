package tenant_test

import (
	"strings"
	"testing"

	"github.com/mfapolicy/mfapolicy/policy"
	"github.com/mfapolicy/mfapolicy/tenant"
)

func TestSectionRoundTrips(t *testing.T) {
	for _, tc := range []struct {
		name string
		f    tenant.File
		want string
	}{
		{
			name: "phone off leaves the message types out",
			f: tenant.File{
				Domain:            "example.eu.auth0.com",
				Factors:           []tenant.Factor{{Name: "sms"}, {Name: "otp", Enabled: true}, {Name: "webauthn-roaming", Enabled: true}},
				Policies:          &[]string{},
				PhoneMessageTypes: []string{"sms"},
			},
			want: "tenant:\n  factors:\n    - otp\n    - webauthn-roaming\n  mfa_policy: never\n",
		},
		{
			name: "no factor at all",
			f:    tenant.File{Domain: "example.eu.auth0.com", Factors: []tenant.Factor{{Name: "sms"}}, Policies: &[]string{"all-applications"}},
			want: "tenant:\n  factors: []\n  mfa_policy: all-applications\n",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := tenant.SectionOf(&tc.f, "mfapolicy tenant pull --section")
			if !strings.HasSuffix(string(b), tc.want) {
				t.Errorf("section:\n%s\nwant it to end with:\n%s", b, tc.want)
			}
			src := "name: x\nruntime: node22\non_error: deny\nrules:\n  - id: r\n    when: 'true'\n    then: allow\ndefault: allow\n" + string(b)
			p, diags := policy.Parse("policy.yaml", []byte(src))
			if diags.HasErrors() {
				t.Fatalf("the section does not load: %v\n%s", diags.Errors(), src)
			}
			got := tenant.ConfigOf(p.Tenant)
			if want := tc.f.Config(); strings.Join(got.Factors, ",") != strings.Join(want.Factors, ",") || got.MFAPolicy != want.MFAPolicy {
				t.Errorf("loaded %+v, want %+v", got, want)
			}
		})
	}
}

// A domain is printed in a comment only: no line break in it can start
// YAML of its own.
func TestSectionCommentCannotInject(t *testing.T) {
	f := &tenant.File{Domain: "evil.example\ntenant:\n  factors: [email]\r\u2028x", Factors: []tenant.Factor{{Name: "otp", Enabled: true}}}
	b := string(tenant.SectionOf(f, "by"))
	for _, line := range strings.Split(strings.TrimSuffix(b, "\n"), "\n") {
		if !strings.HasPrefix(line, "#") && !strings.HasPrefix(line, "tenant:") && !strings.HasPrefix(line, "  ") {
			t.Errorf("line %q escaped the comment:\n%s", line, b)
		}
	}
	if strings.Count(b, "tenant:\n") != 1 || strings.Contains(b, "- email") {
		t.Errorf("the domain injected YAML:\n%s", b)
	}
}
