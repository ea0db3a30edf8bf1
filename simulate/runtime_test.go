package simulate

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mfapolicy/mfapolicy/simulate/input"
)

// runAction replays the NDJSON lines through the named test Action and
// returns the decisions in order.
func runAction(t *testing.T, action string, opts Options, lines ...string) ([]Decision, *Summary) {
	t.Helper()
	code, err := os.ReadFile(filepath.Join("testdata", "actions", action))
	if err != nil {
		t.Fatal(err)
	}
	opts.Code, opts.CodeName = code, action
	opts.Inputs = []input.Input{input.ReaderInput("events.ndjson", strings.NewReader(strings.Join(lines, "\n")))}
	var got []Decision
	opts.OnDecision = func(d Decision) error { got = append(got, d); return nil }
	sum, err := Run(context.Background(), opts)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return got, sum
}

func ev(country string, extra string) string {
	s := `{"request":{"ip":"1.2.3.4","geoip":{"countryCode":"` + country + `"}},"client":{"name":"App"},"user":{"user_id":"u1","app_metadata":{` + extra + `}}`
	return s + "}"
}

func TestChallengeAction(t *testing.T) {
	got, sum := runAction(t, "challenge.js", Options{Workers: 1},
		ev("US", ""), ev("DE", ""), ev("KP", ""))
	want := []struct {
		outcome Outcome
		factors string
	}{{Allow, ""}, {Challenge, "otp,push-notification"}, {Deny, ""}}
	if len(got) != len(want) {
		t.Fatalf("got %d decisions, want %d", len(got), len(want))
	}
	for i, w := range want {
		if got[i].Outcome != w.outcome || strings.Join(got[i].Factors, ",") != w.factors {
			t.Errorf("event %d: got %s %v, want %s %s", i+1, got[i].Outcome, got[i].Factors, w.outcome, w.factors)
		}
		if got[i].Line != i+1 {
			t.Errorf("event %d: line %d", i+1, got[i].Line)
		}
	}
	if got[2].Reason != "Sign-in from this region is not permitted" {
		t.Errorf("deny reason = %q", got[2].Reason)
	}
	if len(got[1].Calls) != 1 || got[1].Calls[0].Method != "authentication.challengeWith" ||
		string(got[1].Calls[0].Args[0]) != `{"type":"otp"}` {
		t.Errorf("calls = %+v", got[1].Calls)
	}
	if sum.Replayed != 3 || sum.Outcomes[1].Count != 1 {
		t.Errorf("summary = %+v", sum)
	}
}

func TestThrowingAction(t *testing.T) {
	got, _ := runAction(t, "throws.js", Options{Workers: 1},
		ev("US", `"boom":true`), ev("US", ""))
	if got[0].Outcome != Error || !strings.Contains(got[0].Error, "boom for u1") {
		t.Errorf("first: %+v", got[0])
	}
	if got[1].Outcome != Allow || len(got[1].Calls) != 1 {
		t.Errorf("second: %+v", got[1])
	}
}

func TestEndlessLoopTimesOut(t *testing.T) {
	start := time.Now()
	got, sum := runAction(t, "loop.js", Options{Workers: 1, Timeout: 100 * time.Millisecond},
		ev("US", `"loop":true`), ev("US", ""), ev("US", `"loop":true`), ev("US", ""))
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %s", d)
	}
	for i, d := range got {
		if i%2 == 0 {
			if d.Outcome != Error || !strings.Contains(d.Error, "did not finish within 100ms") {
				t.Errorf("event %d: %+v", i+1, d)
			}
		} else if d.Outcome != Challenge || len(d.Calls) != 1 {
			t.Errorf("event %d after a timeout: %+v", i+1, d)
		}
	}
	if sum.TimedOut != 2 {
		t.Errorf("timed out = %d", sum.TimedOut)
	}
}

func TestAsyncAction(t *testing.T) {
	got, _ := runAction(t, "async.js", Options{Workers: 2}, ev("US", ""), ev("FR", ""))
	if got[0].Outcome != Allow || got[1].Outcome != Challenge {
		t.Fatalf("got %+v", got)
	}
	if strings.Join(got[1].Factors, ",") != "otp,phone" {
		t.Errorf("factors %v", got[1].Factors)
	}
	if len(got[1].Console) != 1 || got[1].Console[0] != `where abroad {"country":"FR"}` {
		t.Errorf("console %q", got[1].Console)
	}
}

func TestHostileAction(t *testing.T) {
	cases := map[string]string{
		"require": "require(fs) is not available",
		"process": "process is not defined",
		"fetch":   "fetch is not defined",
		"timer":   "still waiting after 5s of virtual time: a timer set for 6s would pass the time limit",
		"pending": "promise never settled",
	}
	var lines []string
	var names []string
	for name := range cases {
		names = append(names, name)
		lines = append(lines, ev("US", `"try":"`+name+`"`))
	}
	lines = append(lines, ev("US", ""))
	got, _ := runAction(t, "hostile.js", Options{Workers: 1}, lines...)
	for i, name := range names {
		if got[i].Outcome != Error || !strings.Contains(got[i].Error, cases[name]) {
			t.Errorf("%s: %s %q", name, got[i].Outcome, got[i].Error)
		}
	}
	if last := got[len(got)-1]; last.Outcome != Allow {
		t.Errorf("a clean login after the hostile ones: %+v", last)
	}
}

func TestDecideAttribution(t *testing.T) {
	got, sum := runAction(t, "decide.js", Options{Workers: 1, Rules: []string{"sanctioned", "abroad", "unused"}},
		ev("US", ""), ev("KP", ""), ev("DE", ""), ev("CA", ""))
	rules := []string{"", "sanctioned", "abroad", "abroad"}
	for i, d := range got {
		if d.Rule != rules[i] {
			t.Errorf("event %d: rule %q, want %q", i+1, d.Rule, rules[i])
		}
	}
	if got[3].Outcome != Allow || !strings.Contains(strings.Join(got[3].Notes, ";"), "inconsistent: decide(event) says challenge but the Action's calls ask for allow") {
		t.Errorf("CA: %+v", got[3])
	}
	if sum.Inconsistent != 1 {
		t.Errorf("inconsistent = %d", sum.Inconsistent)
	}
	var names []string
	for _, r := range sum.Rules {
		names = append(names, r.Name)
	}
	if strings.Join(names, ",") != "sanctioned,abroad,unused,(default)" {
		t.Errorf("rules %v", names)
	}
}
