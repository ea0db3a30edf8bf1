package fidelity

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/mfapolicy/mfapolicy/compile"
	"github.com/mfapolicy/mfapolicy/internal/classify"
	"github.com/mfapolicy/mfapolicy/policy"
	"github.com/mfapolicy/mfapolicy/simulate"
	"github.com/mfapolicy/mfapolicy/simulate/input"
)

// TestClassPairsTenantMatchExact replays pairs of policies as diff does
// when their tenant: sections differ (simulate.PairOptions.SplitTenant):
// each side derives its decisions under its own enabled factors and MFA
// policy from its class's calls, its derivation cache keyed on what is
// known of the user under that side's tenant. By decision class and all in
// goja, every login's decisions and causes must be the same.
func TestClassPairsTenantMatchExact(t *testing.T) {
	g := NewGen(*flagSeed + 5)
	var in bytes.Buffer
	writeEvents(t, g, &in, 150)
	events := in.Bytes()
	var pairs [][2]string
	for len(pairs) < 6 {
		_, src, _ := draw(t, g, 4, 3)
		pairs = append(pairs, [2]string{src, src}) // the tenant alone changes
		for _, h := range pairHeads(src) {
			pairs = append(pairs, [2]string{src, h})
		}
	}
	pairs = append(pairs, pairConditions...)
	bt := &simulate.Tenant{Name: "base.yaml", Enabled: []string{"otp", "push-notification", "phone", "email"}, Policy: simulate.PolicyConfidenceScore}
	ht := &simulate.Tenant{Name: "head.yaml", Enabled: []string{"otp", "webauthn-platform"}, Policy: simulate.PolicyAllApplications}
	causes := map[simulate.Cause]int{}
	for i, pair := range pairs {
		var sides [2]*policy.Policy
		var code [2]*compile.Result
		ok := true
		for k, src := range pair {
			p, diags := policy.Parse("pair.yaml", []byte(src))
			if diags.HasErrors() {
				ok = false // a derived head may trip a lint
				break
			}
			res, err := compile.Compile(p, compile.Options{})
			if err != nil {
				t.Fatalf("%v\n%s", err, src)
			}
			sides[k], code[k] = p, res
		}
		if !ok {
			continue
		}
		run := func(classes bool) []string {
			var bc, hc simulate.Classifier
			if classes {
				b, err := classify.New(sides[0])
				h, err2 := classify.New(sides[1])
				if err != nil || err2 != nil {
					t.Fatalf("classify: %v, %v", err, err2)
				}
				bc, hc = b, h
			}
			bo := simulate.Options{Code: code[0].Code, CodeName: "base.js", Rules: code[0].Rules, RuleFields: sides[0].RuleFields(), Fields: code[0].Fields,
				Classifier: bc, VerifyEvery: 1 << 30, Workers: 2, Timeout: time.Minute, Tenant: bt,
				Inputs: []input.Input{input.ReaderInput("events.ndjson", bytes.NewReader(events))}}
			ho := simulate.Options{Code: code[1].Code, CodeName: "head.js", Rules: code[1].Rules, RuleFields: sides[1].RuleFields(), Fields: code[1].Fields, Classifier: hc}
			var out []string
			_, _, err := simulate.RunPair(context.Background(), simulate.PairOptions{Options: bo, Head: ho, SplitTenant: true, HeadTenant: ht,
				OnPair: func(p simulate.Pair) error {
					for _, c := range p.Causes {
						causes[c]++
					}
					b, err := json.Marshal([]any{p.Base, p.Head, p.Causes})
					out = append(out, string(b))
					return err
				}})
			if err != nil {
				t.Fatalf("pair %d, classes %v: %v", i, classes, err)
			}
			return out
		}
		exact, got := run(false), run(true)
		if len(got) != len(exact) {
			t.Fatalf("pair %d: %d logins by class, %d exact", i, len(got), len(exact))
		}
		for j := range exact {
			if got[j] != exact[j] {
				t.Fatalf("pair %d, line %d:\nclasses %s\nexact   %s\nbase:\n%s\nhead:\n%s", i, j+1, got[j], exact[j], pair[0], pair[1])
			}
		}
	}
	for _, c := range []simulate.Cause{simulate.CauseRules, simulate.CauseFactors, simulate.CauseMFAPolicy} {
		if causes[c] == 0 {
			t.Errorf("no change caused by %s: %v", c, causes)
		}
	}
}

// writeEvents writes n generated events as NDJSON.
func writeEvents(t *testing.T, g *Gen, in *bytes.Buffer, n int) {
	t.Helper()
	for range n {
		line, err := json.Marshal(g.Event())
		if err != nil {
			t.Fatal(err)
		}
		in.Write(line)
		in.WriteByte('\n')
	}
}
