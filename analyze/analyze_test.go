package analyze

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/mfapolicy/mfapolicy/policy"
)

func mustParse(t testing.TB, text string) *policy.Policy {
	t.Helper()
	p, diags := policy.Parse("policy.yaml", []byte(text))
	if diags.HasErrors() {
		t.Fatalf("policy does not check:\n%v", diags)
	}
	return p
}

// rules builds a policy from (id, when) pairs, each deciding challenge.
func rules(pairs ...string) string {
	var b strings.Builder
	b.WriteString("name: t\non_error: deny\nrules:\n")
	for i := 0; i < len(pairs); i += 2 {
		fmt.Fprintf(&b, "  - id: %s\n    when: %q\n    then: challenge\n    factors: [otp]\n", pairs[i], pairs[i+1])
	}
	b.WriteString("default: allow\n")
	return b.String()
}

func TestRuleFindings(t *testing.T) {
	tests := []struct {
		name   string
		policy string
		// want maps rule ids to "reachable", "shadowed by A, B",
		// "unsatisfiable" or "missing: LABEL, ..." (reachable only then).
		want map[string]string
	}{{
		name: "a rule after a broader one is shadowed",
		policy: rules("home", "event.request.geoip.countryCode in ['US', 'CA']",
			"us", "event.request.geoip.countryCode == 'US'"),
		want: map[string]string{"home": "reachable", "us": "shadowed by home"},
	}, {
		name: "a rule shadowed by two earlier rules together",
		policy: rules("low", "event.authentication.riskAssessment.confidence == 'low'",
			"not-low", "event.authentication.riskAssessment.confidence != 'low'",
			"any", "event.client.name == 'Billing'"),
		want: map[string]string{"low": "reachable", "not-low": "reachable", "any": "shadowed by low, not-low"},
	}, {
		name:   "an unsatisfiable condition",
		policy: rules("never", "event.request.geoip.countryCode == 'US' && event.request.geoip.countryCode == 'FR'"),
		want:   map[string]string{"never": "unsatisfiable"},
	}, {
		name:   "a rule after a tautology",
		policy: rules("all", "event.user.email_verified || !event.user.email_verified", "later", "event.user.email_verified"),
		want:   map[string]string{"all": "reachable", "later": "shadowed by all"},
	}, {
		name:   "a rule reachable only through a symbolic condition",
		policy: rules("corp", "event.user.email.endsWith('@example.com')"),
		want:   map[string]string{"corp": "reachable"},
	}, {
		name: "the same symbolic condition, narrowed, is shadowed",
		policy: rules("corp", "event.user.email.endsWith('@example.com')",
			"corp-us", "event.user.email.endsWith('@example.com') && event.request.geoip.countryCode == 'US'"),
		want: map[string]string{"corp": "reachable", "corp-us": "shadowed by corp"},
	}, {
		name: "a rule reached only with absent geoip",
		policy: rules("home", "event.request.geoip.countryCode in ['US', 'CA']",
			"abroad", "event.request.geoip.countryCode != ''",
			"nowhere", "true"),
		want: map[string]string{"home": "reachable", "abroad": "reachable", "nowhere": "missing: country"},
	}, {
		name: "has() on geoip",
		policy: rules("no-geoip", "!has(event.request.geoip)",
			"no-country", "event.request.geoip.countryCode == ''",
			"rest", "true"),
		want: map[string]string{"no-geoip": "missing: geoip, country", "no-country": "missing: country", "rest": "reachable"},
	}, {
		name: "nested CIDRs: the narrower one after the broader is shadowed",
		policy: rules("corp", "cidr('10.0.0.0/8').containsIP(event.request.ip)",
			"lab", "cidr('10.1.0.0/16').containsIP(event.request.ip)"),
		want: map[string]string{"corp": "reachable", "lab": "shadowed by corp"},
	}, {
		name: "CIDRs guarded by isIP: nothing is dead",
		policy: rules("lab", "isIP(event.request.ip) && cidr('10.1.0.0/16').containsIP(event.request.ip)",
			"corp", "isIP(event.request.ip) && cidr('10.0.0.0/8').containsIP(ip(event.request.ip))",
			"v6", "isIP(event.request.ip) && cidr('2001:db8::/32').containsIP(event.request.ip)",
			"loopback", "isIP(event.request.ip) && ip(event.request.ip).isLoopback()"),
		want: map[string]string{"lab": "reachable", "corp": "reachable", "v6": "reachable", "loopback": "reachable"},
	}, {
		name: "thresholds",
		policy: rules("many", "event.stats.logins_count > 10",
			"some", "event.stats.logins_count >= 11",
			"few", "event.stats.logins_count > 3 && event.stats.logins_count < 11"),
		want: map[string]string{"many": "reachable", "some": "shadowed by many", "few": "reachable"},
	}, {
		name: "roles and enrolled factors",
		policy: rules("admin", "'admin' in event.authorization.roles",
			"nofactor", "size(event.user.enrolledFactors) == 0",
			"admin-again", "'admin' in event.authorization.roles && event.user.enrolledFactors.size() > 1"),
		want: map[string]string{"admin": "reachable", "nofactor": "reachable", "admin-again": "shadowed by admin"},
	}, {
		name: "a metadata read that errors decides through on_error",
		policy: rules("gold", "event.user.app_metadata.tier == 'gold'",
			"rest", "true"),
		want: map[string]string{"gold": "reachable", "rest": "reachable"},
	}, {
		name: "exists over a constant list is unrolled",
		policy: rules("fr-or-de", "['FR', 'DE'].exists(c, c == event.request.geoip.countryCode)",
			"de", "event.request.geoip.countryCode == 'DE'"),
		want: map[string]string{"fr-or-de": "reachable", "de": "shadowed by fr-or-de"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := mustParse(t, tt.policy)
			rep, err := Analyze(p)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range rep.Rules {
				got := string(r.Status)
				switch {
				case r.Status == Shadowed:
					got = "shadowed by " + strings.Join(r.ShadowedBy, ", ")
				case len(r.OnlyWhenMissing) > 0:
					got = "missing: " + strings.Join(r.OnlyWhenMissing, ", ")
				}
				if want := tt.want[r.ID]; got != want {
					t.Errorf("rule %s: got %q, want %q", r.ID, got, want)
				}
				checkExample(t, p, r)
			}
			for _, reg := range rep.Regions {
				if reg.Example == nil && !symbolic(reg.When) {
					t.Errorf("region %s %v has no example", decisionText(reg.Decision), whenText(reg.When))
				}
				if reg.Example == nil {
					continue
				}
				got := p.Evaluate(reg.Example)
				if got.Rule != reg.Decision.Rule || (got.Error != "") != reg.Decision.OnError {
					t.Errorf("region %s: example %s is decided by %+v", decisionText(reg.Decision), jsonText(reg.Example), got)
				}
			}
		})
	}
}

