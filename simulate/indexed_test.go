package simulate

import (
	"bytes"
	"strings"
	"sync"
	"testing"

	"github.com/dop251/goja"

	"github.com/mfapolicy/mfapolicy/internal/eventgen"
	"github.com/mfapolicy/mfapolicy/simulate/engine"
	"github.com/mfapolicy/mfapolicy/simulate/input"
)

// indexedPlans are read plans whose objects the located pass of
// locatedFields walks in part: the decoder goes through the index for
// those and scans for the others.
var indexedPlans = [][]string{
	locatedFields,
	{"request.geoip", "authentication.riskAssessment.confidence", "authorization.roles", "user.app_metadata.plan", "user.email", "a.b", "__proto__.x", "", "é"},
	{"request.geoip.countryCode", "request.geoip.cityName", "client", "stats", "authentication.riskAssessment.assessments.UntrustedIP"},
}

// indexedDecoders builds records with and without the located pass's
// index, one runtime for the whole test binary (a fuzz worker runs inputs
// one at a time).
var indexedDecoders struct {
	sync.Mutex
	vm      *goja.Runtime
	shape   func(goja.Value) string
	scanned []*engine.Decoder
	indexed []*engine.Decoder
	// reused build in the objects of the record before wherever they
	// can (engine.Decoder.Reuse): every record checked follows another.
	reused []*engine.Decoder
}

// checkIndexed holds the decoder given the located pass's index to the
// decoder that scans the record, under each of indexedPlans: the same
// members, in the same order, with the same values; data must be a valid
// JSON object.
func checkIndexed(t *testing.T, data []byte) {
	t.Helper()
	x := &indexedDecoders
	x.Lock()
	defer x.Unlock()
	if x.vm == nil {
		x.vm = goja.New()
		x.shape = shapeOf(t, x.vm)
		for _, fields := range indexedPlans {
			plan := engine.PlanFor([]byte("x"), fields, nil)
			s, i, r := engine.NewDecoder(x.vm, plan), engine.NewDecoder(x.vm, plan), engine.NewDecoder(x.vm, plan)
			s.Checked, i.Checked, r.Checked, r.Reuse = true, true, true, true
			x.scanned, x.indexed, x.reused = append(x.scanned, s), append(x.indexed, i), append(x.reused, r)
		}
	}
	l := input.NewLocated(input.NewFieldTree(locatedFields))
	if !l.Locate(data) {
		t.Fatalf("%q: not located", data)
	}
	idx := l.IndexOf(data)
	if idx == nil {
		t.Fatalf("%q: located without an index", data)
	}
	for p := range indexedPlans {
		want, err := x.scanned[p].Build(data)
		if err != nil {
			t.Fatalf("%q: %v", data, err)
		}
		got, err := x.indexed[p].BuildIndexed(data, idx)
		if err != nil {
			t.Fatalf("%q, indexed: %v", data, err)
		}
		if sw, sg := x.shape(want), x.shape(got); sw != sg {
			t.Fatalf("%q, plan %q:\nscanned %s\nindexed %s", data, indexedPlans[p], sw, sg)
		}
		again, err := x.reused[p].BuildIndexed(data, idx)
		if err != nil {
			t.Fatalf("%q, reused: %v", data, err)
		}
		if sw, sg := x.shape(want), x.shape(again); sw != sg {
			t.Fatalf("%q, plan %q:\nscanned %s\nreused  %s", data, indexedPlans[p], sw, sg)
		}
	}
}

