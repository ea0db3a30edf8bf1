package analyze

import (
	"testing"
)

func TestDiffReorder(t *testing.T) {
	base := mustParse(t, `name: base
rules:
  - id: sanctioned
    when: event.request.geoip.countryCode == 'KP'
    then: deny
    reason: blocked
  - id: abroad
    when: event.request.geoip.countryCode != 'US'
    then: challenge
    factors: [otp]
default: allow
`)
	// The same rules, reordered: KP now meets abroad first. Only a login
	// from KP, which no recorded traffic may hold, tells them apart.
	head := mustParse(t, `name: head
rules:
  - id: abroad
    when: event.request.geoip.countryCode != 'US'
    then: challenge
    factors: [otp]
  - id: sanctioned
    when: event.request.geoip.countryCode == 'KP'
    then: deny
    reason: blocked
default: allow
`)
	rep, err := Diff(base, head)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Changes) != 1 || rep.Weakened != 1 {
		t.Fatalf("want one weakened change, got %+v", rep.Changes)
	}
	c := rep.Changes[0]
	if got := whenText(c.When); got != "country is KP" {
		t.Errorf("region: %s", got)
	}
	if c.Base.Rule != "sanctioned" || c.Head.Rule != "abroad" {
		t.Errorf("decisions: %+v -> %+v", c.Base, c.Head)
	}
	if c.Example == nil || base.Evaluate(c.Example).Rule != "sanctioned" || head.Evaluate(c.Example).Rule != "abroad" {
		t.Errorf("example %v is not confirmed", c.Example)
	}
	if !c.Contains(map[string]any{"request": map[string]any{"geoip": map[string]any{"countryCode": "KP"}}}) ||
		c.Contains(map[string]any{"request": map[string]any{"geoip": map[string]any{"countryCode": "FR"}}}) {
		t.Error("Contains does not match the region")
	}

	same, err := Diff(base, base)
	if err != nil {
		t.Fatal(err)
	}
	if len(same.Changes) != 0 {
		t.Errorf("a policy differs from itself: %+v", same.Changes)
	}
}

func TestKindOf(t *testing.T) {
	tests := []struct {
		base, head Decision
		want       ChangeKind
	}{
		{Decision{Outcome: "deny"}, Decision{Outcome: "challenge"}, Weakened},
		{Decision{Outcome: "allow"}, Decision{Outcome: "enroll"}, Tightened},
		{Decision{Outcome: "challenge", Factors: []string{"webauthn-platform"}}, Decision{Outcome: "challenge", Factors: []string{"otp"}}, Weakened},
		{Decision{Outcome: "challenge", Factors: []string{"otp"}}, Decision{Outcome: "challenge", Factors: []string{"push-notification"}}, Lateral},
		{Decision{Outcome: "deny", Reason: "a"}, Decision{Outcome: "deny", Reason: "b"}, Lateral},
	}
	for _, tt := range tests {
		if got := KindOf(tt.base, tt.head); got != tt.want {
			t.Errorf("%v -> %v: %s, want %s", tt.base, tt.head, got, tt.want)
		}
	}
}
