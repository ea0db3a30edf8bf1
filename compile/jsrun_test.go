package compile

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/dop251/goja"
)

// jsCall is one call of an exported function of a compiled module: the
// Mod'th of the modules loaded.
type jsCall struct {
	Mod  int    `json:"mod,omitempty"`
	Fn   string `json:"fn"`
	Args []any  `json:"args"`
}

// jsResult is a call's JSON-encoded return value, or the message it threw.
type jsResult struct {
	OK    json.RawMessage `json:"ok,omitempty"`
	Throw *string         `json:"throw,omitempty"`
}

func (r jsResult) String() string {
	if r.Throw != nil {
		return "throw " + *r.Throw
	}
	return string(r.OK)
}

// runGoja loads a CommonJS module in goja and makes the calls.
func runGoja(t testing.TB, code []byte, calls []jsCall) []jsResult {
	return runGojaModules(t, [][]byte{code}, calls)
}

// gojaModule is a CommonJS module loaded in its own goja runtime.
type gojaModule struct {
	vm        *goja.Runtime
	exports   *goja.Object
	stringify goja.Callable
}

func loadGoja(t testing.TB, code []byte) *gojaModule {
	t.Helper()
	vm := goja.New()
	module := vm.NewObject()
	exports := vm.NewObject()
	_ = module.Set("exports", exports)
	_ = vm.Set("module", module)
	_ = vm.Set("exports", exports)
	if _, err := vm.RunScript("code.js", string(code)); err != nil {
		t.Fatalf("goja: loading module: %v", err)
	}
	stringify, _ := goja.AssertFunction(vm.Get("JSON").ToObject(vm).Get("stringify"))
	return &gojaModule{vm: vm, exports: module.Get("exports").ToObject(vm), stringify: stringify}
}

// runGojaModules loads each module in its own goja runtime and makes the
// calls.
func runGojaModules(t testing.TB, codes [][]byte, calls []jsCall) []jsResult {
	t.Helper()
	mods := make([]*gojaModule, len(codes))
	out := make([]jsResult, len(calls))
	for i, c := range calls {
		if mods[c.Mod] == nil {
			mods[c.Mod] = loadGoja(t, codes[c.Mod])
		}
		out[i] = mods[c.Mod].call(t, c)
	}
	return out
}

func (m *gojaModule) call(t testing.TB, c jsCall) jsResult {
	t.Helper()
	vm := m.vm
	fn, ok := goja.AssertFunction(m.exports.Get(c.Fn))
	if !ok {
		t.Fatalf("goja: module exports no function %q", c.Fn)
	}
	args := make([]goja.Value, len(c.Args))
	for j, a := range c.Args {
		// Pass arguments through JSON, as Node receives them.
		b, _ := json.Marshal(a)
		v, err := vm.RunString("(" + string(b) + ")")
		if err != nil {
			t.Fatalf("goja: argument %s: %v", b, err)
		}
		args[j] = v
	}
	v, err := fn(goja.Undefined(), args...)
	if err != nil {
		msg := err.Error()
		if ex, ok := err.(*goja.Exception); ok {
			if o, ok := ex.Value().(*goja.Object); ok {
				msg = o.Get("message").String()
			}
		}
		return jsResult{Throw: &msg}
	}
	s, err := m.stringify(goja.Undefined(), v)
	if err != nil {
		t.Fatalf("goja: JSON.stringify: %v", err)
	}
	if goja.IsUndefined(s) {
		return jsResult{OK: json.RawMessage("null")}
	}
	return jsResult{OK: json.RawMessage(s.String())}
}

// runNode loads the same module in one Node.js process and makes the calls
// over NDJSON on standard input.
func runNode(t testing.TB, code []byte, calls []jsCall) []jsResult {
	return runNodeModules(t, [][]byte{code}, calls)
}

// runNodeModules loads all the modules in one Node.js process and makes
// the calls.
func runNodeModules(t testing.TB, codes [][]byte, calls []jsCall) []jsResult {
	t.Helper()
	dir := t.TempDir()
	runner, _ := filepath.Abs("testdata/jsrun.js")
	args := []string{runner}
	for i, code := range codes {
		file := filepath.Join(dir, fmt.Sprintf("code%d.js", i))
		if err := os.WriteFile(file, code, 0o644); err != nil {
			t.Fatal(err)
		}
		args = append(args, file)
	}
	var in bytes.Buffer
	enc := json.NewEncoder(&in)
	for _, c := range calls {
		if err := enc.Encode(c); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command("node", args...)
	cmd.Stdin = &in
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	outb, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, stderr.String())
	}
	var out []jsResult
	dec := json.NewDecoder(bytes.NewReader(outb))
	for dec.More() {
		var r jsResult
		if err := dec.Decode(&r); err != nil {
			t.Fatalf("node output: %v", err)
		}
		out = append(out, r)
	}
	if len(out) != len(calls) {
		t.Fatalf("node answered %d of %d calls", len(out), len(calls))
	}
	return out
}

// runBoth runs the calls in goja and Node and fails on any disagreement
// between them; it returns goja's results.
func runBoth(t testing.TB, code []byte, calls []jsCall) []jsResult {
	return runBothModules(t, [][]byte{code}, calls)
}

// runBothModules is runBoth for calls into several modules.
func runBothModules(t testing.TB, codes [][]byte, calls []jsCall) []jsResult {
	t.Helper()
	g := runGojaModules(t, codes, calls)
	n := runNodeModules(t, codes, calls)
	bad := 0
	for i := range calls {
		if g[i].String() != n[i].String() {
			bad++
			if bad <= 10 {
				t.Errorf("goja and node disagree on %s%v: goja %s, node %s", calls[i].Fn, fmtArgs(calls[i].Args), g[i], n[i])
			}
		}
	}
	return g
}

func fmtArgs(args []any) string {
	b, _ := json.Marshal(args)
	return fmt.Sprintf("(%s)", b)
}

// mustBundle bundles a test entry module for Node 22.
func mustBundle(t testing.TB, entry string) []byte {
	t.Helper()
	code, err := bundle(entry, "", bundleOptions{node: "22"})
	if err != nil {
		t.Fatal(err)
	}
	return code
}
