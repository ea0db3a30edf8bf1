package simulate

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/dop251/goja"

	"github.com/mfapolicy/mfapolicy/simulate/engine"
	"github.com/mfapolicy/mfapolicy/simulate/input"
)

// reuseFields are the paths the events of the reuse tests are built
// after, as a compiled policy's would be.
var reuseFields = []string{"request.ip", "request.geoip.countryCode", "stats.logins_count", "user.enrolledFactors", "user.multifactor", "authentication.riskAssessment.assessments.UntrustedIP.code"}

// reuseEvents change, from one to the next, a value, a value's type (an
// object becoming a string and back, 0 becoming -0), the members' order,
// a member's presence, and hold duplicate and escaped keys; some have no
// enrolled factors (the simulator fills the assumed ones in) or have
// event.user.multifactor derived, and their user is absent, null (twice
// in a row: the simulator sets it), a list (whose text is then that of
// the next user's factors) or a string.
var reuseEvents = []string{
	`{"request":{"ip":"1.2.3.4","geoip":{"countryCode":"US"}},"stats":{"logins_count":3},"user":{"enrolledFactors":[{"type":"otp"}]}}`,
	`{"request":{"ip":"1.2.3.5","geoip":{"countryCode":"US"}},"stats":{"logins_count":3},"user":{"enrolledFactors":[{"type":"otp"}]}}`,
	`{"request":{"ip":"1.2.3.5","geoip":{"countryCode":"DE"}},"stats":{"logins_count":-0},"user":{"enrolledFactors":[]}}`,
	`{"request":{"ip":"1.2.3.5","geoip":"DE"},"stats":{"logins_count":0},"user":{"enrolledFactors":[]}}`,
	`{"request":{"ip":"1.2.3.5","geoip":{"countryCode":"DE"}},"stats":{"logins_count":0},"user":{}}`,
	`{"request":{"ip":"1.2.3.5","geoip":{"countryCode":"DE"}},"stats":{"logins_count":0},"user":{}}`,
	`{"request":{"geoip":{"countryCode":"DE"},"ip":"1.2.3.5"},"stats":{"logins_count":0},"user":{"enrolledFactors":[]}}`,
	`{"request":{"geoip":{"countryCode":"DE"},"ip":"1.2.3.5"},"stats":{"logins_count":0},"user":{"enrolledFactors":[],"multifactor":["duo"]}}`,
	`{"request":{"geoip":{"countryCode":"DE"},"ip":"1.2.3.5"},"stats":{"logins_count":0},"user":{"enrolledFactors":[]}}`,
	`{"request":{"geoip":{"countryCode":"DE"},"ip":"1.2.3.5","ip":"9.9.9.9"},"stats":{"logins_count":0}}`,
	`{"request":{"geoip":{"countryCode":"DE"},"ip":"1.2.3.5"},"stats":{"logins_count":0}}`,
	`{"request":{"geoip":{"countryCode":"DE"},"\u0069p":"1.2.3.6"},"stats":{"logins_count":0}}`,
	`{"request":{"geoip":{"countryCode":"DE"},"ip":"1.2.3.6"},"stats":{"logins_count":0},"authentication":{"riskAssessment":{"assessments":{"UntrustedIP":{"code":"x"}}}}}`,
	`{"request":{"geoip":{"countryCode":"DE"},"ip":"1.2.3.6"},"stats":{"logins_count":0},"authentication":{"riskAssessment":{"assessments":{"UntrustedIP":{"code":"y"}}}}}`,
	`{"request":{"geoip":{"countryCode":"DE"},"ip":"1.2.3.6"},"stats":null,"authentication":{"riskAssessment":{"assessments":{"UntrustedIP":{"code":"y"}}}}}`,
	`{"request":{"geoip":{"countryCode":"DE"},"ip":"1.2.3.6"},"stats":{"logins_count":0},"authentication":{"riskAssessment":{"assessments":{"UntrustedIP":{"code":"y"}}}}}`,
	`{"request":{"ip":"1.2.3.6"},"user":null}`,
	`{"request":{"ip":"1.2.3.6"},"user":null}`,
	`{"request":{"ip":"1.2.3.7"},"user":{"enrolledFactors":[{"type":"otp"}]}}`,
	`{"request":{"ip":"1.2.3.7"},"user":[1]}`,
	`{"request":{"ip":"1.2.3.7"},"user":[1]}`,
	`{"request":{"ip":"1.2.3.7"},"user":{"enrolledFactors":[1]}}`,
	`{"request":{"ip":"1.2.3.7"},"user":{}}`,
	`{"request":{"ip":"1.2.3.8"},"user":{}}`,
	`{"request":{"ip":"1.2.3.8"},"user":"x"}`,
	`{"request":{"ip":"1.2.3.8"},"user":{"enrolledFactors":[{"type":"otp"}]}}`,
	`{"request":{"ip":"1.2.3.8"},"user":{"enrolledFactors":[{"type":"otp"}]}}`,
}

