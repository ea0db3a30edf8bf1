package simulate

import (
	"sort"
	"strings"
	"testing"

	"github.com/dop251/goja"

	"github.com/mfapolicy/mfapolicy/simulate/engine"
	"github.com/mfapolicy/mfapolicy/simulate/input"
)

func absentList(m map[string]bool) string {
	var out []string
	for k, v := range m {
		if !v {
			out = append(out, "false:"+k)
			continue
		}
		out = append(out, k)
	}
	sort.Strings(out)
	return strings.Join(out, " ")
}

// absentRules are the fields of a policy's rules, for the missing-data
// report; one rule reads user.app_metadata whole and another a member of
// it, so that the member lies below a leaf.
var absentRules = map[string][]string{
	"a": {"request.geoip.countryCode", "request.ip"},
	"b": {"user.enrolledFactors", "request.ip", "stats.logins_count"},
	"c": {"user.app_metadata", "user.app_metadata.vip"},
}

// A player reports the fields absent from a located event following
// docs/semantics.md: absent and null read as absent, and so does
// everything below them; a value of another JSON type on the way is not
// absence (the rule errors); the enrolled factors the simulator fills in
// are not reported. Keys are exact and the last duplicate wins.
func TestAbsentFields(t *testing.T) {
	var fields []string
	for _, fs := range absentRules {
		fields = append(fields, fs...)
	}
	tree := input.NewFieldTree(fields)
	pl := &player{paths: fieldPaths(absentRules, tree)}
	loc := input.NewLocated(tree)
	all := "request.geoip.countryCode request.ip stats.logins_count user.app_metadata user.app_metadata.vip user.enrolledFactors"
	for _, tc := range []struct {
		event  string
		filled bool
		want   string
	}{
		{`{}`, false, all},
		{`{}`, true, strings.Replace(all, " user.enrolledFactors", "", 1)},
		{`{"request":null,"user":null,"stats":null}`, false, all},
		{`{"request":{"geoip":null,"ip":null},"stats":{"logins_count":null},"user":{"app_metadata":null}}`, false, all},
		{`{"request":{"geoip":{"countryCode":""},"ip":""},"stats":{"logins_count":0},"user":{"enrolledFactors":[],"app_metadata":{"vip":false}}}`, false, ""},
		// Wrong JSON types on the way, or at the end, are not absence.
		{`{"request":"str","stats":5,"user":[]}`, false, ""},
		{`{"request":{"geoip":[],"ip":false},"stats":{"logins_count":"3"},"user":{"enrolledFactors":{},"app_metadata":"x"}}`, false, ""},
		{`{"request":{"geoip":{"countryCode":0}},"stats":true,"user":0}`, false, "request.ip"},
		// Below a member read whole.
		{`{"request":{"geoip":{"countryCode":"US"},"ip":"1"},"stats":{"logins_count":1},"user":{"enrolledFactors":[],"app_metadata":{}}}`, false, "user.app_metadata.vip"},
		{`{"request":{"geoip":{"countryCode":"US"},"ip":"1"},"stats":{"logins_count":1},"user":{"enrolledFactors":[],"app_metadata":{"vip":null}}}`, false, "user.app_metadata.vip"},
		{`{"request":{"geoip":{"countryCode":"US"},"ip":"1"},"stats":{"logins_count":1},"user":{"enrolledFactors":[],"app_metadata":{"vip":{"x":null}}}}`, false, ""},
		// Keys are exact: another case is another field; escapes are
		// decoded; the last duplicate wins whole.
		{`{"Request":{"ip":"1"},"request":{"IP":"1","geoip":{"countrycode":"US"}},"user":{"enrolledFactors":null}}`, false, all},
		{`{"re\u0071uest":{"geoip":{"c\u006funtryCode":"US"},"ip":"1"},"stats":{"logins_count":1},"user":{"enrolledFactors":[],"app_metadata":{"vip":1}}}`, false, ""},
		{`{"request":{"geoip":{"countryCode":"US"},"ip":"1"},"request":{"ip":"1"},"stats":{"logins_count":1},"stats":null,"user":{"enrolledFactors":[],"app_metadata":{"vip":1}}}`, false, "request.geoip.countryCode stats.logins_count"},
		{`{"request":null,"request":{"geoip":{"countryCode":"US"},"ip":"1"},"stats":{"logins_count":1},"user":{"enrolledFactors":null,"app_metadata":{"vip":1},"enrolledFactors":[]}}`, false, ""},
		{`{"user":{"enrolledFactors":null}}`, true, strings.Replace(all, " user.enrolledFactors", "", 1)},
	} {
		if !loc.Locate([]byte(tc.event)) {
			t.Fatalf("%s: not located", tc.event)
		}
		k := known{}
		if tc.filled {
			k.fill = []string{"otp"}
		}
		if got := absentList(pl.absent(loc, true, k).set); got != tc.want {
			t.Errorf("%s filled=%v:\n got %q\nwant %q", tc.event, tc.filled, got, tc.want)
		}
		// The same as isAbsent on the event as JSON.parse makes it.
		ref, err := tokenValue([]byte(tc.event))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range pl.paths {
			path := strings.Split(f.name, ".")
			if loc.Absent(f.ref) != input.IsAbsent(ref, path) {
				t.Errorf("%s: %s absent=%v, JSON.parse says %v", tc.event, f.name, loc.Absent(f.ref), input.IsAbsent(ref, path))
			}
		}
	}
	if got := pl.absent(loc, false, known{}).set; got != nil {
		t.Errorf("an event not located: %v", got)
	}
	if got := (&player{}).absent(loc, true, known{}).set; got != nil {
		t.Errorf("no rule fields: %v", got)
	}
}

