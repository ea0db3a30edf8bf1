package simulate

import (
	"fmt"
	"strings"
	"testing"

	"github.com/dop251/goja"

	"github.com/mfapolicy/mfapolicy/internal/eventgen"
	"github.com/mfapolicy/mfapolicy/simulate/engine"
)

// shape describes a value as a JavaScript program sees it: every own
// property name in order, types, -0, and the prototype's constructor.
// shapeJS lists strings by charCodeAt, not by split(""), which goja splits
// by code point (turning a lone surrogate into U+FFFD).
const shapeJS = `(function k(o){ if (o === null || typeof o !== 'object') return typeof o + ':' + (Object.is(o, -0) ? '-0' : typeof o === 'string' ? JSON.stringify(Array.from({length: o.length}, (_, i) => o.charCodeAt(i))) : String(o)); return (Array.isArray(o) ? '[' : '{') + Object.getOwnPropertyNames(o).map(n => JSON.stringify(Array.from({length: n.length}, (_, i) => n.charCodeAt(i))) + '=' + k(o[n])).join(',') + '}' + Object.getPrototypeOf(o).constructor.name; })`

func shapeOf(t *testing.T, vm *goja.Runtime) func(goja.Value) string {
	fn, err := vm.RunString(shapeJS)
	if err != nil {
		t.Fatal(err)
	}
	shape, _ := goja.AssertFunction(fn)
	return func(v goja.Value) string {
		s, err := shape(goja.Undefined(), v)
		if err != nil {
			t.Fatal(err)
		}
		return s.String()
	}
}

var decoderDocs = []string{
	`{"a":1,"b":[1,2.5,-0,-1e-400,12345678901234567890,123456789012345,1234567890123456,0.1,1E5,-7,0,1e-7],"c":{"__proto__":{"x":1},"d":null,"e":true,"f":false}}`,
	`{"s":"plain","u":"üñí\u00e9\n\t\"\\\/\u2028\b\f\r","emoji":"😀 \ud83d\ude00","k":{"z":1,"a":2,"z":3}}`,
	`{"10":"ten","2":"two","b":"b","a":"a","":"empty"}`,
	`{"deep":[[[[{"x":[]}]]]],"o":{}}`,
	`{"\ud83d\ude00":1,"é":2,"a\"b":3,"\u0041":4,"A":5}`,
	"{\"bad\":\"\xff\xfe\",\"trunc\":\"\xe2\x82\",\"wtf8\":\"\xed\xa0\x80\",\"esc\xff\":\"\\n\xff\"}",
	`{"__proto__":null,"constructor":1,"toString":"x","hasOwnProperty":2}`,
	` {"ws" : [ 1 , 2 ] , "n" : null } `,
}

