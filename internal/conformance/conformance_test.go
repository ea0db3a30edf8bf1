package conformance

import (
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"cel.dev/expr"
	_ "cel.dev/expr/conformance/proto2" // the messages the test files name in Any values
	_ "cel.dev/expr/conformance/proto3"
	spec "cel.dev/expr/conformance/test"
	"google.golang.org/protobuf/encoding/prototext"
	"google.golang.org/protobuf/types/known/durationpb"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/mfapolicy/mfapolicy/compile"
	"github.com/mfapolicy/mfapolicy/internal/fidelity"
	"github.com/mfapolicy/mfapolicy/policy"
)

var flagUpdate = flag.Bool("conformance.update", false, "rewrite the conformance table of docs/cel-support.md")

// docsPath is the page whose conformance section the test keeps current.
const docsPath = "../../docs/cel-support.md"

// status is how mfapolicy fares on one conformance test.
type status int

const (
	right    status = iota // all three evaluators give the expected result
	rejected               // the policy is refused when checked or compiled
	wrong                  // an evaluator's result differs from the expected one
)

// outcome is one test's result.
type outcome struct {
	file, name, expr string
	status           status
	reason           string // for rejected: a reason of docs/cel-support.md
	detail           string
}

// specDir is the directory of the conformance test files in the module
// cache.
func specDir(t *testing.T) string {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "cel.dev/expr").Output()
	if err != nil {
		t.Fatalf("go list -m cel.dev/expr: %v", err)
	}
	return filepath.Join(strings.TrimSpace(string(out)), "tests", "simple", "testdata")
}

// coreFiles are the test files of CEL's standard language; the others test
// extension libraries a policy does not offer (optionals, math, bindings,
// encoders, blocks; of the string extension, policies have only
// lowerAscii and upperAscii) or protobuf messages (proto2, proto3, enums,
// wrappers, dynamic), which an Auth0 event never holds.
var coreFiles = map[string]bool{
	"basic": true, "comparisons": true, "conversions": true, "fields": true, "fp_math": true,
	"integer_math": true, "lists": true, "logic": true, "macros": true, "macros2": true, "parse": true,
	"plumbing": true, "string": true, "timestamps": true, "type_deduction": true,
}

// applicable reports whether a test of a core file can be a policy: no
// variables bound or declared (a policy's only variables are the event,
// now and its lists), no container, no protobuf message in its expression
// (building proto messages is counted: it is rejected).
func applicable(tc *spec.SimpleTest) bool {
	if len(tc.GetBindings()) > 0 || len(tc.GetTypeEnv()) > 0 || tc.GetCheckOnly() || tc.GetContainer() != "" ||
		tc.GetUnknown() != nil || tc.GetAnyUnknowns() != nil {
		return false
	}
	e := tc.GetExpr()
	return !strings.Contains(e, "google.protobuf.") && !strings.Contains(e, "cel.expr.") &&
		!strings.Contains(e, "TestAllTypes") && !strings.Contains(e, "NestedMessage")
}

// loadTests reads the core test files and keeps the applicable tests.
func loadTests(t *testing.T) (files []string, tests map[string][]*spec.SimpleTest) {
	paths, err := filepath.Glob(filepath.Join(specDir(t), "*.textproto"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no conformance test files found (%v)", err)
	}
	tests = map[string][]*spec.SimpleTest{}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var f spec.SimpleTestFile
		if err := prototext.Unmarshal(data, &f); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		name := strings.TrimSuffix(filepath.Base(p), ".textproto")
		if !coreFiles[name] {
			continue
		}
		files = append(files, name)
		for _, s := range f.GetSection() {
			for _, tc := range s.GetTest() {
				if !applicable(tc) {
					continue
				}
				tc.Name = s.GetName() + "/" + tc.GetName()
				tests[name] = append(tests[name], tc)
			}
		}
	}
	return files, tests
}

