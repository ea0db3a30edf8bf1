package compile

import (
	"fmt"
	"path"
	"strings"

	"github.com/mfapolicy/mfapolicy/policy"
)

// This file writes a policy's `tenant:` section in the layouts of
// auth0-deploy-cli and of the Terraform provider. Every value comes from
// a fixed list checked by the policy loader, and still goes through the
// layout's one quoting path (marshal and keywordSafe for JSON, hclString
// for HCL).

// guardianFactors maps the factor names rules use onto the names of
// /api/v2/guardian/factors, which deploy-cli's files carry: the phone
// factor is "sms" there (GUARDIAN_FACTORS in deploy-cli's
// src/tools/constants.ts: sms, push-notification, otp, email, duo,
// webauthn-roaming, webauthn-platform, recovery-code). duo has no place
// in a tenant: section and is not written, so neither tool touches it.
var guardianFactors = []struct{ factor, guardian string }{
	{"otp", "otp"},
	{"email", "email"},
	{"webauthn-platform", "webauthn-platform"},
	{"webauthn-roaming", "webauthn-roaming"},
	{"recovery-code", "recovery-code"},
	{"phone", "sms"},
	{"push-notification", "push-notification"},
}

// deployCLIGuardian adds deploy-cli's directory-format Guardian files,
// as its handlers read them (src/context/directory/handlers/
// guardianFactors.ts, guardianPolicies.ts and
// guardianPhoneFactorMessageTypes.ts, with the shapes their schemas in
// src/tools/auth0/handlers/ check):
//   - guardian/factors/NAME.json: {"name": NAME, "enabled": bool}, one per
//     factor, every factor written so that the set is complete (deploy-cli
//     updates only the factors it is given);
//   - guardian/policies.json: {"policies": []} for never, or one of
//     all-applications, confidence-score; absent when mfa_policy is not
//     stated, and deploy-cli then leaves the policy alone;
//   - guardian/phoneFactorMessageTypes.json: {"message_types": [...]};
//     absent when phone_message_types is not stated.
func deployCLIGuardian(t *policy.TenantConfig, files map[string][]byte) error {
	if t == nil {
		return nil
	}
	add := func(rel string, v any) error {
		b, err := marshal(v)
		if err != nil {
			return err
		}
		files[rel] = keywordSafe(b, true)
		return nil
	}
	for _, f := range guardianFactors {
		if err := add(path.Join("guardian", "factors", f.guardian+".json"),
			map[string]any{"name": f.guardian, "enabled": t.Enabled(f.factor)}); err != nil {
			return err
		}
	}
	if t.MFAPolicy != "" {
		if err := add(path.Join("guardian", "policies.json"), map[string]any{"policies": policyList(t.MFAPolicy)}); err != nil {
			return err
		}
	}
	if t.PhoneMessageTypes != nil {
		return add(path.Join("guardian", "phoneFactorMessageTypes.json"), map[string]any{"message_types": t.PhoneMessageTypes})
	}
	return nil
}

// policyList is the body of PUT /api/v2/guardian/policies: never is [].
func policyList(p string) []string {
	if p == policy.TenantPolicyNever {
		return []string{}
	}
	return []string{p}
}

// terraformGuardian appends an auth0_guardian resource. Its keys are
// those of the auth0/auth0 provider's schema (docs/resources/guardian.md
// and internal/auth0/guardian in auth0/terraform-provider-auth0): policy
// (required: never, all-applications or confidence-score), the booleans
// email, otp and recovery_code, and the blocks webauthn_platform,
// webauthn_roaming, phone (with message_types) and push, each with its
// required `enabled`; a block's absence disables its factor, so a factor
// the section disables gets no block.
func terraformGuardian(b *strings.Builder, t *policy.TenantConfig) {
	if t == nil {
		return
	}
	b.WriteString("\n# The tenant's MFA configuration, from the policy's tenant: section.\n")
	b.WriteString("# Without a duo block the provider disables Duo if it is enabled.\n")
	b.WriteString("# Terraform applies this resource as one step: `mfapolicy deploy` orders\n")
	b.WriteString("# the factor changes around the Action instead.\n")
	policyExpr := "var.mfa_policy"
	if t.MFAPolicy != "" {
		policyExpr = hclString(t.MFAPolicy)
	}
	fmt.Fprintf(b, "resource \"auth0_guardian\" \"mfapolicy\" {\n")
	fmt.Fprintf(b, "  policy        = %s\n", policyExpr)
	fmt.Fprintf(b, "  email         = %t\n", t.Enabled("email"))
	fmt.Fprintf(b, "  otp           = %t\n", t.Enabled("otp"))
	fmt.Fprintf(b, "  recovery_code = %t\n", t.Enabled("recovery-code"))
	block := func(name string, lines ...string) {
		eq := "enabled ="
		if len(lines) > 0 {
			eq = "enabled       =" // aligned with message_types, as terraform fmt does
		}
		fmt.Fprintf(b, "\n  %s {\n    %s true\n", name, eq)
		for _, l := range lines {
			fmt.Fprintf(b, "    %s\n", l)
		}
		b.WriteString("  }\n")
	}
	if t.Enabled("webauthn-platform") {
		block("webauthn_platform")
	}
	if t.Enabled("webauthn-roaming") {
		block("webauthn_roaming")
	}
	if t.Enabled("phone") {
		if t.PhoneMessageTypes != nil {
			quoted := make([]string, len(t.PhoneMessageTypes))
			for i, m := range t.PhoneMessageTypes {
				quoted[i] = hclString(m)
			}
			block("phone", "message_types = ["+strings.Join(quoted, ", ")+"]")
		} else {
			block("phone", "# message_types: not stated by the policy file")
		}
	}
	if t.Enabled("push-notification") {
		block("push")
	}
	b.WriteString("}\n")
	if t.MFAPolicy == "" {
		b.WriteString(mfaPolicyVariable)
	}
}

// mfaPolicyVariable stands for the MFA policy when the section does not
// state it: the provider requires `policy`, and only the user knows the
// value to keep.
const mfaPolicyVariable = `
# The policy file leaves the MFA policy as it is on the tenant, but the
# provider requires one: give the live value (mfapolicy tenant pull
# --section prints it).
variable "mfa_policy" {
  type        = string
  description = "The tenant's MFA policy: never, all-applications or confidence-score."

  validation {
    condition     = contains(["never", "all-applications", "confidence-score"], var.mfa_policy)
    error_message = "The MFA policy is never, all-applications or confidence-score."
  }
}
`
