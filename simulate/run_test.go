package simulate

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/dop251/goja"

	"github.com/mfapolicy/mfapolicy/simulate/engine"
	"github.com/mfapolicy/mfapolicy/simulate/input"
)

// Decisions come back in input order with 4 workers even when the work
// per event varies a lot.
func TestOrderWithFourWorkers(t *testing.T) {
	code := `exports.onExecutePostLogin = async (event, api) => {
	  let x = 0; for (let i = 0; i < event.user.spin; i++) x += i;
	  api.idToken.setCustomClaim('https://x/n', event.user.n);
	};`
	var b strings.Builder
	const n = 2000
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, `{"user":{"n":%d,"spin":%d}}`+"\n", i, (i*7919)%3000)
	}
	opts := Options{Workers: 4, Code: []byte(code), Inputs: []input.Input{input.ReaderInput("e", strings.NewReader(b.String()))}}
	next := 0
	opts.OnDecision = func(d Decision) error {
		want := fmt.Sprintf(`"%d"`, next)
		if d.Line != next+1 || len(d.Calls) != 1 || fmt.Sprintf("%q", d.Calls[0].Args[1]) != want {
			return fmt.Errorf("decision %d out of order: line %d calls %v", next, d.Line, d.Calls)
		}
		next++
		return nil
	}
	sum, err := Run(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if next != n || sum.Replayed != n {
		t.Fatalf("got %d decisions, summary %d", next, sum.Replayed)
	}
}

func TestStrictStopsAtMalformed(t *testing.T) {
	opts := Options{Strict: true, Code: []byte(`exports.onExecutePostLogin = async () => {}`),
		Inputs: []input.Input{input.ReaderInput("e.ndjson", strings.NewReader("{}\n{bad\n{}\n"))}}
	_, err := Run(context.Background(), opts)
	if !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), "e.ndjson:2") {
		t.Fatalf("err = %v", err)
	}
	opts.Strict = false
	opts.Inputs = []input.Input{input.ReaderInput("e.ndjson", strings.NewReader("{}\n{bad\n{}\n"))}
	sum, err := Run(context.Background(), opts)
	if err != nil || sum.Malformed != 1 || sum.Replayed != 2 || sum.Problems[0].Line != 2 {
		t.Fatalf("sum %+v err %v", sum, err)
	}
}

func TestOnDecisionErrorStopsRun(t *testing.T) {
	var b strings.Builder
	for i := 0; i < 5000; i++ {
		b.WriteString("{}\n")
	}
	stop := errors.New("disk full")
	seen := 0
	_, err := Run(context.Background(), Options{Workers: 2, Code: []byte(`exports.onExecutePostLogin = async () => {}`),
		Inputs: []input.Input{input.ReaderInput("e", strings.NewReader(b.String()))},
		OnDecision: func(Decision) error {
			seen++
			if seen == 10 {
				return stop
			}
			return nil
		}})
	if !errors.Is(err, stop) || seen != 10 {
		t.Fatalf("err %v after %d", err, seen)
	}
}

func TestSummaryCounts(t *testing.T) {
	in := `{"log_id":"1","data":{"type":"s","client_name":"A","location_info":{"country_code":"KP"}}}
{"log_id":"2","data":{"type":"f"}}
{"log_id":"3","data":{"type":"f"}}
{"log_id":"4","data":{"type":"gd_send_pn"}}
not json
{"request":{"geoip":{"countryCode":"DE"}},"client":{"name":"B"},"user":{"enrolledFactors":[]}}
{"request":{"geoip":{"countryCode":"US"}},"client":{"name":"B"}}
`
	got, sum := runAction(t, "challenge.js", Options{Workers: 2, AssumeEnrolled: []string{"otp"}}, in)
	if len(got) != 3 || sum.Read != 7 || sum.Replayed != 3 || sum.FromLogs != 1 || sum.Malformed != 1 {
		t.Fatalf("summary %+v", sum)
	}
	if got[0].Outcome != Deny || got[0].ID != "1" || got[1].Outcome != Fail || got[2].Outcome != Allow {
		t.Errorf("decisions %+v", got)
	}
	skipped := fmt.Sprint(sum.Skipped)
	if skipped != "[{f 2 0} {gd_send_pn 1 0}]" {
		t.Errorf("skipped %s", skipped)
	}
	assum := fmt.Sprint(sum.Assumptions)
	want := "[{no event.user.enrolledFactors: assumed enrolled in otp (filled into the event) 2 66.7} {enrolled factors read from event.user.enrolledFactors 1 33.3} {factors enabled on the tenant: all 3 100}]"
	if assum != want {
		t.Errorf("assumptions\n got %s\nwant %s", assum, want)
	}
	if fmt.Sprint(sum.TopCountries) != "[{allow [{US 1 100}]} {deny [{KP 1 100}]} {fail [{DE 1 100}]}]" {
		t.Errorf("countries %v", sum.TopCountries)
	}
}

