package fidelity

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/mfapolicy/mfapolicy/compile"
	"github.com/mfapolicy/mfapolicy/policy"
	"github.com/mfapolicy/mfapolicy/simulate"
	"github.com/mfapolicy/mfapolicy/simulate/input"
)

// Verdict is what one evaluator decided for one policy and event, in the
// terms all three share.
type Verdict struct {
	Rule    string   `json:"rule"`
	Outcome string   `json:"outcome"`
	Factors []string `json:"factors,omitempty"`
	Reason  string   `json:"reason,omitempty"`
	Errored bool     `json:"errored"`
	// Calls are the api calls the Action made (JavaScript evaluators only).
	Calls json.RawMessage `json:"calls,omitempty"`
}

// Case is a compiled policy ready to be run.
type Case struct {
	Source string
	Policy *policy.Policy
	Code   []byte
	// Fields and RuleFields are what the simulator is told of the
	// compiled policy, as mfapolicy simulate tells it.
	Fields     []string
	RuleFields map[string][]string
}

// NewCase checks and compiles a policy.
func NewCase(src string) (*Case, error) {
	p, diags := policy.Parse("generated.yaml", []byte(src))
	if diags.HasErrors() {
		return nil, diags
	}
	res, err := compile.Compile(p, compile.Options{})
	if err != nil {
		return nil, err
	}
	return &Case{Source: src, Policy: p, Code: res.Code, Fields: res.Fields, RuleFields: p.RuleFields()}, nil
}

// Clock is the time of every login the differential replays: `now` in
// cel-go, and the clock of goja and Node.js.
var Clock = time.Date(2026, time.March, 10, 12, 30, 15, 250_000_000, time.UTC)

// Reference evaluates the policy with cel-go, on the event as Auth0 hands
// it to the Action: with event.user.multifactor derived when it does not
// carry it (simulate.DeriveMultifactor; event is not changed).
func (c *Case) Reference(event any) Verdict {
	d := c.Policy.EvaluateAt(withMultifactor(event), Clock)
	return Verdict{Rule: d.Rule, Outcome: string(d.Outcome), Factors: nonNil(d.Factors), Reason: d.Reason, Errored: d.Error != ""}
}

// withMultifactor is event with event.user.multifactor derived, the
// event's own maps left as they are.
func withMultifactor(event any) any {
	ev, ok := event.(map[string]any)
	if !ok {
		return event
	}
	user, ok := ev["user"].(map[string]any)
	if !ok {
		return event
	}
	out := maps.Clone(ev)
	out["user"] = maps.Clone(user)
	if simulate.DeriveMultifactor(out) == "" {
		return event
	}
	return out
}

func nonNil(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return s
}

// Goja runs the compiled Action on every event with the simulator and
// returns, per event, the deciding rule, whether it errored, and the calls.
func (c *Case) Goja(events [][]byte) ([]Verdict, error) { return c.GojaAt(events, Clock) }

// GojaAt is Goja with the clock at now.
func (c *Case) GojaAt(events [][]byte, now time.Time) ([]Verdict, error) {
	var buf bytes.Buffer
	for _, e := range events {
		buf.Write(e)
		buf.WriteByte('\n')
	}
	var out []Verdict
	_, err := simulate.Run(context.Background(), simulate.Options{
		Code:       c.Code,
		CodeName:   "code.js",
		Fields:     c.Fields,
		RuleFields: c.RuleFields,
		Inputs:     []input.Input{input.ReaderInput("events.ndjson", &buf)},
		Workers:    1,
		Strict:     true,
		KeepEvents: true,
		Now:        now,
		FixedNow:   true,        // the reference evaluator reads now as this time
		Timeout:    time.Minute, // no loops here: a busy machine must not fake an error
		OnDecision: func(d simulate.Decision) error {
			calls, err := json.Marshal(d.Calls)
			if err != nil {
				return err
			}
			if d.Outcome == simulate.Error && d.Rule == "" {
				return fmt.Errorf("line %d: the Action failed: %s", d.Line, d.Error)
			}
			for _, n := range d.Notes {
				if strings.Contains(n, "decide") {
					return fmt.Errorf("line %d: %s", d.Line, n)
				}
			}
			out = append(out, Verdict{Rule: d.Rule, Errored: d.Error != "", Calls: normalizeCalls(calls)})
			return nil
		},
	})
	return out, err
}

