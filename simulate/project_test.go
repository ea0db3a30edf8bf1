package simulate

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/dop251/goja"

	"github.com/mfapolicy/mfapolicy/internal/eventgen"
	"github.com/mfapolicy/mfapolicy/simulate/input"
)

// locatedFields are the paths a lane could locate for a compiled policy:
// objects walked through towards leaves, a list of objects, a free-form
// map, a top-level member. None is a prefix of another, so each ends at a
// leaf.
var locatedFields = []string{
	"request.geoip.countryCode", "request.ip", "client.name", "code",
	"authentication.riskAssessment.confidence",
	"authentication.riskAssessment.assessments.UntrustedIP.code",
	"user.enrolledFactors", "user.app_metadata", "stats.logins_count",
}

func splitPaths(fields []string) [][]string {
	out := make([][]string, len(fields))
	for i, f := range fields {
		out[i] = strings.Split(f, ".")
	}
	return out
}

// projectWhole decodes one whole value with a fresh projector (which
// reads a value's bytes: records reach it trimmed).
func projectWhole(data []byte) (v any, valid, faithful bool) {
	p := input.NewProjector()
	p.Reset()
	return p.ProjectValue(jsonSpace(data))
}

// locateTree locates fields in data and returns the tree of those fields;
// located is false when data is not a valid JSON object.
func locateTree(fields []string, data []byte) (v any, located, faithful bool) {
	l := input.NewLocated(input.NewFieldTree(fields))
	if !l.Locate(data) {
		return nil, false, false
	}
	v, faithful = l.Tree(splitPaths(fields))
	return v, true, faithful
}

// mustJSON reads the expected value of a case: encoding/json's value, with
// the given numbers replaced by the markers below, which JSON cannot
// write.
func mustJSON(t testing.TB, s string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("%s: %v", s, err)
	}
	return markers(v)
}

// markers turns the strings "-0", "+Inf" and "-Inf" into those numbers.
func markers(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = markers(e)
		}
	case []any:
		for i, e := range x {
			x[i] = markers(e)
		}
	case string:
		switch x {
		case "#-0":
			return math.Copysign(0, -1) // -0
		case "#+Inf":
			return math.Inf(1)
		case "#-Inf":
			return math.Inf(-1)
		}
	}
	return v
}

// sameValue is reflect.DeepEqual for JSON values, except that -0 and 0
// differ (JavaScript tells them apart: 1/x, Object.is).
func sameValue(a, b any) bool {
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, e := range x {
			f, ok := y[k]
			if !ok || !sameValue(e, f) {
				return false
			}
		}
		return true
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !sameValue(x[i], y[i]) {
				return false
			}
		}
		return true
	case float64:
		y, ok := b.(float64)
		return ok && (x == y && math.Signbit(x) == math.Signbit(y) || x != x && y != y)
	}
	return a == b
}

// showValue prints a JSON value with -0 and ±Inf visible, keys sorted.
func showValue(v any) string {
	switch x := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = strconv.Quote(k) + ":" + showValue(x[k])
		}
		return "{" + strings.Join(parts, ",") + "}"
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = showValue(e)
		}
		return "[" + strings.Join(parts, ",") + "]"
	case float64:
		if x == 0 && math.Signbit(x) {
			return "-0"
		}
		return strconv.FormatFloat(x, 'g', -1, 64)
	case string:
		return strconv.Quote(x)
	case nil:
		return "null"
	}
	return fmt.Sprintf("%T(%v)", v, v)
}