// A decoder that reuses objects gives each event what a fresh decoder
// gives it, and does reuse them: an event whose members are those of the
// one before has the same objects.
func TestDecoderReusesObjects(t *testing.T) {
	vm := goja.New()
	shape := shapeOf(t, vm)
	plan := engine.PlanFor([]byte("x"), reuseFields, nil)
	fresh, reused := engine.NewDecoder(vm, plan), engine.NewDecoder(vm, plan)
	fresh.Checked, reused.Checked, reused.Reuse = true, true, true
	var last *goja.Object
	same := 0
	for i, ev := range reuseEvents {
		data := []byte(ev)
		l := input.NewLocated(input.NewFieldTree(reuseFields))
		if !l.Locate(data) {
			t.Fatalf("event %d: not located", i)
		}
		want, err := fresh.Build(data)
		if err != nil {
			t.Fatal(err)
		}
		got, err := reused.BuildIndexed(data, l.IndexOf(data))
		if err != nil {
			t.Fatal(err)
		}
		if sw, sg := shape(want), shape(got); sw != sg {
			t.Errorf("event %d:\n fresh %s\nreused %s", i, sw, sg)
		}
		if got.(*goja.Object) == last {
			same++
		}
		last = got.(*goja.Object)
	}
	if same == 0 {
		t.Error("no event was built in the objects of the one before")
	}
	reused.Forget()
	data := []byte(reuseEvents[len(reuseEvents)-1])
	l := input.NewLocated(input.NewFieldTree(reuseFields))
	l.Locate(data)
	if got, _ := reused.BuildIndexed(data, l.IndexOf(data)); got.(*goja.Object) == last {
		t.Error("after Forget, the event was built in the old objects")
	}
}

// The simulator gives a compiled policy's events (Options.Fields set) the
// objects of the login before, which only code that keeps an event from
// one login to the next could tell. Here an Action that does keep them
// tells so; every Action sees, login by login, what it sees when each
// login is the first of its runtime; and an Action for which Fields is
// not set gets a new event every login.
func TestReusedEventsUnseen(t *testing.T) {
	code := []byte(`let prev = null, prevText = "";
exports.onExecutePostLogin = async (event, api) => {
  api.idToken.setCustomClaim("event", JSON.stringify(event));
  const keys = (v) => v !== null && typeof v === "object" ? Object.keys(v).join() : typeof v;
  api.idToken.setCustomClaim("user", keys(event.user));
  api.idToken.setCustomClaim("factors", keys(event.user?.enrolledFactors));
  api.idToken.setCustomClaim("kept", prev === null || JSON.stringify(prev) === prevText);
  prev = event;
  prevText = JSON.stringify(event);
};`)
	keeps := []byte(`let prev = null;
exports.onExecutePostLogin = async (event, api) => {
  api.idToken.setCustomClaim("same", prev === event);
  prev = event;
};`)
	compiled := Options{Workers: 1, Fields: reuseFields}
	together, _ := replayCode(t, code, "action.js", compiled, reuseEvents...)
	if len(together) != len(reuseEvents) {
		t.Fatalf("%d decisions for %d events", len(together), len(reuseEvents))
	}
	for i, ev := range reuseEvents {
		alone, _ := replayCode(t, code, "action.js", compiled, ev)
		d := together[i]
		d.Line = alone[0].Line
		a, _ := json.Marshal(alone[0])
		b, _ := json.Marshal(d)
		// The second claim differs by design: it is false only where an
		// event was changed under an Action that kept it.
		b = bytes.Replace(b, []byte(`"kept",false`), []byte(`"kept",true`), 1)
		if !bytes.Equal(a, b) {
			t.Errorf("event %d %s:\nalone    %s\ntogether %s", i, ev, a, b)
		}
	}
	sames := func(opts Options) string {
		ds, _ := replayCode(t, keeps, "action.js", opts, reuseEvents...)
		var out []string
		for _, d := range ds {
			out = append(out, string(d.Calls[0].Args[1]))
		}
		return strings.Join(out, ",")
	}
	if got := sames(compiled); !strings.Contains(got, "true") {
		t.Errorf("a compiled policy's events were never reused: %s", got)
	}
	if got := sames(Options{Workers: 1}); strings.Contains(got, "true") {
		t.Errorf("an Action without Fields was given the event of the login before: %s", got)
	}
}

