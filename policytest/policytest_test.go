package policytest

import (
	"context"
	"fmt"
	"regexp"
	"testing"
	"time"
)

func TestMerge(t *testing.T) {
	base := map[string]any{"request": map[string]any{"ip": "1.2.3.4", "geoip": map[string]any{"countryCode": "US"}}, "stats": map[string]any{"logins_count": int64(3)}}
	got := merge(base, map[string]any{"request": map[string]any{"geoip": nil}, "stats": int64(5), "user": map[string]any{"user_id": "u"}})
	if want := "map[request:map[ip:1.2.3.4] stats:5 user:map[user_id:u]]"; fmt.Sprint(got) != want {
		t.Errorf("merge = %v, want %s", got, want)
	}
	if fmt.Sprint(base["request"]) != "map[geoip:map[countryCode:US] ip:1.2.3.4]" {
		t.Errorf("merge modified its base: %v", base)
	}
}

// The example tests pass, through both evaluators, and reach every rule.
func TestExampleTests(t *testing.T) {
	rep := Run(context.Background(), []string{"../examples/tests/policy_test.yaml"}, Options{Timeout: time.Minute})
	fr := rep.Files[0]
	if fr.Status != StatusOK || rep.Failed != 0 || rep.Passed < 10 || len(fr.Uncovered) != 0 {
		t.Fatalf("status %s, %d passed, %d failed, uncovered %v, problems %v", fr.Status, rep.Passed, rep.Failed, fr.Uncovered, fr.Problems)
	}
	rep = Run(context.Background(), []string{"../examples/tests/policy_test.yaml"}, Options{Timeout: time.Minute, Filter: regexp.MustCompile("sanctioned")})
	if rep.Passed != 2 || rep.Skipped != len(fr.Cases)-2 {
		t.Errorf("--run sanctioned: %d passed, %d skipped", rep.Passed, rep.Skipped)
	}
}
