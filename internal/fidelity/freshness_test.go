package fidelity

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/mfapolicy/mfapolicy/internal/classify"
	"github.com/mfapolicy/mfapolicy/policytest"
	"github.com/mfapolicy/mfapolicy/simulate"
	"github.com/mfapolicy/mfapolicy/simulate/input"
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

// TestTimedPolicyReplaysInGoja simulates the freshness policy by decision
// class: its logins are not placed in classes (a class is keyed by event
// fields, and the time of a login is not one), so each runs in goja on
// the run's clock, and the decisions equal an exact replay's.
func TestTimedPolicyReplaysInGoja(t *testing.T) {
	src, err := os.ReadFile("../../examples/freshness/policy.yaml")
	if err != nil {
		t.Fatal(err)
	}
	c, err := NewCase(string(src))
	if err != nil {
		t.Fatal(err)
	}
	cl, err := classify.New(c.Policy)
	if err != nil {
		t.Fatal(err)
	}
	events := `{"authorization":{"roles":["admin"]},"authentication":{"methods":[{"name":"mfa","timestamp":"2026-03-10T03:00:00.001Z"}]}}
{"authorization":{"roles":["admin"]},"authentication":{"methods":[{"name":"mfa","timestamp":"2026-03-10T03:00:00Z"}]}}
{"authorization":{"roles":[]}}
`
	run := func(cls simulate.Classifier) ([]string, *simulate.Summary) {
		var rules []string
		sum, err := simulate.Run(context.Background(), simulate.Options{
			Code: c.Code, CodeName: "code.js", Workers: 1, Classifier: cls, Now: time.Date(2026, time.March, 10, 15, 0, 0, 0, time.UTC), FixedNow: true,
			Inputs:     []input.Input{input.ReaderInput("events.ndjson", strings.NewReader(events))},
			OnDecision: func(d simulate.Decision) error { rules = append(rules, d.Rule); return nil },
		})
		if err != nil {
			t.Fatal(err)
		}
		return rules, sum
	}
	exact, _ := run(nil)
	byClass, sum := run(cl.At(time.Date(2026, time.March, 10, 15, 0, 0, 0, time.UTC)))
	if strings.Join(exact, ",") != strings.Join(byClass, ",") || strings.Join(exact, ",") != ",admin-stale-mfa," {
		t.Errorf("decided by %q exactly and %q by class, want [\"\", admin-stale-mfa, \"\"]", exact, byClass)
	}
	if sum.Replay.Unclassified != 3 {
		t.Errorf("replay %+v: every login should be unclassified", sum.Replay)
	}
}