// TestConformance runs every applicable test and fails on any wrong
// answer, or on a rejection whose reason docs/cel-support.md does not list.
func TestConformance(t *testing.T) {
	files, tests := loadTests(t)
	var cases []*fidelity.Case
	var pending []*outcome
	var all []*outcome
	for _, f := range files {
		for _, tc := range tests[f] {
			o := &outcome{file: f, name: tc.GetName(), expr: tc.GetExpr()}
			all = append(all, o)
			c, reason, detail := build(tc)
			if c == nil {
				o.status, o.reason, o.detail = rejected, reason, detail
				continue
			}
			cases = append(cases, c)
			pending = append(pending, o)
		}
	}
	event := []byte("{}")
	node, err := fidelity.Node(t.TempDir(), cases, [][]byte{event})
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range cases {
		o := pending[i]
		ref := c.Reference(map[string]any{})
		goja, err := c.Goja([][]byte{event})
		if err != nil {
			t.Fatalf("%s %s: %v", o.file, o.name, err)
		}
		switch {
		case ref.Rule != "t" || ref.Outcome != "allow":
			o.status, o.detail = wrong, fmt.Sprintf("cel-go decided %+v", ref)
		case fidelity.Compare(ref, goja[0], node[i][0]) != "":
			o.status, o.detail = wrong, fidelity.Compare(ref, goja[0], node[i][0])
		}
	}
	report(t, files, all)
}

// report counts the outcomes, fails on wrong answers and undocumented
// reasons, and prints the table with -conformance.table.
func report(t *testing.T, files []string, all []*outcome) {
	type counts struct{ right, rejected, wrong int }
	per := map[string]*counts{}
	reasons := map[string]int{}
	var total counts
	for _, o := range all {
		c := per[o.file]
		if c == nil {
			c = &counts{}
			per[o.file] = c
		}
		switch o.status {
		case right:
			c.right++
			total.right++
		case rejected:
			c.rejected++
			total.rejected++
			reasons[o.reason]++
			if _, ok := documentedReasons[o.reason]; !ok {
				t.Errorf("%s %s: rejected without a documented reason: %s\n  %s", o.file, o.name, o.detail, o.expr)
			}
		case wrong:
			c.wrong++
			total.wrong++
			t.Errorf("%s %s: wrong answer: %s\n  %s", o.file, o.name, o.detail, o.expr)
		}
	}
	n := len(all)
	t.Logf("%d applicable tests: %d accepted and right (%.1f%%), %d wrong, %d rejected", n, total.right,
		100*float64(total.right)/float64(n), total.wrong, total.rejected)
	var b strings.Builder
	fmt.Fprintf(&b, "Of %d applicable tests, **%d are accepted and right (%.1f%%), %d wrong, %d rejected** when the policy is checked.\n\n",
		n, total.right, 100*float64(total.right)/float64(n), total.wrong, total.rejected)
	b.WriteString("| file | tests | accepted and right | rejected |\n|---|---:|---:|---:|\n")
	for _, f := range files {
		if c := per[f]; c != nil {
			fmt.Fprintf(&b, "| %s | %d | %d | %d |\n", f, c.right+c.rejected+c.wrong, c.right, c.rejected)
		}
	}
	b.WriteString("\n| rejected because of | tests |\n|---|---:|\n")
	var rs []string
	for r := range reasons {
		rs = append(rs, r)
	}
	sort.Slice(rs, func(i, j int) bool {
		return reasons[rs[i]] > reasons[rs[j]] || reasons[rs[i]] == reasons[rs[j]] && rs[i] < rs[j]
	})
	for _, r := range rs {
		fmt.Fprintf(&b, "| %s | %d |\n", documentedReasons[r], reasons[r])
	}
	if os.Getenv("CONFORMANCE_REJECTED") != "" {
		for _, o := range all {
			if o.status == rejected {
				t.Logf("rejected %s %s [%s] %s: %s", o.file, o.name, o.reason, o.expr, o.detail)
			}
		}
	}
	syncDocs(t, b.String())
}

