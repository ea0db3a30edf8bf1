package fidelity

import (
	"encoding/json"
	"testing"
)

// FuzzAgreement mutates a rule condition and an event; whenever the
// condition checks and compiles, cel-go and the compiled Action in goja
// must pick the same rule with the same error-ness. (Node.js is left to
// TestDifferential: one process per input would starve the fuzzer.)
func FuzzAgreement(f *testing.F) {
	g := NewGen(7)
	for range 40 {
		ev, _ := json.Marshal(g.Event())
		f.Add(g.Bool(2), string(ev))
	}
	f.Add(`event.request.geoip.countryCode in ['KP', 'IR']`, `{"request":{"geoip":{"countryCode":"KP"}}}`)
	f.Add(`'\uffff' < event.user.email`, `{"user":{"email":"😀"}}`)
	f.Add(`event.stats.logins_count * 2 > 9223372036854775807 / 2`, `{"stats":{"logins_count":4611686018427387904}}`)
	f.Fuzz(func(t *testing.T, expr, event string) {
		var ev any
		if json.Unmarshal([]byte(event), &ev) != nil {
			return
		}
		src := "name: fuzz\nrules:\n  - id: r\n    when: " + yamlString(expr) + "\n    then: deny\n    reason: x\ndefault: allow\n"
		c, err := NewCase(src)
		if err != nil {
			return // only policies that check and compile are compared
		}
		line, err := json.Marshal(ev)
		if err != nil {
			return
		}
		got, err := c.Goja([][]byte{line})
		if err != nil {
			t.Fatalf("goja: %v\npolicy:\n%s", err, src)
		}
		ref := c.Reference(ev)
		if got[0].Rule != ref.Rule || got[0].Errored != ref.Errored {
			t.Fatalf("cel-go rule=%q errored=%v, goja rule=%q errored=%v\npolicy:\n%s\nevent: %s", ref.Rule, ref.Errored, got[0].Rule, got[0].Errored, src, line)
		}
	})
}