// The whole-value projection follows JSON.parse: the last duplicate wins
// whole, keys are exact and escapes decoded, -0 stays -0, numbers out of
// range are ±Inf.
func TestProjectWhole(t *testing.T) {
	for _, tc := range []struct{ doc, want string }{
		{`{"a":1,"a":{"b":2}}`, `{"a":{"b":2}}`},
		{`{"a":{"x":1,"y":{"z":1}},"a":{"y":{"w":2}}}`, `{"a":{"y":{"w":2}}}`},
		{`{"a":{"x":1},"b":2,"a":null}`, `{"a":null,"b":2}`},
		{`{"Request":1,"request":2,"REQUEST":3}`, `{"Request":1,"request":2,"REQUEST":3}`},
		{`{"c\u006fde":"x","\u0063ode":"y"}`, `{"code":"y"}`},
		{`{"\ud83d\ude00":"\ud83d\ude00","é":"\u00e9","a\"b":"\\\/\b\f\n\r\t"}`, `{"😀":"😀","é":"é","a\"b":"\\/\b\f\n\r\t"}`},
		{`[-0,0,-0.0,-0e5,-1e-400,1e-400,0.0]`, `["#-0",0,"#-0","#-0","#-0",0,0]`},
		{`[1e400,-1e400,1E309,-179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497792]`, `["#+Inf","#-Inf","#+Inf","#-Inf"]`},
		{`[12345678901234567890,9007199254740993,123456789012345,1234567890123456,0.1,1E5,-7,1.5e-3,100000000000000000000000]`,
			`[12345678901234567890,9007199254740992,123456789012345,1234567890123456,0.1,100000,-7,0.0015,1e23]`},
		{` { "ws" : [ 1 , 2 ] , "n" : null , "t" : true , "f" : false } `, `{"ws":[1,2],"n":null,"t":true,"f":false}`},
		{`{"__proto__":{"x":1},"constructor":null}`, `{"__proto__":{"x":1},"constructor":null}`},
		{`"top"`, `"top"`},
		{`[]`, `[]`},
		{`{}`, `{}`},
	} {
		v, valid, faithful := projectWhole([]byte(tc.doc))
		want := mustJSON(t, tc.want)
		if !valid || !faithful || !sameValue(v, want) {
			t.Errorf("%s:\n got %s valid=%v faithful=%v\nwant %s", tc.doc, showValue(v), valid, faithful, showValue(want))
		}
	}
}

// A string or key that JavaScript holds and a Go string cannot (a lone
// surrogate, invalid UTF-8) makes the projection unfaithful, not invalid;
// a surrogate pair is faithful.
func TestProjectUnfaithful(t *testing.T) {
	p := input.NewProjector()
	for _, doc := range []string{
		`{"a":"\ud800"}`, `{"a":"x\udc00y"}`, `{"a":"\udc00\ud800"}`, `{"a":["ok","\uD800"]}`,
		`{"\ud800":1}`, `{"a":{"\udfff":1}}`, `{"a":"\ud83d"}`, `{"a":"\ud83d\u0041"}`,
		"{\"a\":\"\xff\"}", "{\"a\":\"\xe2\x82\"}", "{\"a\":\"\xed\xa0\x80\"}", "{\"\xff\":1}",
		"{\"a\":\"\\n\xff\"}",
	} {
		p.Reset()
		_, valid, faithful := p.ProjectValue([]byte(doc))
		if !valid || faithful {
			t.Errorf("%q: valid=%v faithful=%v, want valid and unfaithful", doc, valid, faithful)
		}
	}
	// The flag does not stick from one record to the next.
	p.Reset()
	if v, valid, faithful := p.ProjectValue([]byte(`{"a":"\ud83d\ude00"}`)); !valid || !faithful || !sameValue(v, map[string]any{"a": "😀"}) {
		t.Errorf("surrogate pair: %s valid=%v faithful=%v", showValue(v), valid, faithful)
	}
	for _, doc := range []string{`{"a":1} x`, `{"a":1`, `{"a" 1}`, `{"a":tru}`, `{"a":"\x"}`, `{"a":"\u12"}`, `[1,]`, ``, `nul`, "{\"a\":\"\x01\"}",
		// A bad escape is an error even in a string that also holds
		// invalid UTF-8.
		"{\"a\":\"\\\xff\"}", "{\"a\":\"\xff\\q\"}", "{\"\\\xcb\":1}"} {
		p.Reset()
		if _, valid, faithful := p.ProjectValue([]byte(doc)); valid || faithful {
			t.Errorf("%q: valid=%v faithful=%v, want invalid", doc, valid, faithful)
		}
	}
}

