package policy

import (
	"reflect"
	"strings"
	"testing"
)

const decisionPolicy = `name: decisions
%s
rules:
  - id: sanctioned
    when: event.request.geoip.countryCode in ['KP', 'IR']
    then: deny
    reason: Sign-in from this region is not permitted
  - id: vip
    when: event.user.app_metadata.vip == true
    then: allow
  - id: low-confidence
    when: event.authentication.riskAssessment.confidence == 'low'
    then: challenge
    factors: [webauthn-platform, otp]
  - id: new-user
    when: event.stats.logins_count <= 1
    then: enroll
    factors: [otp, push-notification]
default: %s
`

func mustParse(t *testing.T, src string) *Policy {
	t.Helper()
	p, diags := Parse("decisions.yaml", []byte(src))
	if diags.HasErrors() {
		var b strings.Builder
		diags.Print(&b, 0)
		t.Fatalf("policy does not check:\n%s", b.String())
	}
	return p
}

func TestEvaluateDecisions(t *testing.T) {
	policy := func(onError, def string) string {
		return strings.Replace(strings.Replace(decisionPolicy, "%s", onError, 1), "%s", def, 1)
	}
	tests := []struct {
		name    string
		onError string
		def     string
		event   string
		want    Decision
	}{
		{name: "first matching rule decides, in order",
			event: `{"request": {"geoip": {"countryCode": "KP"}}, "authentication": {"riskAssessment": {"confidence": "low"}}}`,
			want:  Decision{Rule: "sanctioned", Outcome: Deny, Reason: "Sign-in from this region is not permitted"}},
		{name: "a later rule when earlier ones do not match",
			event: `{"user": {"app_metadata": {"vip": false}}, "authentication": {"riskAssessment": {"confidence": "low"}}, "stats": {"logins_count": 1}}`,
			want:  Decision{Rule: "low-confidence", Outcome: Challenge, Factors: []string{"webauthn-platform", "otp"}}},
		{name: "enroll",
			event: `{"user": {"app_metadata": {"vip": false}}, "stats": {"logins_count": 1}}`,
			want:  Decision{Rule: "new-user", Outcome: Enroll, Factors: []string{"otp", "push-notification"}}},
		{name: "default when nothing matches", def: "allow",
			event: `{"user": {"app_metadata": {"vip": false}}, "stats": {"logins_count": 7}}`,
			want:  Decision{Outcome: Allow}},
		{name: "bare challenge default offers every usable factor", def: "challenge",
			event: `{"user": {"app_metadata": {"vip": false}}, "stats": {"logins_count": 7}}`,
			want:  Decision{Outcome: Challenge, Factors: DefaultChallengeFactors}},
		{name: "bare enroll default", def: "enroll",
			event: `{"user": {"app_metadata": {"vip": false}}, "stats": {"logins_count": 7}}`,
			want:  Decision{Outcome: Enroll, Factors: DefaultEnrollFactors}},
		{name: "mapping default", def: "{then: deny, reason: Closed}",
			event: `{"user": {"app_metadata": {"vip": false}}, "stats": {"logins_count": 7}}`,
			want:  Decision{Outcome: Deny, Reason: "Closed"}},
		{name: "an erroring rule stops evaluation; on_error defaults to challenge",
			event: `{"user": {"app_metadata": {}}, "stats": {"logins_count": 1}}`,
			want: Decision{Rule: "vip", Outcome: Challenge, Factors: DefaultChallengeFactors,
				Error: "no such key: vip"}},
		{name: "bare on_error deny", onError: "on_error: deny",
			event: `{"user": {"app_metadata": {}}}`,
			want:  Decision{Rule: "vip", Outcome: Deny, Reason: DefaultDenyReason, Error: "no such key: vip"}},
		{name: "bare on_error allow", onError: "on_error: allow",
			event: `{"user": {"app_metadata": {}}}`,
			want:  Decision{Rule: "vip", Outcome: Allow, Error: "no such key: vip"}},
		{name: "mapping on_error", onError: "on_error: {then: challenge, factors: [otp]}",
			event: `{"user": {"app_metadata": {}}}`,
			want:  Decision{Rule: "vip", Outcome: Challenge, Factors: []string{"otp"}, Error: "no such key: vip"}},
		{name: "a wrong JSON type is an error of the rule that reads it", onError: "on_error: deny",
			event: `{"request": {"geoip": {"countryCode": 49}}}`,
			want: Decision{Rule: "sanctioned", Outcome: Deny, Reason: DefaultDenyReason,
				Error: "event.request.geoip.countryCode: expected a string, got a number"}},
		{name: "an event that is not an object", onError: "on_error: deny",
			event: `[]`,
			want: Decision{Rule: "sanctioned", Outcome: Deny, Reason: DefaultDenyReason,
				Error: "event: expected an object, got an array"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			def := tt.def
			if def == "" {
				def = "allow"
			}
			p := mustParse(t, policy(tt.onError, def))
			got := p.Evaluate(decodeEvent(t, tt.event))
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("event %s\n got  %+v\n want %+v", tt.event, got, tt.want)
			}
		})
	}
}

// TestEvaluateNull checks that a nil event (JSON null) reads as an empty
// object: every field absent.
func TestEvaluateNull(t *testing.T) {
	p := mustParse(t, strings.Replace(strings.Replace(decisionPolicy, "%s", "", 1), "%s", "allow", 1))
	got := p.Evaluate(nil)
	want := Decision{Rule: "vip", Outcome: Challenge, Factors: DefaultChallengeFactors, Error: "no such key: vip"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
}
