package main

import (
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

// When main chose the settings, a run that executes every login in goja
// replays at engineGCPercent and a run by decision class at
// classGCPercent; other commands, and any run whose settings the
// environment chose, keep what they had.
func TestEngineRunsCollectAtTheLimit(t *testing.T) {
	prev := debug.SetGCPercent(gcPercent)
	t.Cleanup(func() { debug.SetGCPercent(prev); gcTuned = false })
	for _, tc := range []struct {
		tuned bool
		args  []string
		want  int
	}{
		{true, []string{"simulate", "../../examples/policy.yaml", "--events", "../../examples/events.ndjson"}, classGCPercent},
		{true, []string{"simulate", "../../examples/policy.yaml", "--events", "../../examples/events.ndjson", "--exact"}, engineGCPercent},
		{true, []string{"simulate", "--action", "../../examples/actions/adaptive.js", "--events", "../../examples/events.ndjson"}, engineGCPercent},
		{true, []string{"diff", "../../examples/policy.yaml", "../../examples/policy-v2.yaml", "--events", "../../examples/events.ndjson"}, classGCPercent},
		{true, []string{"check", "../../examples/policy.yaml"}, gcPercent},
		{true, []string{"diff", "../../examples/policy.yaml", "../../examples/policy-v2.yaml", "--events", "../../examples/events.ndjson", "--exact"}, engineGCPercent},
		{false, []string{"simulate", "../../examples/policy.yaml", "--events", "../../examples/events.ndjson", "--exact"}, gcPercent},
	} {
		gcTuned = tc.tuned
		debug.SetGCPercent(gcPercent)
		res := runCLI(t, nil, tc.args...)
		if got := debug.SetGCPercent(gcPercent); got != tc.want {
			t.Errorf("%v (settings chosen by main: %v): GOGC %d after the run, want %d (exit %d: %s)", tc.args, tc.tuned, got, tc.want, res.code, res.errOut)
		}
	}
}

// A run whose classes are given up on (a policy that reads the clock
// leaves every login unplaced) sets the collector as a run that executes
// every login in goja does.
func TestClassesGivenUpCollectAtTheLimit(t *testing.T) {
	prev := debug.SetGCPercent(gcPercent)
	t.Cleanup(func() { debug.SetGCPercent(prev); gcTuned = false })
	dir := t.TempDir()
	pol := filepath.Join(dir, "policy.yaml")
	if err := os.WriteFile(pol, []byte("name: timed\nrules:\n  - id: night\n    when: now.getHours('UTC') < 0\n    then: deny\n    reason: no\ndefault: allow\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	events := []byte(strings.Repeat(`{"request":{"ip":"192.0.2.1"}}`+"\n", 1100))
	gcTuned = true
	res := runCLI(t, events, "simulate", pol, "--events", "-", "--workers", "1", "--format", "json")
	if got := debug.SetGCPercent(gcPercent); got != engineGCPercent || res.code != 0 {
		t.Errorf("GOGC %d after a run whose classes were given up on, want %d (exit %d: %s)", got, engineGCPercent, res.code, res.errOut)
	}
	if !strings.Contains(res.out, `"gave_up": true`) && !strings.Contains(res.out, `"gave_up":true`) {
		t.Errorf("the summary does not say the classes were given up on:\n%s", res.out)
	}
}
