package compile

import (
	"encoding/json"
	"fmt"
	"reflect"
	"testing"

	"github.com/mfapolicy/mfapolicy/policy"
)

// policyRun is a compiled policy and the events it decides, for the
// agreement check between the reference evaluator and the Action.
type policyRun struct {
	name   string
	p      *policy.Policy
	code   []byte
	events []any // as encoding/json decodes them
}

// verdict is the part of a decision the reference evaluator and the Action
// share; error messages differ between cel-go and the runtime, so only the
// fact of an error is compared.
type verdict struct {
	Rule    string   `json:"rule"`
	Outcome string   `json:"outcome"`
	Factors []string `json:"factors"`
	Reason  string   `json:"reason"`
	Errored bool     `json:"errored"`
}

func (v verdict) String() string {
	b, _ := json.Marshal(v)
	return string(b)
}

func referenceVerdict(p *policy.Policy, event any) verdict {
	d := p.Evaluate(event)
	return verdict{Rule: d.Rule, Outcome: string(d.Outcome), Factors: append([]string{}, d.Factors...),
		Reason: d.Reason, Errored: d.Error != ""}
}

func jsVerdict(r jsResult) (verdict, error) {
	if r.Throw != nil {
		return verdict{}, fmt.Errorf("decide threw %q", *r.Throw)
	}
	var d struct {
		verdict
		Error string `json:"error"`
	}
	if err := json.Unmarshal(r.OK, &d); err != nil {
		return verdict{}, err
	}
	d.Errored = d.Error != ""
	if d.Factors == nil {
		d.Factors = []string{}
	}
	return d.verdict, nil
}

// checkDecisions runs decide(event) of every run's code on its events, in
// goja and in one Node.js process for all, and compares each decision with
// policy.Evaluate. It returns the number of decisions compared and how
// many took the on_error path.
func checkDecisions(t *testing.T, runs []policyRun) (compared, errored int) {
	t.Helper()
	codes := make([][]byte, len(runs))
	var calls []jsCall
	var want []verdict
	for i, r := range runs {
		codes[i] = r.code
		for _, ev := range r.events {
			calls = append(calls, jsCall{Mod: i, Fn: "decide", Args: []any{ev}})
			want = append(want, referenceVerdict(r.p, ev))
		}
	}
	got := runBothModules(t, codes, calls)
	bad := 0
	for i, c := range calls {
		g, err := jsVerdict(got[i])
		if err == nil && reflect.DeepEqual(g, want[i]) {
			if g.Errored {
				errored++
			}
			continue
		}
		bad++
		if bad > 20 {
			continue
		}
		ev, _ := json.Marshal(c.Args[0])
		if err != nil {
			t.Errorf("%s on %s: %v; cel-go %v", runs[c.Mod].name, ev, err, want[i])
		} else {
			t.Errorf("%s on %s:\n  cel-go %v\n  JS     %v", runs[c.Mod].name, ev, want[i], g)
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d decisions disagree", bad, len(calls))
	}
	return len(calls), errored
}
