package simulate

import (
	"fmt"
	"github.com/mfapolicy/mfapolicy/simulate/engine"
	"strings"
	"testing"

	"github.com/mfapolicy/mfapolicy/simulate/input"
)

// Pages the expectations below follow.
const (
	// pageAPI: challengeWith ignores unenrolled factors and fails the
	// login when none is usable; access.deny denies the login.
	pageAPI = "https://auth0.com/docs/customize/actions/explore-triggers/signup-and-login-triggers/login-trigger/post-login-api-object"
	// pageSel: customize MFA selection (none usable: mfar, the login fails).
	pageSel = "https://auth0.com/docs/secure/multi-factor-authentication/customize-mfa/customize-mfa-selection-universal-login"
	// pagePolicies: all-applications prompts every login,
	// confidence-score only low-confidence logins.
	pagePolicies = "https://auth0.com/docs/api/management/v2/guardian/put-policies"
	// pageEnable: with MFA required, users without a factor enroll.
	pageEnable = "https://auth0.com/docs/secure/multi-factor-authentication/enable-mfa"
	// pageCAMFA: low confidence means MFA; an unenrolled user verifies by
	// e-mail and skips enrollment; deny wins; MFA if either asks.
	pageCAMFA = "https://auth0.com/docs/secure/multi-factor-authentication/adaptive-mfa/customize-adaptive-mfa"
)

