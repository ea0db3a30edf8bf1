package main

import (
	"slices"
	"testing"
)

func TestReadReplay(t *testing.T) {
	sim, err := readReplay([]byte(`{"replayed": 1000, "replay": {"mode": "classes", "classes": 9, "in_goja": 30, "verified": 10, "unclassified": 0}}`))
	if err != nil {
		t.Fatal(err)
	}
	if sim.Simulate == nil || sim.Base != nil || sim.Head != nil || sim.Simulate.Classes != 9 {
		t.Fatalf("simulate summary read as %+v", sim)
	}
	if got := sim.InGojaShare(); got != 0.03 {
		t.Errorf("in goja share = %v, want 0.03", got)
	}
	if w := sim.warnings("simulate", false); len(w) != 0 {
		t.Errorf("warnings = %q, want none", w)
	}

	diff, err := readReplay([]byte(`{"replayed": 1000, "replay": {
		"base": {"mode": "exact", "in_goja": 1000, "verified": 0, "unclassified": 0},
		"head": {"mode": "classes", "classes": 3, "in_goja": 500, "verified": 20, "unclassified": 400, "gave_up": true}}}`))
	if err != nil {
		t.Fatal(err)
	}
	if diff.Simulate != nil || diff.Base == nil || diff.Head == nil {
		t.Fatalf("diff report read as %+v", diff)
	}
	if got := diff.InGojaShare(); got != 0.75 {
		t.Errorf("in goja share = %v, want 0.75 (1500 of 2 × 1000)", got)
	}
	if got := diff.VerifiedShare(); got != 0.01 {
		t.Errorf("verified share = %v, want 0.01", got)
	}
	want := []string{
		`diff --exact (head): replayed in mode "classes", not "exact"`,
		"diff --exact (head): 400 of 1000 logins could not be classified and ran in goja",
		"diff --exact (head): a worker gave up on decision classes (most logins could not be classified)",
	}
	if got := diff.warnings("diff --exact", true); !slices.Equal(got, want) {
		t.Errorf("warnings = %q, want %q", got, want)
	}

	if _, err := readReplay([]byte(`{"replayed": 3}`)); err == nil {
		t.Error("a summary without a replay object was accepted")
	}
}

func TestPercent(t *testing.T) {
	for f, want := range map[float64]string{1: "100%", 0: "0.00%", 1.0 / 256: "0.39%", 0.0057: "0.57%"} {
		if got := percent(f); got != want {
			t.Errorf("percent(%v) = %q, want %q", f, got, want)
		}
	}
}

// measureCopies runs every copy: their CPU time adds up, and a copy that
// fails fails the measurement unless its exit code is allowed.
func TestMeasureCopies(t *testing.T) {
	busy := []string{"sh", "-c", `i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done`}
	one, err := measure(busy, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	three, err := measureCopies(busy, 3)
	if err != nil {
		t.Fatal(err)
	}
	if three.cpu < 2*one.cpu {
		t.Errorf("three copies used %v of CPU, one %v", three.cpu, one.cpu)
	}
	if _, err := measureCopies([]string{"false"}, 2); err == nil {
		t.Error("copies that exit 1 measured without an error")
	}
	if _, err := measureCopies([]string{"false"}, 2, 1); err != nil {
		t.Errorf("copies whose exit 1 is allowed: %v", err)
	}
}
