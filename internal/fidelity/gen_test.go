package fidelity

import (
	"strings"
	"testing"

	"github.com/mfapolicy/mfapolicy/policy"
	"github.com/mfapolicy/mfapolicy/simulate"
)

// lintCodes are domain lints a random policy may trip by chance (comparing
// a confidence with 'US'); such policies are redrawn, everything else that
// fails to check is a generator bug.
var lintCodes = map[string]bool{
	"invalid-confidence": true, "invalid-country": true, "unknown-factor": true,
	"unreachable-rule": true, "confidence-order": true, "invalid-ip": true, "unknown-assessment-code": true,
}

// draw returns a policy that checks, and how many draws were redrawn.
func draw(t testing.TB, g *Gen, maxRules, depth int) (*policy.Policy, string, int) {
	t.Helper()
	for redraws := 0; ; redraws++ {
		src := g.Policy(maxRules, depth)
		p, diags := policy.Parse("generated.yaml", []byte(src))
		if !diags.HasErrors() {
			return p, src, redraws
		}
		for _, d := range diags.Errors() {
			if !lintCodes[d.Code] {
				t.Fatalf("generated policy does not check: %v\n%s", d, src)
			}
		}
		if redraws > 50 {
			t.Fatalf("generator keeps tripping lints: %v\n%s", diags, src)
		}
	}
}

func TestGeneratedPoliciesCheck(t *testing.T) {
	g := NewGen(1)
	total := 0
	for range 300 {
		_, _, n := draw(t, g, 4, 3)
		total += n
	}
	t.Logf("300 policies, %d redrawn for domain lints", total)
}

// TestGeneratorDrawsTimeAndTwoVarMacros checks that the policies of
// TestDifferential's seed exercise now, timestamps, durations, the
// getters and the two-variable macros, and counts them.
func TestGeneratorDrawsTimeAndTwoVarMacros(t *testing.T) {
	g := NewGen(*flagSeed)
	for range *flagEvents {
		g.Event() // the differential draws its events first
	}
	counts := map[string]int{}
	marks := []string{"now", "timestamp(", "duration(", ".getHours(", "(i, r,", "(k, v,", "transformList(", "transformMap(", "transformMapEntry(", "event.user.multifactor"}
	for range *flagPolicies {
		_, src, _ := draw(t, g, 4, 3)
		for _, m := range marks {
			if strings.Contains(src, m) {
				counts[m]++
			}
		}
	}
	for _, m := range marks {
		if counts[m] == 0 {
			t.Errorf("no generated policy uses %q", m)
		}
	}
	t.Logf("of %d policies, those using each form: %v", *flagPolicies, counts)
}

// TestGeneratorDerivesMultifactor checks that the events of
// TestDifferential's seed include users without event.user.multifactor
// whose enrolments derive each value (["guardian"] and []), and users
// carrying a value of their own, kept.
func TestGeneratorDerivesMultifactor(t *testing.T) {
	g := NewGen(*flagSeed)
	counts := map[string]int{}
	for range *flagEvents {
		ev := g.Event()
		user, _ := ev["user"].(map[string]any)
		_, carried := user["multifactor"]
		fact := simulate.DeriveMultifactor(ev)
		switch {
		case carried:
			counts["carried"]++
		case strings.HasSuffix(fact, `["guardian"]`):
			counts["guardian"]++
		case fact != "":
			counts["none"]++
		}
	}
	for _, k := range []string{"carried", "guardian", "none"} {
		if counts[k] == 0 {
			t.Errorf("no generated event: %s", k)
		}
	}
	t.Logf("of %d events: %v", *flagEvents, counts)
}
