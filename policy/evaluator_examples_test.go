package policy_test

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/mfapolicy/mfapolicy/policy"
)

// exampleEvents decodes examples/events.ndjson as encoding/json decodes
// into any, leaving out its few malformed records (the corpus has some on
// purpose).
func exampleEvents(t *testing.T) []any {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "examples", "events.ndjson"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var events []any
	malformed := 0
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var ev any
		if err := json.Unmarshal(sc.Bytes(), &ev); err != nil {
			malformed++
			continue
		}
		events = append(events, ev)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(events) < 1000 || malformed > len(events)/100 {
		t.Fatalf("%d example events, %d malformed", len(events), malformed)
	}
	return events
}

func loadExample(t *testing.T, name string) *policy.Policy {
	t.Helper()
	p, diags := policy.Load(filepath.Join("..", "examples", name))
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	return p
}

// decideRule names the rule Evaluator.Decide's index stands for.
func decideRule(p *policy.Policy, i int) string {
	if i == len(p.Rules) {
		return ""
	}
	return p.Rules[i].ID
}

// The prepared evaluator decides every example login as Evaluate does:
// the same rule, erroring or not, with the same message.
func TestEvaluatorDecidesAsEvaluate(t *testing.T) {
	events := exampleEvents(t)
	// Events the examples lack: absent, null and wrong-typed fields that
	// make rules error, and duplicate-free edge values.
	var extra []any
	for _, s := range []string{
		`{}`, `null`, `[]`, `{"request":null}`, `{"request":{"geoip":{"countryCode":5}}}`,
		`{"request":{"ip":"garbage","geoip":{"countryCode":"FR"}},"authentication":{"riskAssessment":{"confidence":"high"}}}`,
		`{"authorization":{"roles":["admin",7]}}`, `{"user":{"enrolledFactors":"otp"},"stats":{"logins_count":5}}`,
		`{"stats":{"logins_count":1.5},"user":{"enrolledFactors":[]}}`, `{"stats":{"logins_count":-0},"user":{"enrolledFactors":[]}}`,
		`{"client":{"name":["Billing"]}}`, `{"authentication":{"riskAssessment":{"assessments":{"UntrustedIP":"x"}}}}`,
	} {
		var ev any
		if err := json.Unmarshal([]byte(s), &ev); err != nil {
			t.Fatal(err)
		}
		extra = append(extra, ev)
	}
	for _, name := range []string{"policy.yaml", "policy-v2.yaml"} {
		p := loadExample(t, name)
		e, err := p.NewEvaluator()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		hits := map[string]int{}
		errored := 0
		for j, ev := range append(append([]any{}, events...), extra...) {
			want := p.Evaluate(ev)
			i, err := e.Decide(ev)
			got := decideRule(p, i)
			if got != want.Rule || (err != nil) != (want.Error != "") || err != nil && err.Error() != want.Error {
				t.Fatalf("%s, event %d: Decide says rule %q, error %v; Evaluate says rule %q, error %q", name, j+1, got, err, want.Rule, want.Error)
			}
			if j < len(events) {
				hits[got]++
			}
			if err != nil {
				errored++
			}
		}
		// The examples reach every rule and the default.
		for _, r := range append(p.Rules, &policy.Rule{ID: ""}) {
			if hits[r.ID] == 0 {
				t.Errorf("%s: no example login decided by %q: %v", name, r.ID, hits)
			}
		}
		if errored == 0 {
			t.Errorf("%s: no rule errored", name)
		}
	}
}

// A Memo decides every example login as its Evaluator does, the second
// time round (from its memo) as the first.
func TestMemoDecidesAsEvaluator(t *testing.T) {
	events := exampleEvents(t)
	for _, name := range []string{"policy.yaml", "policy-v2.yaml"} {
		p := loadExample(t, name)
		e, err := p.NewEvaluator()
		if err != nil {
			t.Fatal(err)
		}
		m := e.NewMemo(policy.JSONPaths)
		for round := range 2 {
			for j, ev := range events {
				wi, werr := e.Decide(ev)
				gi, gerr := m.Decide(policy.JSONFields(ev))
				if gi != wi || (gerr != nil) != (werr != nil) {
					t.Fatalf("%s, round %d, event %d: memo says rule %q, error %v; evaluator %q, error %v", name, round+1, j+1, decideRule(p, gi), gerr, decideRule(p, wi), werr)
				}
			}
		}
	}
}

// A rule that reads a member of a map(string, string) field errors when
// any value of that map is not a string (docs/semantics.md), so its result
// depends on the whole map: a memo keyed by the member alone would answer
// an event whose other values are wrong with an earlier event's result.
func TestMemoStringMapMember(t *testing.T) {
	for _, when := range []string{
		`event.client.metadata.tier == 'gold'`,
		`has(event.client.metadata.tier)`,
		`event.connection.metadata.region != 'eu'`,
	} {
		p, diags := policy.Parse("memo.yaml", []byte("name: memo\non_error: deny\nrules:\n  - id: r\n    when: \""+when+"\"\n    then: challenge\n    factors: [otp]\ndefault: allow\n"))
		if diags.HasErrors() {
			t.Fatal(diags)
		}
		e, err := p.NewEvaluator()
		if err != nil {
			t.Fatal(err)
		}
		m := e.NewMemo(policy.JSONPaths)
		for _, s := range []string{
			`{"client":{"metadata":{"tier":"free","region":"eu"}},"connection":{"metadata":{"region":"us","tier":"x"}}}`,
			`{"client":{"metadata":{"tier":"free","region":5}},"connection":{"metadata":{"region":"us","tier":5}}}`,
			`{"client":{"metadata":{"tier":"gold","region":"eu"}},"connection":{"metadata":{"region":"eu","tier":"x"}}}`,
			`{"client":{"metadata":{"tier":"gold","region":null}},"connection":{"metadata":{"region":"eu","tier":null}}}`,
		} {
			var ev any
			if err := json.Unmarshal([]byte(s), &ev); err != nil {
				t.Fatal(err)
			}
			wi, werr := e.Decide(ev)
			gi, gerr := m.Decide(policy.JSONFields(ev))
			if gi != wi || (gerr != nil) != (werr != nil) {
				t.Errorf("%s on %s: memo says rule %q, error %v; evaluator %q, error %v", when, s, decideRule(p, gi), gerr, decideRule(p, wi), werr)
			}
		}
	}
}