// Located fields: the objects on the way keep only the members the paths
// name; keys match exactly as JavaScript reads them (escapes decoded, case
// kept), the last duplicate wins whole, and what is skipped does not make
// the tree unfaithful.
func TestLocatedTree(t *testing.T) {
	for _, tc := range []struct {
		doc, want string
		faithful  bool
	}{
		{`{"request":{"geoip":{"countryCode":"US","cityName":"x"},"ip":"1.2.3.4","user_agent":"ua"},"client":{"name":"A","client_id":"c"},"extra":[1,{"a":2}]}`,
			`{"request":{"geoip":{"countryCode":"US"},"ip":"1.2.3.4"},"client":{"name":"A"}}`, true},
		{`{"re\u0071uest":{"geoip":{"c\u006funtryCode":"KP"}},"\u0063ode":5}`, `{"request":{"geoip":{"countryCode":"KP"}},"code":5}`, true},
		{`{"Request":{"geoip":{"countryCode":"KP"}},"request":{"Geoip":{"countryCode":"KP"},"geoip":{"CountryCode":"KP"}},"Code":1}`,
			`{"request":{"geoip":{}}}`, true},
		{`{"request":{"geoip":{"countryCode":"KP"}},"request":{"ip":"x"}}`, `{"request":{"ip":"x"}}`, true},
		{`{"request":{"geoip":{"countryCode":"KP"}},"request":null}`, `{"request":null}`, true},
		{`{"request":{"geoip":{"countryCode":"KP","countryCode":"US"}}}`, `{"request":{"geoip":{"countryCode":"US"}}}`, true},
		{`{"user":{"app_metadata":{"a":1,"b":{"c":[1]}},"app_metadata":{"b":2}}}`, `{"user":{"app_metadata":{"b":2}}}`, true},
		// A value not an object where a path walks through is kept whole.
		{`{"request":"str","client":[{"name":"x"}],"authentication":{"riskAssessment":5}}`, `{"request":"str","client":[{"name":"x"}],"authentication":{"riskAssessment":5}}`, true},
		// Leaves are whole, whatever they hold.
		{`{"user":{"enrolledFactors":[{"type":"otp","x":{"y":1}}],"user_id":"u"},"stats":{"logins_count":-0}}`,
			`{"user":{"enrolledFactors":[{"type":"otp","x":{"y":1}}]},"stats":{"logins_count":"#-0"}}`, true},
		{`{"stats":{"logins_count":1e400}}`, `{"stats":{"logins_count":"#+Inf"}}`, true},
		// Unfaithful parts: skipped ones do not count, kept ones do.
		{`{"client":{"client_id":"\ud800","\udc00":1},"\ud800":{"request":1},"request":{"geoip":{"countryCode":"US"}}}`, `{"client":{},"request":{"geoip":{"countryCode":"US"}}}`, true},
		{"{\"skip\":\"\xff\",\"client\":{\"name\":\"ok\"}}", `{"client":{"name":"ok"}}`, true},
		{`{"client":{"name":"\ud800"}}`, ``, false},
		{`{"user":{"app_metadata":{"\ud800":1}}}`, ``, false},
		{"{\"user\":{\"enrolledFactors\":[{\"type\":\"\xff\"}]}}", ``, false},
	} {
		v, valid, faithful := locateTree(locatedFields, []byte(tc.doc))
		if !valid || faithful != tc.faithful {
			t.Errorf("%s: valid=%v faithful=%v, want valid, faithful=%v", tc.doc, valid, faithful, tc.faithful)
			continue
		}
		if !tc.faithful {
			continue
		}
		if want := mustJSON(t, tc.want); !sameValue(v, want) {
			t.Errorf("%s:\n got %s\nwant %s", tc.doc, showValue(v), showValue(want))
		}
	}
}

// jsonParser is a goja runtime's JSON.parse, exported to Go values.
type jsonParser struct {
	mu    sync.Mutex
	vm    *goja.Runtime
	parse goja.Callable
}

var sharedParser struct {
	once sync.Once
	p    *jsonParser
}

func gojaParser() *jsonParser {
	sharedParser.once.Do(func() {
		vm := goja.New()
		parse, _ := goja.AssertFunction(vm.Get("JSON").ToObject(vm).Get("parse"))
		sharedParser.p = &jsonParser{vm: vm, parse: parse}
	})
	return sharedParser.p
}

// value returns what JSON.parse makes of data, as encoding/json would hold
// it; ok is false when goja's JSON.parse rejects it (it rejects numbers
// out of float64's range, which Node.js reads as ±Infinity).
func (j *jsonParser) value(data []byte) (v any, ok bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	out, err := j.parse(goja.Undefined(), j.vm.ToValue(string(data)))
	if err != nil {
		return nil, false
	}
	return fromGoja(out.Export()), true
}