// syncDocs checks that docs/cel-support.md shows table between its
// conformance markers, or rewrites it with -conformance.update.
func syncDocs(t *testing.T, table string) {
	const begin, end = "<!-- begin: conformance -->\n", "<!-- end: conformance -->"
	data, err := os.ReadFile(docsPath)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	i, j := strings.Index(doc, begin), strings.Index(doc, end)
	if i < 0 || j < i {
		t.Fatalf("%s has no conformance section (%q ... %q)", docsPath, begin, end)
	}
	updated := doc[:i+len(begin)] + table + doc[j:]
	if updated == doc {
		return
	}
	if *flagUpdate {
		if err := os.WriteFile(docsPath, []byte(updated), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("rewrote the conformance section of %s", docsPath)
		return
	}
	t.Errorf("the conformance section of %s is out of date (go test ./internal/conformance -conformance.update):\n%s", docsPath, table)
}

// build makes the one-rule policy of a test: the rule matches when the
// expression gives the expected value, or (for an expected error) when
// evaluating it errors, which on_error turns into the rule's decision.
// It returns the reason when the test cannot become a policy or the
// policy is rejected.
func build(tc *spec.SimpleTest) (*fidelity.Case, string, string) {
	cond, reason := condition(tc)
	if cond == "" {
		return nil, reason, "the expected result cannot be written in a policy"
	}
	when, _ := json.Marshal(cond) // a JSON string is a YAML double-quoted scalar
	onError := "challenge"
	if tc.GetEvalError() != nil || tc.GetAnyEvalErrors() != nil {
		onError = "allow"
	}
	src := fmt.Sprintf("name: conformance\non_error: %s\nrules:\n  - id: t\n    when: %s\n    then: allow\ndefault:\n  then: challenge\n  factors: [otp]\n", onError, when)
	p, diags := policy.Parse("conformance.yaml", []byte(src))
	if diags.HasErrors() {
		d := diags.Errors()[0]
		return nil, classify(tc, d.Code, d.Message), d.Code + ": " + d.Message
	}
	res, err := compile.Compile(p, compile.Options{})
	if err != nil {
		return nil, classify(tc, "compile", err.Error()), err.Error()
	}
	return &fidelity.Case{Source: src, Policy: p, Code: res.Code}, "", ""
}

// condition is the rule's condition for a test, or "" and a reason.
func condition(tc *spec.SimpleTest) (string, string) {
	e := "(" + tc.GetExpr() + ")"
	switch {
	case tc.GetEvalError() != nil || tc.GetAnyEvalErrors() != nil:
		// The rule errors (on_error allows), or decides by the default,
		// which the test counts as wrong: a condition propagates errors.
		return "(dyn" + e + " == dyn" + e + ") ? false : false", ""
	case tc.GetValue() != nil:
		return valueCondition(e, tc.GetValue())
	case tc.GetTypedResult() != nil && tc.GetTypedResult().GetResult() != nil:
		return valueCondition(e, tc.GetTypedResult().GetResult())
	case tc.GetResultMatcher() == nil:
		return valueCondition(e, &expr.Value{Kind: &expr.Value_BoolValue{BoolValue: true}})
	}
	return "", "result"
}

func valueCondition(e string, v *expr.Value) (string, string) {
	if d, ok := v.GetKind().(*expr.Value_DoubleValue); ok && math.IsNaN(d.DoubleValue) {
		return "dyn" + e + " != dyn" + e, "" // NaN is the only value unequal to itself
	}
	lit, reason := literal(v)
	if lit == "" {
		return "", reason
	}
	if b, ok := v.GetKind().(*expr.Value_BoolValue); ok {
		if b.BoolValue {
			return e + " == true", ""
		}
		return e + " == false", ""
	}
	return e + " == " + lit, ""
}

// literal writes a value as a CEL expression, or returns "" and the reason
// it cannot be written in a policy.
func literal(v *expr.Value) (string, string) {
	switch k := v.GetKind().(type) {
	case *expr.Value_NullValue:
		return "null", ""
	case *expr.Value_BoolValue:
		return strconv.FormatBool(k.BoolValue), ""
	case *expr.Value_Int64Value:
		if k.Int64Value == math.MinInt64 {
			return "-9223372036854775807 - 1", ""
		}
		return strconv.FormatInt(k.Int64Value, 10), ""
	case *expr.Value_Uint64Value:
		return strconv.FormatUint(k.Uint64Value, 10) + "u", ""
	case *expr.Value_DoubleValue:
		return doubleLiteral(k.DoubleValue), ""
	case *expr.Value_StringValue:
		return stringLiteral(k.StringValue), ""
	case *expr.Value_BytesValue:
		var b strings.Builder
		b.WriteString(`b"`)
		for _, c := range k.BytesValue {
			fmt.Fprintf(&b, `\x%02x`, c)
		}
		return b.String() + `"`, ""
	case *expr.Value_TypeValue:
		if strings.Contains(k.TypeValue, ".") {
			return "", "type"
		}
		return k.TypeValue, ""
	case *expr.Value_EnumValue:
		return "", "proto"
	case *expr.Value_ListValue:
		var parts []string
		for _, el := range k.ListValue.GetValues() {
			s, r := literal(el)
			if s == "" {
				return "", r
			}
			parts = append(parts, s)
		}
		return "[" + strings.Join(parts, ", ") + "]", ""
	case *expr.Value_MapValue:
		var parts []string
		for _, en := range k.MapValue.GetEntries() {
			ks, r := literal(en.GetKey())
			if ks == "" {
				return "", r
			}
			vs, r := literal(en.GetValue())
			if vs == "" {
				return "", r
			}
			parts = append(parts, ks+": "+vs)
		}
		return "{" + strings.Join(parts, ", ") + "}", ""
	case *expr.Value_ObjectValue:
		return objectLiteral(k)
	}
	return "", "proto"
}

func objectLiteral(k *expr.Value_ObjectValue) (string, string) {
	m, err := k.ObjectValue.UnmarshalNew()
	if err != nil {
		return "", "proto"
	}
	switch x := m.(type) {
	case *timestamppb.Timestamp:
		return "timestamp(" + stringLiteral(x.AsTime().UTC().Format(time.RFC3339Nano)) + ")", ""
	case *durationpb.Duration:
		return "duration(" + stringLiteral(strconv.FormatInt(x.AsDuration().Nanoseconds(), 10)+"ns") + ")", ""
	}
	return "", "proto"
}

func doubleLiteral(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "(1.0 / 0.0)"
	case math.IsInf(f, -1):
		return "(-1.0 / 0.0)"
	case f == 0 && math.Signbit(f):
		return "-0.0"
	}
	s := strconv.FormatFloat(f, 'g', -1, 64)
	if !strings.ContainsAny(s, ".eEn") {
		s += ".0"
	}
	return s
}