// The decoder makes the objects JSON.parse makes, reusing itself.
func TestDecoderAgrees(t *testing.T) {
	vm := goja.New()
	shape := shapeOf(t, vm)
	d := engine.NewDecoder(vm, nil)
	for round := 0; round < 2; round++ {
		for _, doc := range decoderDocs {
			a, err := engine.BuildWithJSONParse(vm, []byte(doc))
			if err != nil {
				t.Fatal(err)
			}
			b, err := d.Build([]byte(doc))
			if err != nil {
				t.Fatalf("%s: %v", doc, err)
			}
			if sa, sb := shape(a), shape(b); sa != sb {
				t.Errorf("%q:\nJSON.parse %s\ndecoder    %s", doc, sa, sb)
			}
		}
	}
	// Where goja's JSON.parse departs from ECMAScript, the decoder gives
	// what Node.js's JSON.parse gives (printed by Node.js with shapeJS):
	// goja's rejects numbers beyond float64 and turns lone surrogates into
	// U+FFFD.
	for doc, node := range map[string]string{
		`[1e400,-1e400,-0,-1e-400]`: `[[48]=number:Infinity,[49]=number:-Infinity,[50]=number:-0,[51]=number:-0,[108,101,110,103,116,104]=number:4}Array`,
		`{"lone":"\ud800","low":"x\udc00y","pair":"\uD83D\uDE00","mixed":"é\ud800é","rev":"\udc00\ud800"}`: `{[108,111,110,101]=string:[55296],[108,111,119]=string:[120,56320,121],[112,97,105,114]=string:[55357,56832],[109,105,120,101,100]=string:[233,55296,233],[114,101,118]=string:[56320,55296]}Object`,
		`{"\ud800":"lone key"}`: `{[55296]=string:[108,111,110,101,32,107,101,121]}Object`,
	} {
		v, err := d.Build([]byte(doc))
		if err != nil {
			t.Fatal(err)
		}
		if got := shape(v); got != node {
			t.Errorf("%s:\nNode.js %s\ndecoder %s", doc, node, got)
		}
	}
	for _, bad := range []string{`{"a":}`, `{"a":1`, `{"a":"x`, `{"a":1} x`, `[1,]`, `{"a":"\q"}`} {
		if _, err := d.Build([]byte(bad)); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}

// A generated corpus decodes as JSON.parse decodes it.
func TestDecoderAgreesOnCorpus(t *testing.T) {
	vm := goja.New()
	shape := shapeOf(t, vm)
	d := engine.NewDecoder(vm, nil)
	g := eventgen.New(3)
	for i := 0; i < 300; i++ {
		ev := g.Event()
		a, _ := engine.BuildWithJSONParse(vm, ev)
		b, err := d.Build(ev)
		if err != nil {
			t.Fatal(err)
		}
		if sa, sb := shape(a), shape(b); sa != sb {
			t.Fatalf("%s:\nJSON.parse %s\ndecoder    %s", ev, sa, sb)
		}
	}
}

func TestReadPlan(t *testing.T) {
	fields := []string{"authentication", "authentication.riskAssessment", "authentication.riskAssessment.confidence",
		"client", "client.name", "user", "user.enrolledFactors", "user.enrolledFactors[].type", "user.app_metadata",
		"request", "request.geoip", "request.geoip.countryCode"}
	show := func(p *engine.ReadPlan) string {
		var walk func(p *engine.ReadPlan, prefix string, out *[]string)
		walk = func(p *engine.ReadPlan, prefix string, out *[]string) {
			if p.Whole {
				*out = append(*out, prefix+"*")
				return
			}
			for k, sub := range p.Keys {
				walk(sub, prefix+k+".", out)
			}
		}
		if p == nil {
			return "everything"
		}
		var out []string
		walk(p, "", &out)
		return fmt.Sprint(sortedStrings(out))
	}
	code := `rt.read_string(event, "client.name"); read_list_object(event, "user.enrolledFactors")`
	if got, want := show(engine.PlanFor([]byte(code), fields, nil)), "[authentication.riskAssessment.confidence.* client.name.* request.geoip.countryCode.* user.app_metadata.* user.enrolledFactors.*]"; got != want {
		t.Errorf("plan\n got %s\nwant %s", got, want)
	}
	// An object also used as a value is built whole.
	code += ` size(read_object(event, "client")) in_(x, read_object(event, "request.geoip"))`
	if got, want := show(engine.PlanFor([]byte(code), fields, map[string][]string{"r": {"stats.logins_count"}})), "[authentication.riskAssessment.confidence.* client.* request.geoip.* stats.logins_count.* user.app_metadata.* user.enrolledFactors.*]"; got != want {
		t.Errorf("plan\n got %s\nwant %s", got, want)
	}
	if p := engine.PlanFor([]byte(`equals(root(event), x)`), fields, nil); p != nil {
		t.Errorf("the event used as a value: got plan %s", show(p))
	}
	if p := engine.PlanFor([]byte(code), nil, nil); p != nil {
		t.Errorf("no fields: got plan %s", show(p))
	}
}

func sortedStrings(s []string) []string {
	out := append([]string{}, s...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

// A partial build holds exactly the planned members, each as JSON.parse
// makes it, in JSON.parse's order.
func TestPartialBuild(t *testing.T) {
	vm := goja.New()
	shape := shapeOf(t, vm)
	plan := engine.PlanFor([]byte(`x`), []string{"a.b", "a.c", "d", "e.f"}, nil)
	d := engine.NewDecoder(vm, plan)
	for _, tc := range []struct{ doc, want string }{
		{`{"z":{"q":1},"a":{"c":[1,{"k":2}],"x":1,"b":"s"},"d":{"y":{"z":null}},"e":5}`,
			`{"a":{"c":[1,{"k":2}],"b":"s"},"d":{"y":{"z":null}},"e":5}`},
		{`{"a":null,"e":[{"f":1}],"d":"x","a":{"b":1,"b":2,"c":3,"b":4}}`,
			`{"a":{"b":4,"c":3},"e":[{"f":1}],"d":"x"}`},
		{`{"e":{"g":"\ud800","f":"\u00e9"},"skip":["]}\"",{"[":"{"}]}`, `{"e":{"f":"\u00e9"}}`},
		{`[1,{"a":2}]`, `[1,{"a":2}]`},
	} {
		got, err := d.Build([]byte(tc.doc))
		if err != nil {
			t.Fatalf("%s: %v", tc.doc, err)
		}
		want, err := engine.BuildWithJSONParse(vm, []byte(tc.want))
		if err != nil {
			t.Fatal(err)
		}
		if sg, sw := shape(got), shape(want); sg != sw {
			t.Errorf("%s:\n got %s\nwant %s", tc.doc, sg, sw)
		}
	}
}

func benchDecode(b *testing.B, plan *engine.ReadPlan) {
	g := eventgen.New(1)
	evs := make([][]byte, 64)
	size := 0
	for i := range evs {
		evs[i] = g.Event()
		size += len(evs[i])
	}
	vm := goja.New()
	d := engine.NewDecoder(vm, plan)
	b.SetBytes(int64(size / len(evs)))
	for i := 0; b.Loop(); i++ {
		if _, err := d.Build(evs[i%len(evs)]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecode builds generated events whole, as for a hand-written
// Action, and with the plan of the example policy.
func BenchmarkDecode(b *testing.B) {
	b.Run("whole", func(b *testing.B) { benchDecode(b, nil) })
	b.Run("plan", func(b *testing.B) {
		fields := strings.Fields(`authentication authentication.riskAssessment authentication.riskAssessment.assessments authentication.riskAssessment.assessments.ImpossibleTravel authentication.riskAssessment.assessments.ImpossibleTravel.code authentication.riskAssessment.assessments.UntrustedIP authentication.riskAssessment.assessments.UntrustedIP.code authentication.riskAssessment.confidence authorization authorization.roles client client.name request request.geoip request.geoip.countryCode request.ip stats stats.logins_count user user.enrolledFactors`)
		benchDecode(b, engine.PlanFor(nil, fields, nil))
	})
	b.Run("jsonparse", func(b *testing.B) {
		g := eventgen.New(1)
		ev := g.Event()
		vm := goja.New()
		b.SetBytes(int64(len(ev)))
		for b.Loop() {
			if _, err := engine.BuildWithJSONParse(vm, ev); err != nil {
				b.Fatal(err)
			}
		}
	})
}
