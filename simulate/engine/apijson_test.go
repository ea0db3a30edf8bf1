package engine

import (
	"testing"

	"github.com/dop251/goja"
)

// A compiled policy's api arguments are written to JSON in Go where the
// text is plain (plainJSON); what is written is what JSON.stringify
// writes, and the values it leaves to JSON.stringify are written by it.
func TestPlainJSONIsStringify(t *testing.T) {
	vm := goja.New()
	r := &Runner{vm: vm, compiled: true, cur: &EventState{}}
	r.objectProto = vm.Get("Object").ToObject(vm).Get("prototype").ToObject(vm)
	r.arrayProto = vm.Get("Array").ToObject(vm).Get("prototype").ToObject(vm)
	r.stringify, _ = goja.AssertFunction(vm.Get("JSON").ToObject(vm).Get("stringify"))
	plain := []string{
		`"otp"`, `"Sign-in from this region is not permitted"`, `""`, `"a/b ~ {}[]:,"`,
		`({type: "otp"})`, `({type: ""})`, `[{type: "otp"}, {type: "push-notification"}]`, `[]`,
		`[{type: "otp"}, "otp"]`, `({type: "otp", [Symbol.iterator]: 1})`,
	}
	other := []string{
		`"quote \" here"`, `"back\\slash"`, `"tab\there"`, `"new\nline"`, `"\u007f"`, `"é"`, `"\ud800"`, `"😀"`,
		`({type: 1})`, `({type: "otp", more: 1})`, `({kind: "otp"})`, `({})`, `({type: "a\"b"})`,
		`Object.assign(Object.create(null), {type: "otp"})`, `Object.assign(Object.create({}), {type: "otp"})`,
		`({type: "otp", toJSON() { return "x"; }})`, `({get type() { return "otp"; }, toJSON: undefined, x: 1})`,
		`[[{type: "otp"}]]`, `[{type: "otp"}, {type: 2}]`, `Object.assign([{type: "otp"}], {toJSON: () => 1})`,
		`(() => { const a = [{type: "otp"}]; a.length = 3; return a; })()`, `new String("otp")`, `({type: new String("otp")})`,
		`1`, `true`, `null`, `[1, 2]`,
	}
	for i, src := range append(append([]string{}, plain...), other...) {
		v, err := vm.RunString(src)
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		want, err := r.stringify(goja.Undefined(), v)
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		if got := string(r.toJSON(v)); got != want.String() {
			t.Errorf("%s: %s, JSON.stringify gives %s", src, got, want)
		}
		if fast := r.plainJSON(v, nil, 0); (fast != nil) != (i < len(plain)) {
			t.Errorf("%s: written in Go: %v", src, fast != nil)
		}
	}
}