// fromGoja turns goja's exported numbers (int64 for whole ones) into
// float64, as JSON.parse holds them.
func fromGoja(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = fromGoja(e)
		}
	case []any:
		for i, e := range x {
			x[i] = fromGoja(e)
		}
	case int64:
		return float64(x)
	}
	return v
}

// tokenValue decodes data with encoding/json's tokenizer, the way JSON.parse
// does where the two differ: the last duplicate key wins whole, numbers out
// of range are ±Inf. Lone surrogates and invalid UTF-8 become U+FFFD.
func tokenValue(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	v, err := tokenNext(dec)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("data after the value")
	}
	return v, nil
}

func tokenNext(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch x := tok.(type) {
	case json.Delim:
		switch x {
		case '{':
			obj := map[string]any{}
			for dec.More() {
				k, err := dec.Token()
				if err != nil {
					return nil, err
				}
				v, err := tokenNext(dec)
				if err != nil {
					return nil, err
				}
				obj[k.(string)] = v
			}
			_, err := dec.Token()
			return obj, err
		case '[':
			arr := []any{}
			for dec.More() {
				v, err := tokenNext(dec)
				if err != nil {
					return nil, err
				}
				arr = append(arr, v)
			}
			_, err := dec.Token()
			return arr, err
		}
		return nil, fmt.Errorf("unexpected %v", x)
	case json.Number:
		f, err := strconv.ParseFloat(string(x), 64)
		if err != nil && !math.IsInf(f, 0) {
			return nil, err
		}
		return f, nil
	}
	return tok, nil
}

// pruneTo keeps of a whole value what located.Tree keeps for paths none
// of which is a prefix of another: the objects on the way with only the
// members the paths name, the value at the end of each path (or where a
// path meets something that is not an object) whole.
func pruneTo(v any, paths [][]string) any {
	root, ok := v.(map[string]any)
	if !ok {
		return nil
	}
	out := map[string]any{}
	for _, path := range paths {
		in, to := root, out
		for depth, seg := range path {
			val, present := in[seg]
			if !present {
				break
			}
			obj, isObj := val.(map[string]any)
			if !isObj || depth == len(path)-1 {
				to[seg] = val
				break
			}
			next, have := to[seg].(map[string]any)
			if !have {
				next = map[string]any{}
				to[seg] = next
			}
			in, to = obj, next
		}
	}
	return out
}

// jsonSpace trims JSON's whitespace.
func jsonSpace(data []byte) []byte { return bytes.Trim(data, " \t\r\n") }

// loneSurrogate matches a \u escape of a surrogate code unit.
var loneSurrogate = regexp.MustCompile(`(?i)\\u[d][89a-f][0-9a-f]{2}`)

// checkProjection holds the projector and located fields to JSON.parse on
// one input: valid exactly when it is JSON (a JSON object, for located
// fields), the whole value, and the tree of locatedFields. It returns
// whether the whole value was compared (false: unfaithful or not JSON).
func checkProjection(t *testing.T, data []byte) bool {
	t.Helper()
	isJSON := json.Valid(data)
	v, valid, faithful := projectWhole(data)
	tv, located, tfaithful := locateTree(locatedFields, data)
	isObject := isJSON && bytes.HasPrefix(jsonSpace(data), []byte("{"))
	if valid != isJSON || located != isObject {
		t.Fatalf("%q: JSON %v (an object: %v), projector says valid=%v, located=%v", data, isJSON, isObject, valid, located)
	}
	if !isJSON {
		return false
	}
	if located {
		checkIndexed(t, data)
	}
	if faithful && located && !tfaithful {
		t.Fatalf("%q: faithful whole, unfaithful located", data)
	}
	if !faithful && utf8.Valid(data) && !loneSurrogate.Match(data) {
		t.Fatalf("%q: unfaithful with neither invalid UTF-8 nor a surrogate escape", data)
	}
	ref, ok := gojaParser().value(data)
	if !ok {
		var err error
		if ref, err = tokenValue(data); err != nil {
			t.Fatalf("%q: encoding/json: %v", data, err)
		}
	}
	if located && tfaithful {
		if want := pruneTo(ref, splitPaths(locatedFields)); !sameValue(tv, want) {
			t.Fatalf("%q, located fields:\nTree       %s\nJSON.parse %s", data, showValue(tv), showValue(want))
		}
	}
	if !faithful {
		return false
	}
	if !sameValue(v, ref) {
		t.Fatalf("%q:\nprojector  %s\nJSON.parse %s", data, showValue(v), showValue(ref))
	}
	return true
}

