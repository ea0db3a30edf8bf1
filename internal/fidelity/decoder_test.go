package fidelity

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/mfapolicy/mfapolicy/compile"
	"github.com/mfapolicy/mfapolicy/internal/eventgen"
	"github.com/mfapolicy/mfapolicy/policy"
	"github.com/mfapolicy/mfapolicy/simulate"
	"github.com/mfapolicy/mfapolicy/simulate/input"
)

// wholeUses are policies that use event objects as values as well as
// walking through them: their objects must be built whole for the
// decisions to stay the same.
var wholeUses = []string{
	`size(dyn(event.client)) > 2 && event.client.name == 'Billing'`,
	`'client_id' in dyn(event.client) || event.client.name == ''`,
	`[event.request.geoip] == [event.request.geoip] && size(dyn(event.request.geoip)) == 1 && event.request.geoip.countryCode == 'US'`,
	`dyn(event) == dyn(event) && size(dyn(event)) < 4 && event.request.ip == '1.2.3.4'`,
	`event.authentication.methods.exists(m, size(dyn(m)) > 1 && m.name == 'mfa')`,
	`event.user.enrolledFactors.exists(f, [f] == [f] && f.type == 'otp') && size(dyn(event.user)) > 1`,
}

// TestDecoderDecisions replays generated policies over generated events
// twice: with events built by the simulator's decoder from only the fields
// the compiled policy reads (what mfapolicy simulate does), and with
// JSON.parse building whole events. Every decision must be the same.
func TestDecoderDecisions(t *testing.T) {
	g := NewGen(*flagSeed + 1)
	var lines [][]byte
	for range 60 {
		line, err := json.Marshal(g.Event())
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, line)
	}
	real := eventgen.New(*flagSeed)
	for range 40 {
		lines = append(lines, real.Event())
	}
	// Raw shapes json.Marshal never writes: duplicate keys (the last
	// wins), "__proto__" keys, escapes, numbers written differently.
	lines = append(lines,
		[]byte(`{"request":{"geoip":{"countryCode":"KP"}},"client":{"name":"x"},"request":{"ip":"1.2.3.4","geoip":{"countryCode":"US","countryCode":"CA"}}}`),
		[]byte(`{"__proto__":{"request":{"ip":"1.2.3.4"}},"client":{"__proto__":{"name":"Billing"},"name":"Bil\u006cing"}}`),
		[]byte(`{"stats":{"logins_count":4.0e0},"user":{"enrolledFactors":[{"type":"otp","type":"email"}],"app_metadata":{"a":1E2}}}`),
		[]byte(`{"authentication":{"riskAssessment":{"confidence":"\u006cow","assessments":{"UntrustedIP":{"code":"found_on_deny_list"}}}},"authorization":{"roles":["ad\u006din"]}}`),
	)
	var in bytes.Buffer
	for _, l := range lines {
		in.Write(l)
		in.WriteByte('\n')
	}
	var srcs []string
	for range 150 {
		_, src, _ := draw(t, g, 4, 3)
		srcs = append(srcs, src)
	}
	for i, w := range wholeUses {
		srcs = append(srcs, fmt.Sprintf("name: whole%d\nrules:\n  - id: r\n    when: %q\n    then: deny\n    reason: x\ndefault: allow\n", i, w))
	}
	compared := 0
	for i, src := range srcs {
		p, diags := policy.Parse("generated.yaml", []byte(src))
		if diags.HasErrors() {
			t.Fatalf("policy %d: %v\n%s", i, diags, src)
		}
		res, err := compile.Compile(p, compile.Options{})
		if err != nil {
			t.Fatalf("policy %d: %v\n%s", i, err, src)
		}
		run := func(fields []string, parse bool) []string {
			var out []string
			_, err := simulate.Run(context.Background(), simulate.Options{
				Code: res.Code, CodeName: "code.js", Rules: res.Rules, RuleFields: p.RuleFields(),
				Fields: fields, ParseEvents: parse, Workers: 2, Timeout: time.Minute,
				Inputs: []input.Input{input.ReaderInput("events.ndjson", bytes.NewReader(in.Bytes()))},
				OnDecision: func(d simulate.Decision) error {
					b, err := json.Marshal(d)
					out = append(out, string(b))
					return err
				},
			})
			if err != nil {
				t.Fatalf("policy %d: %v", i, err)
			}
			return out
		}
		fast, ref := run(res.Fields, false), run(nil, true)
		if len(fast) != len(ref) {
			t.Fatalf("policy %d: %d decisions, JSON.parse made %d", i, len(fast), len(ref))
		}
		for j := range ref {
			if fast[j] != ref[j] {
				t.Fatalf("policy %d, line %d: decoded only %s\n got  %s\nwant %s (JSON.parse)\n\n%s", i, j+1, strings.Join(res.Fields, ", "), fast[j], ref[j], src)
			}
			compared++
		}
	}
	t.Logf("%d policy × event decisions agree between the decoder (fields read only) and JSON.parse", compared)
}