// checkExample confirms a rule's example with the reference evaluator:
// a reachable rule decides it; a shadowed rule's condition matches it
// while an earlier rule decides it.
func checkExample(t *testing.T, p *policy.Policy, r RuleResult) {
	t.Helper()
	if r.Status == Unsatisfiable {
		if r.Example != nil {
			t.Errorf("rule %s is unsatisfiable but has an example", r.ID)
		}
		return
	}
	if r.Example == nil && !r.Unconfirmed {
		t.Errorf("rule %s (%s) has no example", r.ID, r.Status)
		return
	}
	d := p.Evaluate(r.Example)
	if r.Status == Reachable {
		if d.Rule != r.ID {
			t.Errorf("rule %s: example %s is decided by %q", r.ID, jsonText(r.Example), d.Rule)
		}
		return
	}
	i := slices.IndexFunc(p.Rules, func(x *policy.Rule) bool { return x.ID == r.ID })
	v, err := p.EvaluateRule(i, r.Example)
	if err != nil || v.Value() != true {
		t.Errorf("rule %s: its condition does not match its example %s", r.ID, jsonText(r.Example))
	}
	by := strings.TrimPrefix(r.ShadowedBy[0], "on_error: ")
	if !slices.Contains(r.ShadowedBy, d.Rule) && !slices.Contains(r.ShadowedBy, "on_error: "+d.Rule) || by == "" {
		t.Errorf("rule %s: example %s is decided by %q, not by a shadowing rule", r.ID, jsonText(r.Example), d.Rule)
	}
}

// symbolic reports whether a region rests on a symbolic condition, the
// only kind of region that may lack an example.
func symbolic(when []Condition) bool {
	return slices.ContainsFunc(when, func(c Condition) bool { return c.Kind == AtomDim })
}
