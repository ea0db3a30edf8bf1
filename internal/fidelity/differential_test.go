package fidelity

import (
	"encoding/json"
	"flag"
	"testing"
)

var (
	flagPolicies = flag.Int("fidelity.policies", 250, "generated policies in TestDifferential")
	flagEvents   = flag.Int("fidelity.events", 40, "generated events per policy in TestDifferential")
	flagSeed     = flag.Uint64("fidelity.seed", 20261125, "seed of TestDifferential")
)

// TestDifferential runs generated policies × generated events through the
// cel-go reference evaluator, the compiled code.js in goja (the simulator)
// and the same code.js in Node.js, and fails with a minimised
// counter-example on the first disagreement.
func TestDifferential(t *testing.T) {
	g := NewGen(*flagSeed)
	var events [][]byte
	var decoded []any
	for range *flagEvents {
		line, err := json.Marshal(g.Event())
		if err != nil {
			t.Fatal(err)
		}
		var ev any
		if err := json.Unmarshal(line, &ev); err != nil {
			t.Fatal(err)
		}
		events = append(events, line)
		decoded = append(decoded, ev)
	}
	var cases []*Case
	redrawn := 0
	for range *flagPolicies {
		_, src, n := draw(t, g, 4, 3)
		redrawn += n
		c, err := NewCase(src)
		if err != nil {
			t.Fatalf("compile: %v\n%s", err, src)
		}
		cases = append(cases, c)
	}
	dir := t.TempDir()
	nodeVerdicts, err := Node(dir, cases, events)
	if err != nil {
		t.Fatal(err)
	}
	compared, errored := 0, 0
	for i, c := range cases {
		gojaVerdicts, err := c.Goja(events)
		if err != nil {
			t.Fatalf("policy %d: %v\n%s", i, err, c.Source)
		}
		for j, ev := range decoded {
			ref := c.Reference(ev)
			if ref.Errored {
				errored++
			}
			if why := Compare(ref, gojaVerdicts[j], nodeVerdicts[i][j]); why != "" {
				var fresh any
				_ = json.Unmarshal(events[j], &fresh)
				src, small := Minimize(t.TempDir(), c.Source, fresh)
				t.Fatalf("policy %d, event %d: %s\n\nminimised:\n%s", i, j, why, Report(src, small, Disagreement(t.TempDir(), src, small)))
			}
			compared++
		}
	}
	t.Logf("%d policy × event cases agree in cel-go, goja and Node.js (%d took the on_error path; %d policies redrawn for domain lints)", compared, errored, redrawn)
}