// Two members with the same text are two objects: the simulator adds
// event.user.multifactor and assumed factors to the user alone.
func TestReusedEventsKeepObjectsApart(t *testing.T) {
	code := []byte(`exports.onExecutePostLogin = async (event, api) => {
  api.idToken.setCustomClaim("copy", JSON.stringify(event.copy));
};`)
	ev := `{"user":{"a":[1]},"copy":{"a":[1]}}`
	ds, _ := replayCode(t, code, "action.js", Options{Workers: 1, Fields: []string{"user", "copy"}}, ev, ev, ev)
	for i, d := range ds {
		if got := string(d.Calls[0].Args[1]); got != `"{\"a\":[1]}"` {
			t.Errorf("login %d: event.copy is %s", i, got)
		}
	}
}

// After ForgetMember, the member is built anew and set again on the event,
// whose other objects are still reused: the runner had set a user that was
// null or absent, or changed the user object.
func TestDecoderForgetsOneMember(t *testing.T) {
	vm := goja.New()
	shape := shapeOf(t, vm)
	fields := []string{"request.ip", "user.enrolledFactors"}
	plan := engine.PlanFor([]byte("x"), fields, nil)
	dec := engine.NewDecoder(vm, plan)
	dec.Checked, dec.Reuse = true, true
	build := func(ev string) *goja.Object {
		data := []byte(ev)
		l := input.NewLocated(input.NewFieldTree(fields))
		if !l.Locate(data) {
			t.Fatalf("%s: not located", ev)
		}
		v, err := dec.BuildIndexed(data, l.IndexOf(data))
		if err != nil {
			t.Fatal(err)
		}
		return v.(*goja.Object)
	}
	for _, ev := range []string{
		`{"request":{"ip":"1.2.3.4"},"user":null}`,
		`{"request":{"ip":"1.2.3.4"}}`,
		`{"request":{"ip":"1.2.3.4"},"user":{}}`,
		`{"request":{"ip":"1.2.3.4"},"user":{"enrolledFactors":[]}}`,
	} {
		first := build(ev)
		want := shape(first)
		request := first.Get("request")
		user := first.Get("user")
		set := vm.NewObject()
		_ = set.Set("changed", true)
		if u, ok := user.(*goja.Object); ok {
			_ = u.Set("changed", true)
		} else {
			_ = first.Set("user", set)
		}
		dec.ForgetMember("user")
		again := build(ev)
		if got := shape(again); got != want {
			t.Errorf("%s after the user was changed and forgotten:\n got %s\nwant %s", ev, got, want)
		}
		if again.Get("request") != request {
			t.Errorf("%s: event.request was built anew; only event.user is forgotten", ev)
		}
		if u, ok := user.(*goja.Object); ok && again.Get("user") == u {
			t.Errorf("%s: the changed user object was given again", ev)
		}
		dec.Forget()
	}
}
