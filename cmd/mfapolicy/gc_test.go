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

// A policy that reads `now` has every login run in goja, each at its own
// time: simulate and diff set the collector for that from the start, as
// for --exact, before any worker would give up on its classes.
func TestTimedPoliciesCollectAtTheLimit(t *testing.T) {
	prev := debug.SetGCPercent(gcPercent)
	t.Cleanup(func() { debug.SetGCPercent(prev); gcTuned = false })
	pol := filepath.Join(t.TempDir(), "timed.yaml")
	if err := os.WriteFile(pol, []byte("name: timed\nrules:\n  - id: night\n    when: now.getHours('UTC') < 0\n    then: deny\n    reason: no\ndefault: allow\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	events := []byte(strings.Repeat(`{"request":{"ip":"192.0.2.1"}}`+"\n", 10))
	for _, args := range [][]string{
		{"simulate", pol, "--events", "-", "--workers", "1"},
		{"diff", pol, "../../examples/policy.yaml", "--events", "-", "--workers", "1"},
	} {
		gcTuned = true
		debug.SetGCPercent(gcPercent)
		res := runCLI(t, events, args...)
		if got := debug.SetGCPercent(gcPercent); got != engineGCPercent {
			t.Errorf("%s of a policy that reads now: GOGC %d after the run, want %d (exit %d: %s)", args[0], got, engineGCPercent, res.code, res.errOut)
		}
	}
}
