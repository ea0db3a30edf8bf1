package compile

import (
	"encoding/json"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/dop251/goja"
	"github.com/mfapolicy/mfapolicy/policy"
)

// listInherited is the JavaScript that lists the names JSON values
// inherit.
const listInherited = `JSON.stringify([Object.prototype, Array.prototype, String.prototype, Number.prototype, Boolean.prototype].flatMap((p) => Object.getOwnPropertyNames(p)))`

// TestInheritedNames checks that quickRead's list holds every property
// JSON values inherit in the installed Node.js and in goja: a name
// missing from it could let ?. find an inherited value.
func TestInheritedNames(t *testing.T) {
	out, err := exec.Command("node", "-p", listInherited).Output()
	if err != nil {
		t.Fatalf("node: %v", err)
	}
	var fromNode []string
	if err := json.Unmarshal(out, &fromNode); err != nil {
		t.Fatal(err)
	}
	v, err := goja.New().RunString(listInherited)
	if err != nil {
		t.Fatal(err)
	}
	var fromGoja []string
	if err := json.Unmarshal([]byte(v.String()), &fromGoja); err != nil {
		t.Fatal(err)
	}
	for _, n := range slices.Concat(fromNode, fromGoja) {
		if !inheritedNames[n] {
			t.Errorf("%q is inherited by JSON values but missing from inheritedNames", n)
		}
		if quickName(n) {
			t.Errorf("quickName(%q) is true", n)
		}
	}
	if len(fromNode) < 50 || len(fromGoja) < 50 {
		t.Fatalf("too few names listed: %d from Node.js, %d from goja", len(fromNode), len(fromGoja))
	}
}

// TestQuickReads runs the inline fast path of every kind of scalar read
// on events whose fields are absent, null, of the wrong type, or reached
// through arrays, strings and numbers, in goja and Node.js, and checks
// each against policy.Evaluate.
func TestQuickReads(t *testing.T) {
	pol := `name: quick
on_error: deny
rules:
  - id: s
    when: event.request.geoip.countryCode == 'FR'
    then: challenge
    factors: [otp]
  - id: b
    when: event.user.email_verified
    then: enroll
    factors: [otp]
  - id: d
    when: event.request.geoip.latitude > 10.5
    then: challenge
    factors: [email]
  - id: i
    when: event.stats.logins_count > 3
    then: deny
    reason: many
  - id: h
    when: has(event.client.name)
    then: challenge
    factors: [phone]
  - id: l
    when: "'admin' in event.authorization.roles"
    then: challenge
    factors: [webauthn-roaming]
  - id: lo
    when: size(event.user.enrolledFactors) == 2
    then: enroll
    factors: [webauthn-platform]
default: allow
`
	events := []string{
		`{}`, `null`, `[]`, `"request"`, `7`,
		`{"request":null}`, `{"request":[]}`, `{"request":"geoip"}`, `{"request":{"geoip":[1,2]}}`,
		`{"request":{"geoip":{"countryCode":"FR"}}}`, `{"request":{"geoip":{"countryCode":["FR"]}}}`,
		`{"request":{"geoip":{"countryCode":7}}}`, `{"request":{"geoip":{"countryCode":null}}}`,
		`{"request":{"geoip":{"latitude":11}}}`, `{"request":{"geoip":{"latitude":"11"}}}`,
		`{"user":{"email_verified":true}}`, `{"user":{"email_verified":"true"}}`, `{"user":true}`,
		`{"stats":{"logins_count":4}}`, `{"stats":{"logins_count":4.5}}`, `{"stats":{"logins_count":1e300}}`,
		`{"stats":{"logins_count":9007199254740993}}`, `{"stats":{"logins_count":-0}}`, `{"stats":{"logins_count":"4"}}`,
		`{"client":{"name":""}}`, `{"client":{"name":null}}`, `{"client":"name"}`, `{"client":["name"]}`, `{"client":{"name":0}}`,
		`{"authorization":{"roles":["admin"]}}`, `{"authorization":{"roles":["x",1]}}`, `{"authorization":{"roles":"admin"}}`,
		`{"authorization":{"roles":{"0":"admin"}}}`, `{"authorization":{"roles":null}}`, `{"authorization":["roles"]}`,
		`{"user":{"enrolledFactors":[{},{}]}}`, `{"user":{"enrolledFactors":[1,2]}}`, `{"user":{"enrolledFactors":[null,{}]}}`,
		`{"user":{"enrolledFactors":"xx"}}`, `{"user":{"enrolledFactors":[[],{}]}}`,
	}
	p, diags := policy.Parse("quick.yaml", []byte(pol))
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	res, err := Compile(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(res.Code), "fv = event?.stats?.logins_count") || !strings.Contains(string(res.Code), "event?.client?.name != null") ||
		!strings.Contains(string(res.Code), `list_object(fv, "user.enrolledFactors")`) {
		t.Fatal("the compiled code has no inline fast path")
	}
	run := policyRun{name: "quick", p: p, code: res.Code}
	for _, e := range events {
		var ev any
		if err := json.Unmarshal([]byte(e), &ev); err != nil {
			t.Fatal(err)
		}
		run.events = append(run.events, ev)
	}
	n, errored := checkDecisions(t, []policyRun{run})
	if n != len(events) || errored < 10 {
		t.Fatalf("%d decisions compared, %d errored: expected %d, with the wrong types erroring", n, errored, len(events))
	}
}