var projectorSeeds = []string{
	`{"a":1,"a":{"b":2}}`,
	`{"a":{"x":1,"y":{"z":1}},"a":{"y":{"w":2}}}`,
	`{"Request":{"geoip":{"countryCode":"KP"}},"request":{"geoip":{"countryCode":"US"}}}`,
	`{"re\u0071uest":{"geoip":{"c\u006funtryCode":"KP"}},"c\u006fde":1}`,
	`{"request":{"geoip":{"countryCode":"KP"}},"request":{"ip":"x"},"request":{"geoip":{"cityName":"y"}}}`,
	`[-0,0,-0.0,-0e5,-1e-400,1e-400,-0.0e-0]`,
	`[1e400,-1e400,1E309,12345678901234567890,9007199254740993,4.9e-324,2.2250738585072011e-308]`,
	`{"stats":{"logins_count":1e400},"user":{"app_metadata":{"n":-1e400}}}`,
	`{"a":"\ud800","b":"\udc00\ud800","\ud83d\ude00":"\ud83d\ude00"}`,
	"{\"a\":\"\xff\",\"request\":{\"ip\":\"ok\"}}",
	`{"client":{"client_id":"\ud800","name":"n"},"\ud800":1}`,
	`{"__proto__":{"request":{"ip":"1.2.3.4"}},"client":{"__proto__":{"name":"B"},"name":"Bil\u006cing"}}`,
	`{"user":{"enrolledFactors":[{"type":"otp","type":"email"}],"enrolledFactors":null}}`,
	` {"ws" : [ 1 , 2 ] , "n" : null } `,
	`[[[[{"x":[]}]]]]`,
	`"\u2028\u2029"`,
	`{"":1,"":{"":2}}`,
	`{"a":1} x`,
	`{"skip":01,"request":{}}`,
	`{"skip":[1.],"request":{}}`,
	`{"skip":{"a":-},"request":{}}`,
	`{"skip":"\x","request":{}}`,
	`{"skip":"\u12G4","request":{}}`,
	`{"skip":[1,],"request":{}}`,
	`{"skip":{"a":1,},"request":{}}`,
	`{"skip":tru,"request":{}}`,
	"{\"skip\":\"\t\",\"request\":{}}",
	`{"request":{"geoip":{"countryCode":"US"}},"skip":{"a" 1}}`,
	`{"request":{}} {}`,
	"{\"\":\"\\\xcb\"}",
	"{\"client\":{\"name\":\"\\\xff\"}}",
}

// FuzzProjector holds the projector and located fields to JSON.parse on
// any input: valid exactly when encoding/json says the text is JSON
// (skipped parts included), and then the whole value and the tree of a
// policy's fields as JSON.parse makes them, -0 and ±Inf included; inputs
// it calls unfaithful must hold a lone surrogate or invalid UTF-8. The
// event decoder given the located pass's index builds what it builds
// scanning the record (checkIndexed).
func FuzzProjector(f *testing.F) {
	for _, s := range projectorSeeds {
		f.Add([]byte(s))
	}
	for _, s := range decoderDocs {
		f.Add([]byte(s))
	}
	g := eventgen.New(3)
	for range 8 {
		f.Add(g.Event())
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkProjection(t, data)
	})
}

// The seeds alone cover both paths of the comparison: most are compared
// whole, and the unfaithful ones are recognised.
func TestProjectorSeeds(t *testing.T) {
	compared, unfaithful := 0, 0
	for _, s := range append(append([]string{}, projectorSeeds...), decoderDocs...) {
		if checkProjection(t, []byte(s)) {
			compared++
		} else if json.Valid([]byte(s)) {
			unfaithful++
		}
	}
	if compared < 15 || unfaithful < 3 {
		t.Fatalf("%d seeds compared, %d unfaithful: the seeds no longer cover both paths", compared, unfaithful)
	}
	t.Logf("%d seeds compared with JSON.parse, %d unfaithful", compared, unfaithful)
}
