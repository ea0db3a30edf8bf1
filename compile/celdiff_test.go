package compile

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/common/types/traits"
	"cel.dev/cel-go/ext"
)

// The differential harness: CEL expressions evaluated by cel-go, and the
// same expressions translated to JavaScript and run in goja and Node.js,
// must give the same value, or all fail with an error.

const showJS = `
function hex8(n) { return (n >>> 0).toString(16).padStart(8, "0"); }
function show(v) {
  switch (typeof v) {
    case "boolean": return { bool: v };
    case "bigint": return { int: v.toString() };
    case "string": return { string: v };
    case "number": {
      if (v !== v) return { double: "NaN" };
      const dv = new DataView(new ArrayBuffer(8));
      dv.setFloat64(0, v);
      return { double: hex8(dv.getUint32(0)) + hex8(dv.getUint32(4)) };
    }
  }
  if (v === null) return { null: true };
  if (Array.isArray(v)) return { list: v.map(show) };
  if (v instanceof rt.CelUint) return { uint: v.v.toString() };
  if (v instanceof rt.CelIP) return { ip: rt.ip_to_string(v) };
  if (v instanceof rt.CelCIDR) return { cidr: rt.cidr_to_string(v) };
  if (v instanceof rt.CelBytes) return { bytes: Array.from(v.b, (x) => x.toString(16).padStart(2, "0")).join("") };
  const m = {};
  for (const k of Object.keys(v)) m[k] = show(v[k]);
  return { map: m };
}
export function run(i, input) {
  try {
    return show(cases[i](input));
  } catch (e) {
    if (e instanceof rt.CelError) return { error: true };
    throw e;
  }
}
`

// celShow is the Go twin of show().
func celShow(v ref.Val) any {
	if types.IsError(v) {
		return map[string]any{"error": true}
	}
	switch x := v.(type) {
	case types.Bool:
		return map[string]any{"bool": bool(x)}
	case types.Int:
		return map[string]any{"int": fmt.Sprint(int64(x))}
	case types.Uint:
		return map[string]any{"uint": fmt.Sprint(uint64(x))}
	case types.String:
		return map[string]any{"string": string(x)}
	case types.Double:
		if math.IsNaN(float64(x)) {
			return map[string]any{"double": "NaN"}
		}
		return map[string]any{"double": fmt.Sprintf("%016x", math.Float64bits(float64(x)))}
	case types.Null:
		return map[string]any{"null": true}
	case types.Bytes:
		return map[string]any{"bytes": hex.EncodeToString(x)}
	case ext.IP:
		return map[string]any{"ip": x.Addr.String()}
	case ext.CIDR:
		return map[string]any{"cidr": x.Prefix.String()}
	case traits.Lister:
		var out []any
		n := int64(x.Size().(types.Int))
		for i := int64(0); i < n; i++ {
			out = append(out, celShow(x.Get(types.Int(i))))
		}
		if out == nil {
			out = []any{}
		}
		return map[string]any{"list": out}
	case traits.Mapper:
		out := map[string]any{}
		it := x.Iterator()
		for it.HasNext() == types.True {
			k := it.Next()
			out[fmt.Sprint(k.Value())] = celShow(x.Get(k))
		}
		return map[string]any{"map": out}
	}
	return map[string]any{"unknown": fmt.Sprintf("%T", v)}
}

// testEnv is a CEL environment like the policy's, with string variables s
// and t and a dyn variable d for the expressions under test.
func testEnv(t testing.TB) *cel.Env {
	t.Helper()
	env, err := cel.NewEnv(
		ext.Network(),
		ext.TwoVarComprehensions(),
		cel.CrossTypeNumericComparisons(true),
		cel.Variable("s", cel.StringType),
		cel.Variable("t", cel.StringType),
		cel.Variable("d", cel.DynType),
	)
	if err != nil {
		t.Fatal(err)
	}
	return env
}

var testRoots = map[string]rootVar{
	"s": {js: primary(`input.s`), path: "s"},
	"t": {js: primary(`input.t`), path: "t"},
	"d": {js: primary(`input.d`), path: "d"},
}

// diffCase is one expression with its variables.
type diffCase struct {
	expr string
	vars map[string]any
}

// checkAgainstCEL evaluates every case in cel-go, goja and Node and
// reports disagreements. Cases must compile and translate.
func checkAgainstCEL(t *testing.T, cases []diffCase) {
	t.Helper()
	env := testEnv(t)
	mod := newModule()
	var fns, helpers []string
	var want []any
	index := map[string]int{}
	var calls []jsCall
	for _, c := range cases {
		i, ok := index[c.expr]
		if !ok {
			checked, iss := env.Compile(c.expr)
			if iss.Err() != nil {
				t.Fatalf("%s: %v", c.expr, iss.Err())
			}
			js, lifted, err := translate(env, checked, mod, testRoots, fmt.Sprintf("case%d", len(fns)), "input")
			if err != nil {
				t.Fatalf("%s: translate: %v", c.expr, err)
			}
			helpers = append(helpers, lifted...)
			i = len(fns)
			index[c.expr] = i
			fns = append(fns, "(input) => "+js.at(precArrow))
		}
		checked, _ := env.Compile(c.expr)
		prg, err := env.Program(checked)
		if err != nil {
			t.Fatal(err)
		}
		vars := map[string]any{}
		for k, v := range c.vars {
			vars[k] = v
		}
		out, _, _ := prg.Eval(vars)
		if out == nil {
			out = types.NewErr("no result")
		}
		want = append(want, celShow(out))
		calls = append(calls, jsCall{Fn: "run", Args: []any{i, c.vars}})
	}
	entry := "import * as rt from \"mfapolicy:runtime\";\n" + strings.Join(mod.consts, "\n") +
		"\n" + strings.Join(helpers, "\n") + "\nconst cases = [\n" + strings.Join(fns, ",\n") + "\n];\n" + showJS
	code := mustBundle(t, entry)
	got := runBoth(t, code, calls)
	bad := 0
	for i, c := range cases {
		var g any
		if got[i].Throw != nil {
			g = "throw " + *got[i].Throw
		} else if err := json.Unmarshal(got[i].OK, &g); err != nil {
			t.Fatal(err)
		}
		w := roundTrip(want[i])
		if !reflect.DeepEqual(g, w) {
			bad++
			if bad <= 20 {
				t.Errorf("%s with %v: cel-go %v, JS %v", c.expr, c.vars, w, g)
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d cases disagree", bad, len(cases))
	}
}

func roundTrip(v any) any {
	b, _ := json.Marshal(v)
	var out any
	_ = json.Unmarshal(b, &out)
	return out
}
