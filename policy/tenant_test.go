package policy_test

import (
	"slices"
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
