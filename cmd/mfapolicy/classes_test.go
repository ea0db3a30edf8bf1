package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/mfapolicy/mfapolicy/simulate"
	"github.com/mfapolicy/mfapolicy/simulate/input"
)

var (
	examplePolicy   = filepath.Join("..", "..", "examples", "policy.yaml")
	examplePolicyV2 = filepath.Join("..", "..", "examples", "policy-v2.yaml")
	exampleEvents   = filepath.Join("..", "..", "examples", "events.ndjson")
)

// replayErr maps a divergence between the decision classes and goja,
// however wrapped, to exit 3, and every other replay error to exit 2.
func TestReplayErrExitCodes(t *testing.T) {
	de := &simulate.DivergenceError{File: "e.ndjson", Line: 7, Class: simulate.Class{Rule: "r"}, Want: "w", Got: "g"}
	for _, tc := range []struct {
		err  error
		code int
	}{
		{de, exitFidelity},
		{fmt.Errorf("base: %w", de), exitFidelity},
		{fmt.Errorf("outer: %w", fmt.Errorf("inner: %w", de)), exitFidelity},
		{errors.New("cannot read events: no such file"), exitUsage},
		{fmt.Errorf("e.ndjson:2: %w: invalid JSON", simulate.ErrMalformed), exitUsage},
		{fmt.Errorf("not wrapped: %v", de), exitUsage},
	} {
		err := replayErr(tc.err)
		var ee *exitError
		if !errors.As(err, &ee) || ee.code != tc.code {
			t.Errorf("replayErr(%v) = %#v, want exit %d", tc.err, err, tc.code)
			continue
		}
		if err.Error() != tc.err.Error() || !errors.Is(err, tc.err) {
			t.Errorf("replayErr(%v) says %q, does not wrap it", tc.err, err)
		}
	}
}

// liar places every login in a class of a rule no Action decides by.
type liar struct{}

func (liar) NewClassWorker(*input.FieldTree) simulate.ClassWorker { return liar{} }
func (liar) Fields() []string                                     { return nil }
func (liar) Classify(simulate.EventFields) (simulate.Class, bool) {
	return simulate.Class{Key: 1, Rule: "no-such-rule"}, true
}

// A replay that diverges from its decision classes ends the command with
// exit 3 and the message naming the login; nothing is written to --out.
func TestSimulateDivergenceExits3(t *testing.T) {
	dir := writeFiles(t, map[string][]byte{
		"a.js":     []byte(robustAction),
		"e.ndjson": lines(usEvent, frEvent),
	})
	out := filepath.Join(dir, "decisions.ndjson")
	var stdout, stderr bytes.Buffer
	s := &streams{Out: &stdout, Err: &stderr}
	cmd := newSimulateCmd(s, func(o *simulateOptions) error {
		o.classifier = liar{}
		return runSimulate(o)
	})
	cmd.SetArgs([]string{"--action", filepath.Join(dir, "a.js"), "--events", filepath.Join(dir, "e.ndjson"), "--out", out, "--verify-every", "1"})
	cmd.SetOut(&stdout)
	cmd.SetErr(&stderr)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	err := cmd.Execute()
	var ee *exitError
	var de *simulate.DivergenceError
	if !errors.As(err, &ee) || ee.code != exitFidelity || !errors.As(err, &de) {
		t.Fatalf("err = %#v, want exit %d with a DivergenceError", err, exitFidelity)
	}
	if de.Line != 1 || !strings.Contains(err.Error(), "e.ndjson:1") || !strings.Contains(err.Error(), "no-such-rule") {
		t.Errorf("message: %v", err)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("--out was written after a divergence: %v", err)
	}
	if stdout.Len() != 0 {
		t.Errorf("a summary was printed after a divergence:\n%s", stdout.String())
	}
}

// withoutReplay drops the "replay" member of a JSON object (the one part
// of a report that says how, not what), failing when it is missing.
func withoutReplay(t *testing.T, data []byte) (rest map[string]any, replay any) {
	t.Helper()
	if err := json.Unmarshal(data, &rest); err != nil {
		t.Fatalf("%v:\n%s", err, data)
	}
	replay, ok := rest["replay"]
	if !ok {
		t.Fatalf("no replay member in\n%s", data)
	}
	delete(rest, "replay")
	return rest, replay
}

