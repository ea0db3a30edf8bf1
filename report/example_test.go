package report

import (
	"context"
	"io"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/mfapolicy/mfapolicy/diff"
	"github.com/mfapolicy/mfapolicy/simulate"
	"github.com/mfapolicy/mfapolicy/simulate/input"
)

// The example corpus and policies of the repository.
const (
	exampleEvents = "../examples/events.ndjson"
	examplePolicy = "../examples/policy.yaml"
	exampleHead   = "../examples/policy-v2.yaml"
)

var examples struct {
	once sync.Once
	sum  *simulate.Summary
	rep  *diff.Report
	err  error
}

// exampleResults simulates the example policy on the example events and
// diffs it against policy-v2, once per test binary.
func exampleResults(t *testing.T) (*simulate.Summary, *diff.Report) {
	t.Helper()
	examples.once.Do(func() {
		ctx := context.Background()
		base, err := diff.LoadSide(ctx, examplePolicy, "")
		if err != nil {
			examples.err = err
			return
		}
		head, err := diff.LoadSide(ctx, exampleHead, "")
		if err != nil {
			examples.err = err
			return
		}
		// Named as from the repository root, as the pages show them.
		in := func() []input.Input {
			return []input.Input{{Name: "examples/events.ndjson", Open: func() (io.ReadCloser, error) { return os.Open(exampleEvents) }}}
		}
		rules := make([]string, len(base.Policy.Rules))
		for i, r := range base.Policy.Rules {
			rules[i] = r.ID
		}
		examples.sum, examples.err = simulate.Run(ctx, simulate.Options{Code: base.Code.Code, CodeName: "examples/policy.yaml",
			Rules: rules, RuleFields: base.Fields, Inputs: in(), Timeout: time.Minute})
		if examples.err != nil {
			return
		}
		examples.rep, examples.err = diff.Run(ctx, base, head, diff.Options{Inputs: in(), MaxChange: -1, Timeout: time.Minute})
		if examples.err == nil {
			examples.rep = examples.rep.Redact([]byte("report"))
			examples.rep.Base.Name, examples.rep.Base.File = "examples/policy.yaml", "examples/policy.yaml"
			examples.rep.Head.Name, examples.rep.Head.File = "examples/policy-v2.yaml", "examples/policy-v2.yaml"
		}
	})
	if examples.err != nil {
		t.Fatal(examples.err)
	}
	return examples.sum, examples.rep
}
