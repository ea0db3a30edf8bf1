package simulate

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mfapolicy/mfapolicy/simulate/engine"
)

func clockAction(t *testing.T, name string) []byte {
	t.Helper()
	code, err := engine.BundleAction(filepath.Join("testdata", "actions", "clock", name), engine.BundleOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return code
}

// lastMFA is a login at methodTime (empty: no time) of a user whose
// last MFA was at lastMfa.
func lastMFA(methodTime, lastMfa string) string {
	auth := ""
	if methodTime != "" {
		auth = `"authentication":{"methods":[{"name":"pwd","timestamp":"` + methodTime + `"}]},`
	}
	return `{` + auth + `"user":{"user_id":"u","app_metadata":{"lastMfa":"` + lastMfa + `"},"enrolledFactors":[{"type":"otp"}]}}`
}

// TestLoginClock: Date.now() starts at the login's recorded time and
// advances with the Action's timers only, so a 4 s sleep lands exactly 4 s
// later and the decision does not depend on the day the run happens; a
// login with no recorded time starts at Options.Now and says so.
func TestLoginClock(t *testing.T) {
	code := clockAction(t, "last-mfa.js")
	lines := []string{
		lastMFA("2026-03-01T10:00:00.000Z", "2026-02-28T12:00:00.000Z"), // 22 h before
		lastMFA("2026-03-01T10:00:00.000Z", "2026-02-27T12:00:00.000Z"), // 46 h before
		lastMFA("", "2026-02-28T12:00:00.000Z"),                         // no time: Options.Now
	}
	for _, now := range []string{"2026-03-01T10:00:00Z", "2026-03-05T10:00:00Z"} {
		at, _ := time.Parse(time.RFC3339, now)
		got, sum := replayCode(t, code, "last-mfa.js", Options{Now: at}, lines...)
		third := want{outcome: Allow}
		if now != "2026-03-01T10:00:00Z" {
			third = want{outcome: Challenge, factors: "otp"}
		}
		checkDecisions(t, got, []want{{outcome: Allow}, {outcome: Challenge, factors: "otp"}, third})
		if c := got[0].Console; len(c) != 1 || c[0] != "2026-03-01T10:00:04.000Z slept 4000 perf 4000" {
			t.Errorf("console %q", c)
		}
		want := "2026-03-01T10:00:04.000Z"
		if now != "2026-03-01T10:00:00Z" {
			want = "2026-03-05T10:00:04.000Z"
		}
		if c := got[2].Console; len(c) != 1 || !strings.HasPrefix(c[0], want) {
			t.Errorf("no-time console %q, want %s", c, want)
		}
		if n := assumption(sum, "no login time in the event: the clock started at --now "+now); n != 1 {
			t.Errorf("clock assumption: %+v", sum.Assumptions)
		}
	}
	// Without Options.Now the run's start is used, and the summary says to
	// give --now.
	_, sum := replayCode(t, code, "last-mfa.js", Options{}, lines...)
	if n := assumption(sum, "no login time in the event: the clock started when the run did"); n != 1 {
		t.Errorf("clock assumption without --now: %+v", sum.Assumptions)
	}
}

func modeEvent(mode string) string {
	return `{"authentication":{"methods":[{"name":"pwd","timestamp":"2026-03-01T10:00:00.000Z"}]},"user":{"user_id":"u","app_metadata":{"mode":"` + mode + `"}}}`
}

// TestTimers: the timer globals run in Node's order on the virtual
// clock; timers that never let the login finish, a timer that throws and a
// timer past the time limit end the login with an error that says so.
func TestTimers(t *testing.T) {
	code := clockAction(t, "timers.js")
	got, sum := replayCode(t, code, "timers.js", Options{Timeout: 20 * time.Second, Workers: 1},
		modeEvent("order"), modeEvent("forever"), modeEvent("throws"), modeEvent("long"), modeEvent("order"))
	order := "sync@0 microtask@0 immediate@0 timeout0@1 timeout10@10 refreshed@90 tick1@100 tick2@200 tick3@300 args:xy@500"
	checkDecisions(t, got, []want{
		{outcome: Allow},
		{outcome: Error, err: "the Action was still waiting after 20s of virtual time: a timer set for 21s would pass the time limit"},
		{outcome: Error, err: "uncaught exception in a timer: Error: boom in a timer (at timers.js:"},
		{outcome: Error, err: "a timer set for 30s would pass the time limit"},
		{outcome: Allow},
	})
	for _, i := range []int{0, 4} {
		if c := got[i].Console; len(c) != 1 || c[0] != order {
			t.Errorf("login %d: order %q\nwant %q", i+1, c, order)
		}
	}
	if sum.TimedOut != 2 {
		t.Errorf("logins past the time limit in virtual time: %d, want 2", sum.TimedOut)
	}
}
