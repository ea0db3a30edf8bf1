package main

import (
	"context"
	"os"
	"slices"
	"testing"

	"github.com/mfapolicy/mfapolicy/compile"
	"github.com/mfapolicy/mfapolicy/policy"
	"github.com/mfapolicy/mfapolicy/simulate"
)

// TestMigrationExample replays the example corpus through the legacy Rule
// of examples/migration and through the compiled policy that replaces it,
// login by login, and requires the same decision from both: outcome,
// reason, and for a challenge the factors offered. (An enrollment asked for
// by a Rule names no factors: Rules could only say provider 'any'.)
func TestMigrationExample(t *testing.T) {
	p, diags := policy.Load("../../examples/migration/policy.yaml")
	if diags.HasErrors() {
		t.Fatalf("policy: %v", diags)
	}
	res, err := compile.Compile(p, compile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	rule, err := simulate.BundleRule("../../examples/migration/rule.js", simulate.BundleOptions{})
	if err != nil {
		t.Fatal(err)
	}
	counts := map[simulate.Outcome]int{}
	var logins, differ int
	_, _, err = simulate.RunPair(context.Background(), simulate.PairOptions{
		Options: simulate.Options{
			Code: rule, CodeName: "rule.js",
			Inputs: []simulate.Input{simulate.FileInput("../../examples/events.ndjson", os.Stdin)},
		},
		Head: simulate.Options{Code: res.Code, CodeName: "policy.yaml"},
		OnPair: func(pr simulate.Pair) error {
			logins++
			b, h := pr.Base, pr.Head
			same := b.Outcome == h.Outcome && b.Reason == h.Reason && b.Error == "" && h.Error == "" &&
				(b.Outcome != simulate.Challenge || slices.Equal(b.Factors, h.Factors))
			if !same {
				differ++
				if differ <= 5 {
					t.Errorf("%s:%d: rule %s %v %q %s, policy %s %v %q %s", b.File, b.Line,
						b.Outcome, b.Factors, b.Reason, b.Error, h.Outcome, h.Factors, h.Reason, h.Error)
				}
			}
			counts[b.Outcome]++
			return nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if differ > 0 {
		t.Fatalf("%d of %d logins decided differently", differ, logins)
	}
	// Every outcome the Rule can produce occurs, so the comparison covers
	// each mapping (deny, MFA 'any' as challenge and as enroll, allow).
	for _, o := range []simulate.Outcome{simulate.Allow, simulate.Challenge, simulate.Enroll, simulate.Deny} {
		if counts[o] == 0 {
			t.Errorf("no login was decided %s", o)
		}
	}
	t.Logf("%d logins, identical decisions: %v", logins, counts)
}
