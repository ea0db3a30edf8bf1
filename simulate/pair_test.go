package simulate

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/mfapolicy/mfapolicy/simulate/input"
)

// RunPair runs both Actions on every login, in input order, and keeps a
// summary per Action.
func TestRunPair(t *testing.T) {
	base := `exports.onExecutePostLogin = async (event, api) => {
  if (event.request.geoip.countryCode !== 'US') api.authentication.challengeWith({type: 'otp'});
};`
	head := `exports.onExecutePostLogin = async (event, api) => {
  if (event.request.geoip.countryCode === 'KP') api.access.deny('no');
};`
	var b strings.Builder
	countries := []string{"US", "KP", "FR"}
	const n = 900
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, `{"request":{"geoip":{"countryCode":%q}},"user":{"user_id":"u%d"}}`+"\n", countries[i%3], i)
	}
	b.WriteString("not json\n")
	var got []Pair
	bs, hs, err := RunPair(context.Background(), PairOptions{
		Options: Options{Workers: 3, Code: []byte(base), CodeName: "base.js", Inputs: []input.Input{input.ReaderInput("e", strings.NewReader(b.String()))}},
		Head:    Options{Code: []byte(head), CodeName: "head.js"},
		OnPair:  func(p Pair) error { got = append(got, keptPair(p)); return nil },
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != n || bs.Replayed != n || hs.Replayed != n || bs.Malformed != 1 || hs.Malformed != 1 {
		t.Fatalf("%d pairs, base %+v head %+v", len(got), bs, hs)
	}
	for i, p := range got {
		if p.Event.Line != i+1 || p.Base.Line != i+1 || p.Head.Line != i+1 {
			t.Fatalf("pair %d out of order: %d %d %d", i, p.Event.Line, p.Base.Line, p.Head.Line)
		}
		wantBase, wantHead := Challenge, Allow
		switch countries[i%3] {
		case "US":
			wantBase = Allow
		case "KP":
			wantHead = Deny
		}
		if p.Base.Outcome != wantBase || p.Head.Outcome != wantHead {
			t.Fatalf("pair %d: %s → %s", i, p.Base.Outcome, p.Head.Outcome)
		}
	}
	if hs.Action != "head.js" || bs.Action != "base.js" || hs.Outcomes[3].Count != n/3 {
		t.Errorf("head summary %+v", hs)
	}
}

// A decision rests on missing data when a rule evaluated up to the
// deciding one reads an absent field; rules after it do not count, nor
// does the enrolment the simulator fills in from its assumption.
func TestMissingData(t *testing.T) {
	code := `exports.decide = (event) => {
  const geo = (event.request || {}).geoip || {};
  if (geo.countryCode === 'KP') return {rule: 'kp', outcome: 'deny'};
  if (((event.authentication || {}).riskAssessment || {}).confidence === 'low') return {rule: 'low', outcome: 'challenge'};
  if ((event.user.enrolledFactors || []).length === 0) return {rule: 'none', outcome: 'allow'};
  return {rule: '', outcome: 'allow'};
};
exports.onExecutePostLogin = async (event, api) => {
  const d = exports.decide(event);
  if (d.outcome === 'deny') api.access.deny('no');
  if (d.outcome === 'challenge') api.authentication.challengeWith({type: 'otp'});
};`
	in := strings.Join([]string{
		`{"request":{"geoip":{"countryCode":"KP"}}}`,
		`{"request":{}}`,
		`{"request":{"geoip":{"countryCode":"FR"}},"authentication":{"riskAssessment":{"confidence":"low"}}}`,
		`{"request":{"geoip":null},"authentication":{"riskAssessment":{"confidence":"high"}},"user":{"enrolledFactors":[]}}`,
	}, "\n")
	var got []string
	sum, err := Run(context.Background(), Options{Workers: 1, Code: []byte(code),
		Rules: []string{"kp", "low", "none"},
		RuleFields: map[string][]string{
			"kp":   {"request.geoip.countryCode"},
			"low":  {"authentication.riskAssessment.confidence"},
			"none": {"user.enrolledFactors"},
		},
		Inputs:     []input.Input{input.ReaderInput("e", strings.NewReader(in))},
		OnDecision: func(d Decision) error { got = append(got, fmt.Sprint(d.Rule, d.Missing)); return nil },
	})
	if err != nil {
		t.Fatal(err)
	}
	want := "[kp[] [authentication.riskAssessment.confidence request.geoip.countryCode] low[] none[request.geoip.countryCode]]"
	if fmt.Sprint(got) != want {
		t.Errorf("got  %v\nwant %s", got, want)
	}
	if m := sum.MissingData; m == nil || m.Count != 2 || fmt.Sprint(m.Fields) != "[{request.geoip.countryCode 2 100} {authentication.riskAssessment.confidence 1 50}]" {
		t.Errorf("summary %+v", sum.MissingData)
	}
}

// With CountsOnly the summaries keep the counts and drop the breakdowns.
func TestRunPairCountsOnly(t *testing.T) {
	code := `exports.onExecutePostLogin = async (event, api) => {
  if (event.request.geoip.countryCode !== 'US') api.authentication.challengeWith({type: 'otp'});
};`
	events := `{"request":{"geoip":{"countryCode":"US"}},"authentication":{"methods":[{"name":"pwd","timestamp":"2026-03-01T10:00:00Z"}]}}
{"request":{"geoip":{"countryCode":"FR"}}}
{"request":{}}
not json
`
	run := func(countsOnly bool) (*Summary, *Summary) {
		bs, hs, err := RunPair(context.Background(), PairOptions{
			Options:    Options{Workers: 1, Code: []byte(code), Inputs: []input.Input{input.ReaderInput("e", strings.NewReader(events))}},
			Head:       Options{Code: []byte(code)},
			CountsOnly: countsOnly,
		})
		if err != nil {
			t.Fatal(err)
		}
		return bs, hs
	}
	fb, fh := run(false)
	cb, ch := run(true)
	for _, s := range []*Summary{cb, ch} {
		if fmt.Sprint(s.Outcomes) != fmt.Sprint(fb.Outcomes) || s.Replayed != 3 || s.Malformed != 1 || s.Read != 4 {
			t.Errorf("counts: %+v, want the outcomes %v of 3 replayed, 1 malformed", s, fb.Outcomes)
		}
		if len(s.TopCountries) != 0 || len(s.Days) != 0 || len(s.Assumptions) != 0 {
			t.Errorf("breakdowns kept: countries %v, days %v, assumptions %v", s.TopCountries, s.Days, s.Assumptions)
		}
	}
	if len(fh.TopCountries) == 0 || len(fh.Days) == 0 || len(fh.Assumptions) == 0 {
		t.Errorf("the full summary lacks its breakdowns: %+v", fh)
	}
}

// keptPair copies what a Pair points to, which the run reuses once OnPair
// returns.
func keptPair(p Pair) Pair {
	ev, b, h := *p.Event, *p.Base, *p.Head
	return Pair{Event: &ev, Base: &b, Head: &h, Causes: p.Causes}
}