// Node runs every case's code.js in Node.js over the same events with
// harness/node/replay.js. It returns verdicts indexed [case][event].
func Node(dir string, cases []*Case, events [][]byte) ([][]Verdict, error) {
	return NodeAt(dir, cases, events, Clock)
}

// NodeAt is Node with the clock at now.
func NodeAt(dir string, cases []*Case, events [][]byte, now time.Time) ([][]Verdict, error) {
	var files []string
	for i, c := range cases {
		f := filepath.Join(dir, fmt.Sprintf("code_%d.js", i))
		if err := os.WriteFile(f, c.Code, 0o644); err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	evFile := filepath.Join(dir, "events.ndjson")
	if err := os.WriteFile(evFile, append(bytes.Join(events, []byte("\n")), '\n'), 0o644); err != nil {
		return nil, err
	}
	args := []string{harnessPath(), "--events", evFile, "--now", strconv.FormatInt(now.UnixMilli(), 10)}
	cmd := exec.Command("node", append(args, files...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("node: %v: %s", err, stderr.String())
	}
	out := make([][]Verdict, len(cases))
	for i := range out {
		out[i] = make([]Verdict, len(events))
	}
	sc := bufio.NewScanner(bytes.NewReader(stdout))
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	seen := 0
	for sc.Scan() {
		var rec struct {
			Action int             `json:"action"`
			Line   int             `json:"line"`
			Decide *nodeDecide     `json:"decide"`
			Calls  json.RawMessage `json:"calls"`
			Error  string          `json:"error"`
		}
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			return nil, fmt.Errorf("node output: %v", err)
		}
		if rec.Error != "" || rec.Decide == nil {
			return nil, fmt.Errorf("node: action %d line %d: the Action failed: %s", rec.Action, rec.Line, rec.Error)
		}
		d := rec.Decide
		out[rec.Action][rec.Line-1] = Verdict{Rule: d.Rule, Outcome: d.Outcome, Factors: nonNil(d.Factors),
			Reason: d.Reason, Errored: d.Error != "", Calls: normalizeCalls(rec.Calls)}
		seen++
	}
	if seen != len(cases)*len(events) {
		return nil, fmt.Errorf("node printed %d records, want %d", seen, len(cases)*len(events))
	}
	return out, sc.Err()
}

type nodeDecide struct {
	Rule    string   `json:"rule"`
	Outcome string   `json:"outcome"`
	Factors []string `json:"factors"`
	Reason  string   `json:"reason"`
	Error   string   `json:"error"`
}

// normalizeCalls re-encodes a JSON call list so that the two runtimes'
// spellings of the same value compare equal byte for byte.
func normalizeCalls(raw []byte) json.RawMessage {
	var v any
	if err := json.Unmarshal(raw, &v); err != nil || v == nil {
		return json.RawMessage("[]")
	}
	out, _ := json.Marshal(v)
	return out
}

func harnessPath() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "harness", "node", "replay.js")
}

// Compare returns a description of how the three verdicts differ, or "".
func Compare(ref, goja, node Verdict) string {
	var diffs []string
	refCore := Verdict{Rule: ref.Rule, Outcome: ref.Outcome, Factors: ref.Factors, Reason: ref.Reason, Errored: ref.Errored}
	nodeCore := Verdict{Rule: node.Rule, Outcome: node.Outcome, Factors: node.Factors, Reason: node.Reason, Errored: node.Errored}
	if !reflect.DeepEqual(refCore, nodeCore) {
		diffs = append(diffs, fmt.Sprintf("cel-go %s\n  node   %s", show(refCore), show(nodeCore)))
	}
	if goja.Rule != ref.Rule || goja.Errored != ref.Errored {
		diffs = append(diffs, fmt.Sprintf("cel-go rule=%q errored=%v\n  goja   rule=%q errored=%v", ref.Rule, ref.Errored, goja.Rule, goja.Errored))
	}
	if !bytes.Equal(goja.Calls, node.Calls) {
		diffs = append(diffs, fmt.Sprintf("goja calls %s\n  node calls %s", goja.Calls, node.Calls))
	}
	return strings.Join(diffs, "\n  ")
}

func show(v Verdict) string {
	b, _ := json.Marshal(v)
	return string(b)
}
