package policy_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/mfapolicy/mfapolicy/policy"
)

func TestTenantSection(t *testing.T) {
	doc := "name: x\ntenant:\n  factors: [otp, phone, webauthn-platform]\n  phone_message_types: [voice, sms]\n  mfa_policy: confidence-score\ndefault: allow\n"
	p, diags := policy.Parse("p.yaml", []byte(doc))
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	tc := p.Tenant
	if tc == nil {
		t.Fatal("no tenant section")
	}
	if !slices.Equal(tc.Factors, []string{"otp", "phone", "webauthn-platform"}) || !slices.Equal(tc.PhoneMessageTypes, []string{"voice", "sms"}) || tc.MFAPolicy != "confidence-score" {
		t.Errorf("got %+v", tc)
	}
	if !tc.Enabled("phone") || tc.Enabled("email") {
		t.Errorf("Enabled: phone %v, email %v", tc.Enabled("phone"), tc.Enabled("email"))
	}
	if pos := tc.FactorPos["phone"]; pos.Line != 3 || pos.Col != 18 {
		t.Errorf("phone is at %d:%d, want 3:18", pos.Line, pos.Col)
	}

	// Optional keys left out stay unset; an empty list disables all.
	p, diags = policy.Parse("p.yaml", []byte("name: x\ntenant:\n  factors: []\ndefault: allow\n"))
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	if p.Tenant.Factors == nil || len(p.Tenant.Factors) != 0 || p.Tenant.PhoneMessageTypes != nil || p.Tenant.MFAPolicy != "" {
		t.Errorf("got %+v", p.Tenant)
	}

	// No section: nil.
	p, _ = policy.Parse("p.yaml", []byte("name: x\ndefault: allow\n"))
	if p.Tenant != nil {
		t.Errorf("a policy without tenant: has %+v", p.Tenant)
	}
}

// TestTenantFactorLints: an action left with no enabled factor is an
// error at the factor, one left with some a warning; a bare challenge
// (any factor) is quiet while one factor is left; no section, no lint.
func TestTenantFactorLints(t *testing.T) {
	rule := "rules:\n  - id: r\n    when: \"true\"\n    then: challenge\n    factors: [otp, phone]\n"
	cases := []struct {
		name, section, want string
	}{
		{"all enabled", "tenant:\n  factors: [otp, phone]\n", ""},
		{"one disabled", "tenant:\n  factors: [otp]\n", "warning factor-disabled 6:20"},
		{"none left", "tenant:\n  factors: [email]\n", "error no-enabled-factor 6:15"},
		{"no section", "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, diags := policy.Parse("p.yaml", []byte("name: x\n"+rule+"default: challenge\n"+c.section))
			var got []string
			for _, d := range diags {
				if d.Code == "factor-disabled" || d.Code == "no-enabled-factor" {
					got = append(got, fmt.Sprintf("%s %s %d:%d", d.Severity, d.Code, d.Pos.Line, d.Pos.Col))
				}
			}
			if strings.Join(got, "; ") != c.want {
				t.Errorf("got %q, want %q\n%v", got, c.want, diags)
			}
		})
	}
}