var indexedSeeds = []string{
	// Duplicates: object then object, object then value, value then
	// object, a grandchild only in the first.
	`{"request":{"geoip":{"countryCode":"KP"},"ip":"a"},"x":1,"request":{"ip":"b","geoip":{"cityName":"y","countryCode":"US"}}}`,
	`{"request":{"geoip":{"countryCode":"KP"}},"request":"s","client":{"name":"n"}}`,
	`{"request":[1],"request":{"geoip":{"countryCode":"KP"},"geoip":null},"request":{"ip":"c"}}`,
	`{"authentication":{"riskAssessment":{"assessments":{"UntrustedIP":{"code":"x"}}}},"authentication":{"riskAssessment":{"confidence":"low"}}}`,
	// Keys in the record's order, escaped keys, __proto__, lone
	// surrogates, whitespace.
	`{"z":1,"request":{"ip":"1","z":2,"geoip":{"countryCode":"GB","cityName":"L"}},"a":{"b":1,"c":2},"\u0072equest":{"geoip":{"countryCode":"FR"}}}`,
	`{"__proto__":{"x":1,"y":2},"\ud800":1,"é":"\ud83d\ude00","":{"":1},"client":{"__proto__":{"name":"B"},"name":"N"}}`,
	` { "request" : { "geoip" : { "countryCode" : "DE" } , "ip" : "9" } , "authorization" : { "roles" : [ "admin" ] } } `,
	`{"request":{},"client":{},"user":{"app_metadata":{"plan":"p"},"email":"e","app_metadata":{"plan":"q","x":1}}}`,
}

// The decoder given the index builds what the decoder that scans builds,
// on hand-made records and a generated corpus.
func TestDecoderIndexed(t *testing.T) {
	for _, s := range indexedSeeds {
		checkIndexed(t, []byte(s))
	}
	for _, s := range append(append([]string{}, projectorSeeds...), decoderDocs...) {
		if strings.HasPrefix(strings.TrimSpace(s), "{") && input.NewLocated(input.NewFieldTree(locatedFields)).Locate([]byte(s)) {
			checkIndexed(t, []byte(s))
		}
	}
	g := eventgen.New(5)
	for range 200 {
		checkIndexed(t, g.Event())
	}
}

// The index is what the decoder reads: the bytes of members the plan
// leaves out are not scanned again (here they are spoilt after the
// located pass, which the scanning decoder would trip on), and an index
// of other bytes is not used.
func TestDecoderUsesIndex(t *testing.T) {
	vm := goja.New()
	shape := shapeOf(t, vm)
	plan := engine.PlanFor([]byte("x"), []string{"request.geoip.countryCode", "client.name"}, nil)
	d := engine.NewDecoder(vm, plan)
	d.Checked = true
	data := []byte(`{"user":{"bio":"[[[[{{{{"},"request":{"skip":"]]]","geoip":{"countryCode":"NZ"}},"client":{"name":"c"}}`)
	l := input.NewLocated(input.NewFieldTree([]string{"request.geoip.countryCode", "client.name"}))
	if !l.Locate(data) {
		t.Fatal("not located")
	}
	spoil := func(b []byte) { copy(b[bytes.Index(b, []byte(`"[[[[`)):], `"[[[[{{{{"`[1:]) }
	spoil(data) // `"bio":[[[[{{{{""`: brackets that never close, which the index steps over
	want, _ := engine.BuildWithJSONParse(vm, []byte(`{"request":{"geoip":{"countryCode":"NZ"}},"client":{"name":"c"}}`))
	got, err := d.BuildIndexed(data, l.IndexOf(data))
	if err != nil {
		t.Fatalf("indexed: %v", err)
	}
	if sg, sw := shape(got), shape(want); sg != sw {
		t.Errorf("indexed:\n got %s\nwant %s", sg, sw)
	}
	if got, err := d.Build(data); err == nil && shape(got) == shape(want) {
		t.Errorf("the spoilt record scanned gave %s: the test no longer tells the index is used", shape(got))
	}
	other := append([]byte{}, data...)
	if l.IndexOf(other) != nil {
		t.Error("an index used for a copy of the record")
	}
	if got, err := d.BuildIndexed(other, l.IndexOf(data)); err == nil && shape(got) == shape(want) {
		t.Errorf("another record's index used: %s", shape(got))
	}
	if l.Locate([]byte(`{"a":`)) || l.IndexOf(data) != nil {
		t.Error("an index kept past a record that is not JSON")
	}
}
