package analyze

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/mfapolicy/mfapolicy/policy"
)

// conditionPool mixes conditions the analysis interprets exactly with
// symbolic ones (string functions, metadata, ip methods) and ones that can
// error.
var conditionPool = []string{
	"event.request.geoip.countryCode == 'US'",
	"event.request.geoip.countryCode in ['US', 'CA']",
	"event.request.geoip.countryCode in lists.home",
	"event.request.geoip.countryCode != ''",
	"['FR', 'DE'].exists(c, c == event.request.geoip.countryCode)",
	"event.authentication.riskAssessment.confidence == 'low'",
	"event.authentication.riskAssessment.confidence != 'high'",
	"event.authentication.riskAssessment.confidence == ''",
	"event.authentication.riskAssessment.assessments.UntrustedIP.code == 'found_on_deny_list'",
	"'admin' in event.authorization.roles",
	"event.client.name in ['Admin Console', 'Billing']",
	"event.stats.logins_count > 3",
	"event.stats.logins_count <= 10",
	"5 < event.stats.logins_count",
	"event.stats.logins_count < 5",
	"event.client.name != 'Billing'",
	"size(event.user.enrolledFactors) == 0",
	"event.user.enrolledFactors.size() > 1",
	"has(event.request.geoip)",
	"has(event.authentication.riskAssessment)",
	"event.user.email_verified",
	"cidr('10.0.0.0/8').containsIP(event.request.ip)",
	"isIP(event.request.ip)",
	"cidr('10.1.0.0/16').containsIP(ip(event.request.ip))",
	"lists.office.exists(r, cidr(r).containsIP(event.request.ip))",
	"event.user.email.endsWith('@example.com')",
	"event.user.app_metadata.tier == 'gold'",
	"ip(event.request.ip).isLoopback()",
	"event.stats.logins_count + 1 > 4",
}

func randomCondition(r *rand.Rand, depth int) string {
	if depth == 0 || r.IntN(3) == 0 {
		return conditionPool[r.IntN(len(conditionPool))]
	}
	a, b := randomCondition(r, depth-1), randomCondition(r, depth-1)
	switch r.IntN(4) {
	case 0:
		return "(" + a + ") && (" + b + ")"
	case 1:
		return "(" + a + ") || (" + b + ")"
	case 2:
		return "!(" + a + ")"
	}
	return "(" + a + ") ? (" + b + ") : (" + randomCondition(r, depth-1) + ")"
}

func randomPolicy(r *rand.Rand) string {
	var b strings.Builder
	b.WriteString("name: random\nlists:\n  home: [US, GB]\n  office: [10.0.0.0/8, 2001:db8::/32]\nrules:\n")
	for i := range 1 + r.IntN(6) {
		fmt.Fprintf(&b, "  - id: r%d\n    when: %q\n    then: challenge\n    factors: [otp]\n", i, randomCondition(r, 2))
	}
	b.WriteString("default: allow\n")
	return b.String()
}

func pick[T any](r *rand.Rand, xs ...T) T { return xs[r.IntN(len(xs))] }

// randomEvent builds a well-formed post-login event, fields often absent.
func randomEvent(r *rand.Rand) map[string]any {
	ev := map[string]any{}
	maybe := func(path string, v any) {
		if r.IntN(4) != 0 && v != nil {
			setPath(ev, path, v)
		}
	}
	maybe("event.request.geoip.countryCode", pick[any](r, "US", "CA", "GB", "FR", "DE", "KP", "JP", ""))
	if r.IntN(6) == 0 {
		setPath(ev, "event.request.geoip", map[string]any{})
	}
	maybe("event.request.ip", pick[any](r, "10.1.2.3", "10.200.0.1", "127.0.0.1", "2001:db8::5", "::1", "198.51.100.1", "bogus", ""))
	maybe("event.authentication.riskAssessment.confidence", pick[any](r, "low", "medium", "high", "neutral"))
	maybe("event.authentication.riskAssessment.assessments.UntrustedIP.code", pick[any](r, "found_on_deny_list", "not_found_on_deny_list"))
	maybe("event.authorization.roles", pick[any](r, []any{}, []any{"admin"}, []any{"user"}, []any{"user", "admin"}))
	maybe("event.client.name", pick[any](r, "Admin Console", "Billing", "Shop"))
	maybe("event.stats.logins_count", float64(r.IntN(13)))
	maybe("event.user.enrolledFactors", pick[any](r, []any{}, []any{map[string]any{"type": "otp"}},
		[]any{map[string]any{"type": "otp"}, map[string]any{"type": "phone"}}))
	maybe("event.user.email_verified", r.IntN(2) == 0)
	maybe("event.user.email", pick[any](r, "a@example.com", "b@other.org", ""))
	maybe("event.user.app_metadata", pick[any](r, map[string]any{}, map[string]any{"tier": "gold"}, map[string]any{"tier": "silver"}))
	return ev
}

// TestSoundness checks the analysis against the reference evaluator on
// generated policies and events: the rule that decides a concrete event
// must be one the analysis finds possible in the event's region, and when
// every symbolic condition could be evaluated on the event (so that the
// event is one point of the space), the only one.
func TestSoundness(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	policies, events := 0, 0
	for policies < 150 {
		text := randomPolicy(r)
		p, diags := policy.Parse("random.yaml", []byte(text))
		if diags.HasErrors() {
			continue
		}
		policies++
		m, err := newModel(p)
		if err != nil {
			t.Fatal(err)
		}
		leaves, err := m.explore(m.chains[0])
		if err != nil {
			t.Fatal(err)
		}
		for range 150 {
			events++
			ev := randomEvent(r)
			got := p.Evaluate(ev)
			loc := m.sp.locate(ev)
			exact := true
			for d := range loc {
				exact = exact && loc[d]&(loc[d]-1) == 0
			}
			var possible []string
			found := false
			for _, lf := range leaves {
				if !overlaps(lf.st, loc) {
					continue
				}
				possible = append(possible, fmt.Sprint(lf.dec[0]))
				if matches(p, lf.dec[0], got) {
					found = true
				}
			}
			if !found || exact && len(possible) != 1 {
				t.Fatalf("policy:\n%s\nevent %s is decided by %+v; the analysis allows %v", text, jsonText(ev), got, possible)
			}
		}
	}
	t.Logf("%d policies, %d events", policies, events)
}

func overlaps(a, b state) bool {
	for d := range a {
		if a[d]&b[d] == 0 {
			return false
		}
	}
	return true
}