// Replayed by decision class, the example corpus gives byte-identical
// per-login decisions and the same summary as replayed all in goja
// (--exact), whether class-decided logins are verified rarely, never
// (almost) or always; the summaries say which way they were made.
func TestSimulateClassesMatchExact(t *testing.T) {
	dir := t.TempDir()
	run := func(name string, flags ...string) ([]byte, map[string]any, map[string]any) {
		out := filepath.Join(dir, name)
		args := append([]string{"simulate", examplePolicy, "--events", exampleEvents, "--out", out, "--format", "json", "--workers", "2"}, flags...)
		r := runCLI(t, nil, args...)
		if r.code != 0 {
			t.Fatalf("mfapolicy %s: exit %d\n%s", strings.Join(args, " "), r.code, r.errOut)
		}
		decisions, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		sum, replay := withoutReplay(t, []byte(r.out))
		return decisions, sum, replay.(map[string]any)
	}
	exact, exactSum, exactReplay := run("B.ndjson", "--exact")
	if exactReplay["mode"] != "exact" || exactReplay["in_goja"] != exactSum["replayed"] {
		t.Errorf("--exact replay: %v of %v", exactReplay, exactSum["replayed"])
	}
	if n := bytes.Count(exact, []byte("\n")); n < 2900 {
		t.Fatalf("%d decisions", n)
	}
	for _, flags := range [][]string{nil, {"--verify-every", "1000000"}, {"--verify-every", "1"}} {
		got, sum, replay := run("A.ndjson", flags...)
		if !bytes.Equal(got, exact) {
			t.Errorf("%v: the decisions differ from --exact's", flags)
		}
		if !reflect.DeepEqual(sum, exactSum) {
			a, _ := json.Marshal(sum)
			b, _ := json.Marshal(exactSum)
			t.Errorf("%v: summaries differ:\nclasses %s\nexact   %s", flags, a, b)
		}
		inGoja, replayed := replay["in_goja"].(float64), sum["replayed"].(float64)
		switch {
		case replay["mode"] != "classes":
			t.Errorf("%v: replay %v", flags, replay)
		case len(flags) > 0 && flags[1] == "1" && inGoja != replayed:
			t.Errorf("%v: every login verified, yet %v of %v in goja", flags, inGoja, replayed)
		case (len(flags) == 0 || flags[1] != "1") && inGoja > replayed/4:
			t.Errorf("%v: %v of %v logins in goja: the classes were hardly used", flags, inGoja, replayed)
		}
	}
}

// diff by decision class reports exactly what diff --exact does, exit code
// included; only how the logins were replayed differs.
func TestDiffClassesMatchExact(t *testing.T) {
	run := func(flags ...string) (int, map[string]any, map[string]any) {
		args := append([]string{"diff", examplePolicy, examplePolicyV2, "--events", exampleEvents, "--format", "json", "--workers", "2"}, flags...)
		r := runCLI(t, nil, args...)
		if r.code != 0 && r.code != 1 {
			t.Fatalf("mfapolicy %s: exit %d\n%s", strings.Join(args, " "), r.code, r.errOut)
		}
		rep, replay := withoutReplay(t, []byte(r.out))
		return r.code, rep, replay.(map[string]any)
	}
	code, exact, exactReplay := run("--exact")
	if exact["changed"].(float64) == 0 {
		t.Fatalf("the example policies do not differ on the examples: %v", exact["changed"])
	}
	for _, side := range []string{"base", "head"} {
		if m, _ := exactReplay[side].(map[string]any); m["mode"] != "exact" {
			t.Errorf("--exact replay: %v", exactReplay)
		}
	}
	for _, flags := range [][]string{nil, {"--verify-every", "1"}} {
		c, rep, replay := run(flags...)
		if c != code || !reflect.DeepEqual(rep, exact) {
			a, _ := json.Marshal(rep)
			b, _ := json.Marshal(exact)
			t.Errorf("%v: exit %d, --exact %d; reports:\nclasses %s\nexact   %s", flags, c, code, a, b)
		}
		for _, side := range []string{"base", "head"} {
			if m, _ := replay[side].(map[string]any); m["mode"] != "classes" {
				t.Errorf("%v: replay %v", flags, replay)
			}
		}
	}
}

// --verify-every must be at least 1, for simulate and diff alike.
func TestVerifyEveryUsage(t *testing.T) {
	for _, args := range [][]string{
		{"simulate", examplePolicy, "--events", exampleEvents, "--verify-every", "0"},
		{"simulate", examplePolicy, "--events", exampleEvents, "--verify-every", "-3"},
		{"diff", examplePolicy, examplePolicyV2, "--events", exampleEvents, "--verify-every", "0"},
	} {
		r := runCLI(t, nil, args...)
		if r.code != exitUsage || !strings.Contains(r.errOut, "--verify-every must be at least 1") || r.out != "" {
			t.Errorf("mfapolicy %s: exit %d\nstdout %q\nstderr %q", strings.Join(args, " "), r.code, r.out, r.errOut)
		}
	}
	if r := runCLI(t, nil, "simulate", examplePolicy, "--events", exampleEvents, "--verify-every", "x"); r.code != exitUsage {
		t.Errorf("--verify-every x: exit %d", r.code)
	}
}