// The Go event builder must make the same objects as JSON.parse.
func TestBuildersAgree(t *testing.T) {
	docs := []string{
		`{"a":1,"b":[1,2.5,-0,-1e-400,12345678901234567890],"c":{"__proto__":{"x":1},"d":null,"e":true,"f":false}}`,
		`{"s":"plain","u":"üñí\u00e9\n\t\"\\\/\u2028","emoji":"😀 \ud83d\ude00","k":{"z":1,"a":2,"z":3}}`,
		`{"10":"ten","2":"two","b":"b","a":"a","":"empty"}`,
		`{"deep":[[[[{"x":[]}]]]],"o":{}}`,
	}
	vm := goja.New()
	stringify, _ := goja.AssertFunction(vm.Get("JSON").ToObject(vm).Get("stringify"))
	kfn, err := vm.RunString(`(function k(o){ if (o === null || typeof o !== 'object') return typeof o + ':' + String(Object.is(o, -0) ? '-0' : o); return (Array.isArray(o) ? '[' : '{') + Object.getOwnPropertyNames(o).map(n => n + '=' + k(o[n])).join(',') + '}' + Object.getPrototypeOf(o).constructor.name; })`)
	if err != nil {
		t.Fatal(err)
	}
	keys, _ := goja.AssertFunction(kfn)
	for _, doc := range docs {
		a, err := engine.BuildWithJSONParse(vm, []byte(doc))
		if err != nil {
			t.Fatal(err)
		}
		b, err := engine.BuildFromGo(vm, []byte(doc))
		if err != nil {
			t.Fatal(err)
		}
		sa, _ := stringify(goja.Undefined(), a)
		sb, _ := stringify(goja.Undefined(), b)
		ka, _ := keys(goja.Undefined(), a)
		kb, _ := keys(goja.Undefined(), b)
		if sa.String() != sb.String() || ka.String() != kb.String() {
			t.Errorf("%s:\nJSON.parse %s\n           %s\nGo         %s\n           %s", doc, sa, ka, sb, kb)
		}
	}
	// goja's JSON.parse rejects numbers beyond float64; Node's gives
	// Infinity, and so does the Go builder.
	v, err := engine.BuildFromGo(vm, []byte(`[1e400,-1e400]`))
	if err != nil || v.String() != "Infinity,-Infinity" {
		t.Errorf("1e400: %v %v", v, err)
	}
}

// Assumed enrolled factors are filled into events that lack them, so the
// Action's own reading of event.user.enrolledFactors agrees with the
// decision derived from its calls; KeepEvents leaves events as read.
func TestAssumedFactorsFilledIn(t *testing.T) {
	code := `exports.onExecutePostLogin = async (event, api) => {
  const u = event.user;
  api.idToken.setCustomClaim('f', u === undefined ? 'no user' : typeof u !== 'object' || u === null ? String(u) :
    u.enrolledFactors === undefined ? 'absent' : u.enrolledFactors.map((f) => f.type).join(','));
}`
	in := strings.Join([]string{
		`{}`,
		`{"user":null}`,
		`{"user":{"enrolledFactors":[]}}`,
		`{"user":{"enrolledFactors":[{"type":"phone"}]}}`,
		`{"user":5}`,
	}, "\n")
	for _, tc := range []struct {
		keep bool
		want []string
	}{
		{false, []string{`"otp,email"`, `"otp,email"`, `""`, `"phone"`, `"5"`}},
		{true, []string{`"no user"`, `"null"`, `""`, `"phone"`, `"5"`}},
	} {
		var got []string
		_, err := Run(context.Background(), Options{Workers: 1, Code: []byte(code), KeepEvents: tc.keep,
			AssumeEnrolled: []string{"otp", "email"},
			Inputs:         []input.Input{input.ReaderInput("e", strings.NewReader(in))},
			OnDecision: func(d Decision) error {
				got = append(got, string(d.Calls[0].Args[1]))
				return nil
			}})
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("KeepEvents=%v: got %v, want %v", tc.keep, got, tc.want)
		}
	}
}