// TestTenantPolicyMatrix covers each tenant policy × an Action that
// allows, challenges (with otp) or denies × a user with no enrolment, with
// e-mail only, and with a usable factor (otp). The tenant enables otp,
// email and phone.
func TestTenantPolicyMatrix(t *testing.T) {
	enabled := []string{"otp", "email", "phone"}
	actions := map[string][]engine.Command{
		"allow":     nil,
		"challenge": {{Kind: engine.CmdChallenge, Method: "authentication.challengeWith", Factors: []string{"otp"}}},
		"deny":      {{Kind: engine.CmdDeny, Method: "access.deny", Reason: "blocked"}},
	}
	users := map[string][]string{"none": {}, "email": {"email"}, "otp": {"otp"}}
	type want struct {
		outcome  Outcome
		factors  string
		byPolicy bool
		page     string
	}
	cases := []struct {
		policy, confidence, action, user string
		want                             want
	}{
		// never: the Action alone decides.
		{PolicyNever, "low", "allow", "none", want{Allow, "", false, pagePolicies}},
		{PolicyNever, "low", "allow", "email", want{Allow, "", false, pagePolicies}},
		{PolicyNever, "low", "allow", "otp", want{Allow, "", false, pagePolicies}},
		{PolicyNever, "low", "challenge", "none", want{Fail, "", false, pageSel}},  // no usable factor: mfar
		{PolicyNever, "low", "challenge", "email", want{Fail, "", false, pageSel}}, // otp not enrolled: mfar
		{PolicyNever, "low", "challenge", "otp", want{Challenge, "otp", false, pageAPI}},
		{PolicyNever, "low", "deny", "none", want{Deny, "", false, pageAPI}},
		{PolicyNever, "low", "deny", "email", want{Deny, "", false, pageAPI}},
		{PolicyNever, "low", "deny", "otp", want{Deny, "", false, pageAPI}},

		// all-applications: MFA on every login.
		{PolicyAllApplications, "high", "allow", "none", want{Enroll, "otp,phone", true, pageEnable}}, // no factor: enroll (email cannot be enrolled)
		{PolicyAllApplications, "high", "allow", "email", want{Challenge, "email", true, pagePolicies}},
		{PolicyAllApplications, "high", "allow", "otp", want{Challenge, "otp", true, pagePolicies}},
		{PolicyAllApplications, "high", "challenge", "none", want{Fail, "", false, pageSel}}, // the Action's challenge decides, and fails
		{PolicyAllApplications, "high", "challenge", "email", want{Fail, "", false, pageSel}},
		{PolicyAllApplications, "high", "challenge", "otp", want{Challenge, "otp", false, pageCAMFA}}, // Action's MFA takes precedence
		{PolicyAllApplications, "high", "deny", "none", want{Deny, "", false, pageCAMFA}},             // deny wins
		{PolicyAllApplications, "high", "deny", "email", want{Deny, "", false, pageCAMFA}},
		{PolicyAllApplications, "high", "deny", "otp", want{Deny, "", false, pageCAMFA}},

		// confidence-score at low confidence: MFA required.
		{PolicyConfidenceScore, "low", "allow", "none", want{Challenge, "email", true, pageCAMFA}}, // e-mail verification, no enrollment
		{PolicyConfidenceScore, "low", "allow", "email", want{Challenge, "email", true, pageCAMFA}},
		{PolicyConfidenceScore, "low", "allow", "otp", want{Challenge, "otp", true, pageCAMFA}},
		{PolicyConfidenceScore, "low", "challenge", "none", want{Fail, "", false, pageSel}},
		{PolicyConfidenceScore, "low", "challenge", "email", want{Fail, "", false, pageSel}},
		{PolicyConfidenceScore, "low", "challenge", "otp", want{Challenge, "otp", false, pageCAMFA}},
		{PolicyConfidenceScore, "low", "deny", "none", want{Deny, "", false, pageCAMFA}},
		{PolicyConfidenceScore, "low", "deny", "email", want{Deny, "", false, pageCAMFA}},
		{PolicyConfidenceScore, "low", "deny", "otp", want{Deny, "", false, pageCAMFA}},

		// confidence-score at high confidence: no MFA from the policy.
		{PolicyConfidenceScore, "high", "allow", "none", want{Allow, "", false, pageCAMFA}},
		{PolicyConfidenceScore, "high", "allow", "email", want{Allow, "", false, pageCAMFA}},
		{PolicyConfidenceScore, "high", "allow", "otp", want{Allow, "", false, pageCAMFA}},
		{PolicyConfidenceScore, "high", "challenge", "none", want{Fail, "", false, pageSel}},
		{PolicyConfidenceScore, "high", "challenge", "email", want{Fail, "", false, pageSel}},
		{PolicyConfidenceScore, "high", "challenge", "otp", want{Challenge, "otp", false, pageAPI}},
		{PolicyConfidenceScore, "high", "deny", "none", want{Deny, "", false, pageCAMFA}},
		{PolicyConfidenceScore, "high", "deny", "email", want{Deny, "", false, pageCAMFA}},
		{PolicyConfidenceScore, "high", "deny", "otp", want{Deny, "", false, pageCAMFA}},
	}
	for _, c := range cases {
		name := fmt.Sprintf("%s/%s/%s/%s", c.policy, c.confidence, c.action, c.user)
		t.Run(name, func(t *testing.T) {
			u := userFactors{Enrolled: newFactorSet(users[c.user]), Enabled: newFactorSet(enabled), Policy: c.policy, Confidence: c.confidence}
			d := derive(actions[c.action], u)
			if d.Outcome != c.want.outcome || strings.Join(d.Factors, ",") != c.want.factors || d.ByPolicy != c.want.byPolicy {
				t.Errorf("got %s [%s] by policy %v, want %s [%s] by policy %v (per %s); notes %q",
					d.Outcome, strings.Join(d.Factors, ","), d.ByPolicy, c.want.outcome, c.want.factors, c.want.byPolicy, c.want.page, d.Notes)
			}
		})
	}
}