// fillCases are events and assumed enrolled factors, with what fillEnrolled
// makes of them in goja.
var fillCases = []struct {
	event   string
	assumed []string
}{
	{`{}`, []string{"otp", "phone"}},
	{`{"user":null}`, []string{"otp"}},
	{`{"user":{"user_id":"u","enrolledFactors":null}}`, []string{}},
	{`{"user":{"user_id":"u"},"request":{"ip":"1"}}`, []string{"otp"}},
	{`{"user":{"enrolledFactors":[{"type":"email"}]}}`, []string{"otp"}},
	{`{"user":"str"}`, []string{"otp"}},
	{`{"user":5}`, []string{"otp"}},
	{`{"user":true}`, []string{"otp"}},
	{`{"user":[{"enrolledFactors":[]}]}`, []string{"otp"}},
	{`{"user":{"a":1},"user":null}`, []string{"otp"}},
	{`{"user":{}}`, AllFactors()},
}

// gojaFilled is the event as the Action receives it, filled by
// fillEnrolled, as JSON.parse(JSON.stringify(event)) makes it.
func gojaFilled(t *testing.T, vm *goja.Runtime, event string, assumed []string) any {
	t.Helper()
	stringify, _ := goja.AssertFunction(vm.Get("JSON").ToObject(vm).Get("stringify"))
	obj, err := engine.BuildWithJSONParse(vm, []byte(event))
	if err != nil {
		t.Fatal(err)
	}
	engine.FillEnrolled(vm, obj.(*goja.Object), assumed)
	js, err := stringify(goja.Undefined(), obj)
	if err != nil {
		t.Fatal(err)
	}
	v, err := tokenValue([]byte(js.String()))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// The projector's fill (of a whole event) and located fields' fill both
// fill the event exactly as fillEnrolled fills the event the Action
// receives in goja.
func TestFillMatchesGoja(t *testing.T) {
	vm := goja.New()
	paths := [][]string{{"user", "enrolledFactors"}, {"user", "user_id"}, {"request", "ip"}}
	for _, tc := range fillCases {
		want := gojaFilled(t, vm, tc.event, tc.assumed)
		p := input.NewProjector()
		p.Reset()
		v, _, _ := p.ProjectValue([]byte(tc.event))
		p.Fill(v, tc.assumed)
		if !sameValue(v, want) {
			t.Errorf("%s %v:\nprojector fill %s\nfillEnrolled   %s", tc.event, tc.assumed, showValue(v), showValue(want))
		}
		loc := input.NewLocated(input.NewFieldTree([]string{"user.enrolledFactors", "user.user_id", "request.ip"}))
		if !loc.Locate([]byte(tc.event)) {
			t.Fatalf("%s: not located", tc.event)
		}
		if !loc.Fill(tc.assumed, input.EnrolledJSON(tc.assumed)) {
			t.Errorf("%s: fill refused, but no field is read whole", tc.event)
			continue
		}
		tree, ok := loc.Tree(paths)
		if w := pruneTo(want, paths); !ok || !sameValue(tree, w) {
			t.Errorf("%s %v:\nlocated fill %s (ok %v)\nfillEnrolled %s", tc.event, tc.assumed, showValue(tree), ok, showValue(w))
		}
		whole, ok := loc.Tree(nil)
		if !ok || !sameValue(whole, want) {
			t.Errorf("%s %v:\nlocated fill, whole %s (ok %v)\nfillEnrolled        %s", tc.event, tc.assumed, showValue(whole), ok, showValue(want))
		}
	}
	// Not an object: left alone.
	for _, v := range []any{nil, []any{}, "x", 1.0} {
		before := showValue(v)
		input.NewProjector().Fill(v, []string{"otp"})
		if after := showValue(v); after != before {
			t.Errorf("fill changed %s into %s", before, after)
		}
	}
}

// When the rules read event.user whole, located fields cannot fill a user
// object in: fill says so (the login then runs in goja), and leaves a
// user of another JSON type alone.
func TestFillUserReadWhole(t *testing.T) {
	vm := goja.New()
	paths := [][]string{{"user"}}
	for _, tc := range fillCases {
		loc := input.NewLocated(input.NewFieldTree([]string{"user"}))
		if !loc.Locate([]byte(tc.event)) {
			t.Fatalf("%s: not located", tc.event)
		}
		want := gojaFilled(t, vm, tc.event, tc.assumed)
		ref, _ := tokenValue([]byte(tc.event))
		changes := !sameValue(pruneTo(ref, paths), pruneTo(want, paths))
		ok := loc.Fill(tc.assumed, input.EnrolledJSON(tc.assumed))
		if ok == changes {
			t.Errorf("%s: fill says %v, but fillEnrolled changes event.user: %v", tc.event, ok, changes)
			continue
		}
		if tree, faithful := loc.Tree(paths); ok && (!faithful || !sameValue(tree, pruneTo(want, paths))) {
			t.Errorf("%s: %s, want %s", tc.event, showValue(tree), showValue(pruneTo(want, paths)))
		}
	}
}

// Located fields' keys tell apart every value a rule can tell apart:
// absent, null, each JSON type, -0 and 0, and where a walk stops.
func TestAppendKeyDistinguishes(t *testing.T) {
	tree := input.NewFieldTree([]string{"a.b", "c"})
	loc := input.NewLocated(tree)
	path := tree.Resolve([]string{"a", "b"})
	keys := map[string]string{}
	for _, doc := range []string{
		`{}`, `{"a":null}`, `{"a":{}}`, `{"a":{"b":null}}`, `{"a":"b"}`, `{"a":[]}`, `{"a":0}`,
		`{"a":{"b":0}}`, `{"a":{"b":-0}}`, `{"a":{"b":""}}`, `{"a":{"b":"0"}}`, `{"a":{"b":false}}`,
		`{"a":{"b":[]}}`, `{"a":{"b":{}}}`, `{"a":{"b":[0]}}`, `{"a":{"b":{"x":0}}}`, `{"a":{"b":"a"}}`,
		`{"a":{"b":1e400}}`, `{"a":{"b":-1e400}}`,
	} {
		if !loc.Locate([]byte(doc)) {
			t.Fatalf("%s: not located", doc)
		}
		key := string(loc.AppendKey(nil, path))
		if other, ok := keys[key]; ok {
			t.Errorf("%s and %s have the same key at a.b", doc, other)
		}
		keys[key] = doc
	}
	// The same value has the same key, whatever else the record holds,
	// and the last duplicate decides.
	for _, pair := range [][2]string{
		{`{"a":{"b":"x"}}`, `{"c":1,"a":{"z":2,"b":"x"}}`},
		{`{"a":{"b":"x"}}`, `{"a":{"b":"y"},"a":{"b":"x"}}`},
		{`{"a":{"b":"x"}}`, `{"a":{"b":"y","b":"x"}}`},
		{`{"a":{}}`, `{"a":{"b":"y"},"a":{}}`},
	} {
		var k [2]string
		for i, doc := range pair {
			if !loc.Locate([]byte(doc)) {
				t.Fatalf("%s: not located", doc)
			}
			k[i] = string(loc.AppendKey(nil, path))
		}
		if k[0] != k[1] {
			t.Errorf("%s and %s hold the same at a.b, keys %q and %q", pair[0], pair[1], k[0], k[1])
		}
	}
}
