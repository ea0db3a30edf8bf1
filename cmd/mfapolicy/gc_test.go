package main

import (
	"runtime/debug"
	"testing"
)

// A run that executes every login in goja collects at engineGCPercent when
// main chose the settings; the class path, and any run whose settings the
// environment chose, keep what they had.
func TestEngineRunsCollectAtTheLimit(t *testing.T) {
	prev := debug.SetGCPercent(gcPercent)
	t.Cleanup(func() { debug.SetGCPercent(prev); gcTuned = false })
	for _, tc := range []struct {
		tuned bool
		args  []string
		want  int
	}{
		{true, []string{"simulate", "../../examples/policy.yaml", "--events", "../../examples/events.ndjson"}, gcPercent},
		{true, []string{"simulate", "../../examples/policy.yaml", "--events", "../../examples/events.ndjson", "--exact"}, engineGCPercent},
		{true, []string{"simulate", "--action", "../../examples/actions/adaptive.js", "--events", "../../examples/events.ndjson"}, engineGCPercent},
		{true, []string{"diff", "../../examples/policy.yaml", "../../examples/policy-v2.yaml", "--events", "../../examples/events.ndjson"}, gcPercent},
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