func TestTenantPolicyNotes(t *testing.T) {
	all := newFactorSet(AllFactors())
	u := userFactors{Enrolled: all, Enabled: all, Policy: PolicyAllApplications}
	// multifactor.enable('none') skips the policy (post-login trigger
	// page: 'none' skips MFA), with a note.
	d := derive([]engine.Command{{Kind: engine.CmdMFAEnable, Provider: "none"}}, u)
	if d.Outcome != Allow || !strings.Contains(strings.Join(d.Notes, "\n"), "would require MFA on every login; multifactor.enable('none') skips it") {
		t.Errorf("enable none: %s %q", d.Outcome, d.Notes)
	}
	d = derive([]engine.Command{{Kind: engine.CmdChallenge, Method: "authentication.challengeWith", Factors: []string{"phone"}}}, u)
	if !strings.Contains(strings.Join(d.Notes, "\n"), "as well; the Action's MFA request takes precedence") {
		t.Errorf("challenge: %q", d.Notes)
	}
	// No factor a user can enroll in: the login fails.
	u = userFactors{Enrolled: newFactorSet(nil), Enabled: newFactorSet([]string{"email"}), Policy: PolicyAllApplications}
	if d = derive(nil, u); d.Outcome != Fail {
		t.Errorf("nothing enrollable: %s", d.Outcome)
	}
}

// The tenant context through a whole run: the enabled factors replace
// EnabledFactors, users' enrolments come from the context by user_id,
// mfa_by names the rule or the tenant policy, and the summary states the
// policy, its reading and where the enrolments came from.
func TestRunWithTenant(t *testing.T) {
	code := `exports.decide = (event) => event.user.app_metadata.risky ? {outcome: 'challenge', rule: 'risky'} : {outcome: 'allow'};
exports.onExecutePostLogin = async (event, api) => {
  if (event.user.app_metadata.risky) api.authentication.challengeWith({type: 'push-notification'}, {additionalFactors: [{type: 'otp'}]});
};`
	in := strings.Join([]string{
		`{"user":{"user_id":"auth0|a","app_metadata":{}},"authentication":{"riskAssessment":{"confidence":"low"}}}`,
		`{"user":{"user_id":"auth0|b","app_metadata":{"risky":true}},"authentication":{"riskAssessment":{"confidence":"high"}}}`,
		`{"user":{"user_id":"auth0|zz","app_metadata":{}},"authentication":{"riskAssessment":{"confidence":"high"}}}`,
		`{"user":{"user_id":"auth0|b","app_metadata":{}}}`,
	}, "\n")
	var got []Decision
	sum, err := Run(t.Context(), Options{
		Code: []byte(code), Workers: 1, AssumeEnrolled: []string{},
		Inputs: []input.Input{input.ReaderInput("e.ndjson", strings.NewReader(in))},
		Tenant: &Tenant{Name: "tenant.json", Policy: PolicyConfidenceScore, Enabled: []string{"otp", "phone"},
			Users: map[string][]string{"auth0|a": {"phone"}, "auth0|b": {"otp", "push-notification"}}},
		OnDecision: func(d Decision) error { got = append(got, d); return nil },
	})
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, d := range got {
		lines = append(lines, fmt.Sprintf("%s [%s] by %s", d.Outcome, strings.Join(d.Factors, ","), d.MFABy))
	}
	want := []string{
		"challenge [phone] by tenant-policy", // low confidence, a's phone
		"challenge [otp] by risky",           // push is not enabled: otp only
		"allow [] by ",                       // high confidence
		"allow [] by ",                       // no confidence: not low
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("decisions\n got %q\nwant %q", lines, want)
	}
	assum := fmt.Sprint(sum.Assumptions)
	for _, s := range []string{
		"tenant MFA policy confidence-score (from tenant.json), read as: an Action's deny wins",
		"no event.user.enrolledFactors: enrolled factors from the tenant context's users (filled into the event) 3",
		"no event.user.enrolledFactors: user not in the tenant context: assumed enrolled in none (filled into the event) 1",
		"confidence-score: no risk confidence in the event; the policy is taken not to require MFA 1",
		"factors enabled on the tenant: otp,phone (from tenant.json) 4",
	} {
		if !strings.Contains(assum, s) {
			t.Errorf("assumptions lack %q:\n%s", s, assum)
		}
	}
}
