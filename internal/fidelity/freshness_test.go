package fidelity

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/mfapolicy/mfapolicy/policytest"
)

// TestFreshnessExample replays the cases of examples/freshness (MFA within
// the last 12 hours, on both sides of the boundary to the millisecond, and
// office hours at a fixed offset) through cel-go, goja and Node.js, each
// case at its own time, and checks that all three give the decision the
// case expects.
func TestFreshnessExample(t *testing.T) {
	f, diags := policytest.Load("../../examples/freshness/policy_test.yaml")
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	src, err := os.ReadFile(f.PolicyPath)
	if err != nil {
		t.Fatal(err)
	}
	c, err := NewCase(string(src))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range f.Cases {
		now := tc.Now
		if now.IsZero() {
			now = f.Now
		}
		line, err := json.Marshal(tc.Event)
		if err != nil {
			t.Fatal(err)
		}
		var ev any
		if err := json.Unmarshal(line, &ev); err != nil {
			t.Fatal(err)
		}
		ref := c.Policy.EvaluateAt(ev, now)
		refV := Verdict{Rule: ref.Rule, Outcome: string(ref.Outcome), Factors: nonNil(ref.Factors), Reason: ref.Reason, Errored: ref.Error != ""}
		g, err := c.GojaAt([][]byte{line}, now)
		if err != nil {
			t.Fatal(err)
		}
		n, err := NodeAt(t.TempDir(), []*Case{c}, [][]byte{line}, now)
		if err != nil {
			t.Fatal(err)
		}
		if why := Compare(refV, g[0], n[0][0]); why != "" {
			t.Errorf("%s: %s", tc.Name, why)
		}
		want := tc.Want.Rule
		if want == policytest.DefaultRule {
			want = ""
		}
		if refV.Rule != want || refV.Outcome != string(tc.Want.Outcome) {
			t.Errorf("%s: decided %s by %q, the case expects %s by %q", tc.Name, refV.Outcome, refV.Rule, tc.Want.Outcome, tc.Want.Rule)
		}
	}
	t.Logf("%d freshness cases agree in cel-go, goja and Node.js", len(f.Cases))
}
