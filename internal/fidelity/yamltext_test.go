package fidelity

import (
	"encoding/json"
	"testing"
)

// TestReasonSurvivesYAML compiles deny reasons holding U+2028, U+2029 and
// U+0085 before a space, in each YAML scalar style, and checks that the
// reason reaches api.access.deny byte for byte in Node.js and in goja.
func TestReasonSurvivesYAML(t *testing.T) {
	reason := "Blocked:\u2028 ask\u2029  the help desk\u0085 (ref\u00a0A)"
	quoted, _ := json.Marshal(reason)
	styles := map[string]string{
		"plain":   "    reason: " + reason + "\n",
		"single":  "    reason: '" + reason + "'\n",
		"double":  "    reason: " + string(quoted) + "\n",
		"literal": "    reason: |-\n      " + reason + "\n",
	}
	for name, r := range styles {
		src := "name: reasons\nrules:\n  - id: r\n    when: \"true\"\n    then: deny\n" + r + "default: allow\n"
		c, err := NewCase(src)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got := c.Policy.Rules[0].Action.Reason; got != reason {
			t.Fatalf("%s: the policy reads the reason as %q, want %q", name, got, reason)
		}
		events := [][]byte{[]byte("{}")}
		node, err := Node(t.TempDir(), []*Case{c}, events)
		if err != nil {
			t.Fatal(err)
		}
		goja, err := c.Goja(events)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := json.Marshal([]map[string]any{{"args": []string{reason}, "method": "access.deny"}})
		for who, calls := range map[string]json.RawMessage{"node": node[0][0].Calls, "goja": goja[0].Calls} {
			if string(calls) != string(normalizeCalls(want)) {
				t.Errorf("%s: %s called %s, want %s", name, who, calls, normalizeCalls(want))
			}
		}
	}
}