// stringLiteral quotes s as a CEL string, every character outside
// printable ASCII escaped.
func stringLiteral(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r >= 0x20 && r < 0x7f:
			b.WriteRune(r)
		case r < 0x10000:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			fmt.Fprintf(&b, `\U%08x`, r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// classify names the documented reason of a rejection from its
// diagnostic; "" when none fits.
func classify(tc *spec.SimpleTest, code, msg string) string {
	has := func(s ...string) bool {
		for _, x := range s {
			if strings.Contains(msg, x) {
				return true
			}
		}
		return false
	}
	switch {
	case has("bytes", "Bytes"):
		return "bytes"
	case has("type("):
		return "type"
	case has("double(string)"):
		return "double-string"
	case has(`"all"`, `"exists"`, `"existsOne"`, `"transformList"`, `"transformMap"`, `"transformMapEntry"`):
		return "two-variable"
	case has("map keys must be"):
		return "map-keys"
	case has("repeats the key"):
		return "repeated-key"
	case has("order of the map's keys"):
		return "map-order"
	case has("named zone"):
		return "named-zone"
	case (code == "cel-type" || code == "undeclared-reference") && tc.GetDisableCheck():
		return "unchecked"
	case code == "cel-type" && (tc.GetEvalError() != nil || tc.GetAnyEvalErrors() != nil):
		return "checked-error"
	}
	return code + ": " + msg
}

// documentedReasons are the reasons docs/cel-support.md gives for a
// rejected test, by key.
var documentedReasons = map[string]string{
	"bytes":         "bytes values and their operators",
	"type":          "`type()` and type values",
	"double-string": "`double(string)` (Go's `strconv.ParseFloat` grammar: hexadecimal, `inf`, `nan`)",
	"two-variable":  "two-variable comprehensions (`all(k, v, ...)`, `transformMap`, ...)",
	"map-keys":      "map literals with double or null keys (CEL requires an error, cel-go accepts them)",
	"repeated-key":  "a map literal that repeats a key (CEL requires an error, cel-go keeps the last value)",
	"map-order":     "`map`, `filter` or `transformList` over a map (the list's order is the map's key order, which cel-go does not keep)",
	"named-zone":    "named time zones (`'America/New_York'`)",
	"unchecked":     "the test turns CEL's type checker off (disable_check); policies are always checked, and the checker refuses the expression",
	"checked-error": "the test expects the evaluation error that the type checker already reports when the policy is checked",
}
