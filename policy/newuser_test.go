package policy

import (
	"strings"
	"testing"
)

// starter is the example policy of the design document, as a new user
// copies it.
const starter = `name: adaptive-mfa
runtime: node22
on_error: challenge
lists:
  home_countries: [US, CA]
rules:
  - id: sanctioned
    when: event.request.geoip.countryCode in ['KP', 'IR']
    then: deny
    reason: Sign-in from this region is not permitted
  - id: low-confidence
    when: event.authentication.riskAssessment.confidence == 'low'
    then: challenge
    factors: [webauthn-platform, otp]
  - id: abroad
    when: "!(event.request.geoip.countryCode in lists.home_countries)"
    then: challenge
    factors: [otp, push-notification]
default: allow
`

// TestNewUserMistakes edits the starter policy the way a new user gets it
// wrong and checks that each message says what is wrong and where.
func TestNewUserMistakes(t *testing.T) {
	if out := check(t, starter); out != "" {
		t.Fatalf("the starter policy should be clean, got:\n%s", out)
	}
	tests := []struct {
		name     string
		old, new string
		want     string
	}{
		{
			name: "typo in a field name",
			old:  "riskAssessment.confidence", new: "riskAssesment.confidence",
			want: `policy.yaml:12:32: error: rule "low-confidence": unknown field "riskAssesment" [unknown-field]
 12 |     when: event.authentication.riskAssesment.confidence == 'low'
    |                                ^
  hint: did you mean "riskAssessment"?
`,
		},
		{
			name: "UK instead of GB",
			old:  "[US, CA]", new: "[US, CA, UK]",
			want: `policy.yaml:5:28: error: list "home_countries" (used by rule "abroad"): "UK" is not an ISO 3166-1 alpha-2 country code [invalid-country]
 5 |   home_countries: [US, CA, UK]
   |                            ^
  hint: use GB (ISO 3166-1 alpha-2)
`,
		},
		{
			name: "UK in a condition",
			old:  "in ['KP', 'IR']", new: "in ['KP', 'IR', 'UK']",
			want: `policy.yaml:8:59: error: rule "sanctioned": "UK" is not an ISO 3166-1 alpha-2 country code [invalid-country]
 8 |     when: event.request.geoip.countryCode in ['KP', 'IR', 'UK']
   |                                                           ^
  hint: use GB (ISO 3166-1 alpha-2)
`,
		},
		{
			name: "a key indented one space too far",
			old:  "    then: challenge\n    factors: [webauthn-platform, otp]", new: "     then: challenge\n    factors: [webauthn-platform, otp]",
			want: `policy.yaml:13:6: error: invalid YAML: mapping values are not allowed in this context [yaml-syntax]
 13 |      then: challenge
    |      ^
  hint: line 13 is indented by 5 spaces but line 12 by 4: keys of one mapping must start in the same column
`,
		},
		{
			name: "a key indented one space too little",
			old:  "    reason: Sign-in", new: "   reason: Sign-in",
			want: `policy.yaml:10:4: error: invalid YAML: did not find expected '-' indicator (while parsing a block collection) [yaml-syntax]
 10 |    reason: Sign-in from this region is not permitted
    |    ^
  hint: line 10 is indented by 3 spaces but line 9 by 4: keys of one mapping must start in the same column
`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(starter, tt.old) {
				t.Fatalf("the starter policy has no %q", tt.old)
			}
			got := check(t, strings.Replace(starter, tt.old, tt.new, 1))
			if got != tt.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

// check parses a policy as policy.yaml and prints its diagnostics.
func check(t *testing.T, src string) string {
	t.Helper()
	_, diags := Parse("policy.yaml", []byte(src))
	var b strings.Builder
	diags.Print(&b, 0)
	return b.String()
}
