package compile

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/evanw/esbuild/pkg/api"

	"github.com/mfapolicy/mfapolicy/internal/eventgen"
	"github.com/mfapolicy/mfapolicy/policy"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/<case>/ that changed")

// Golden cases: each directory testdata/<case>/ holds policy.yaml and,
// optionally, events.ndjson. The goldens next to them are code.js and
// action.json, and for the cases in goldenLayouts the files of those
// deploy layouts under <case>/<format>/. A golden without a case, or a
// case without its goldens, fails the test.
var goldenLayouts = map[string][]Format{
	"hostile-text":   {FormatDeployCLI, FormatTerraform},
	"tenant":         {FormatDeployCLI, FormatTerraform},
	"tenant-partial": {FormatDeployCLI, FormatTerraform},
}

// notCases are the directories of testdata that are not golden cases.
var notCases = map[string]bool{"fuzz": true}

func TestGolden(t *testing.T) {
	entries, err := os.ReadDir("testdata")
	if err != nil {
		t.Fatal(err)
	}
	var runs []policyRun
	for _, e := range entries {
		if !e.IsDir() || notCases[e.Name()] {
			continue
		}
		if run, ok := goldenCase(t, e.Name()); ok {
			runs = append(runs, run...)
		}
	}
	if len(runs) == 0 {
		t.Fatal("no golden cases")
	}
	n, errored := checkDecisions(t, runs)
	t.Logf("%d golden cases, %d decisions agree with policy.Evaluate in goja and Node.js (%d on_error)", len(runs)/2, n, errored)
}

// goldenCase checks one case's goldens and returns its compiled Action,
// readable and minified, with the events to decide.
func goldenCase(t *testing.T, name string) ([]policyRun, bool) {
	dir := filepath.Join("testdata", name)
	src, err := os.ReadFile(filepath.Join(dir, "policy.yaml"))
	if err != nil {
		t.Errorf("%s: a golden directory without policy.yaml: add the case or remove the directory", dir)
		return nil, false
	}
	p, diags := policy.Parse("policy.yaml", src)
	if diags.HasErrors() {
		t.Errorf("%s: %v", dir, diags.Errors())
		return nil, false
	}
	res, err := Compile(p, Options{})
	if err != nil {
		t.Errorf("%s: %v", dir, err)
		return nil, false
	}
	again, err := Compile(p, Options{})
	if err != nil || !bytes.Equal(again.Code, res.Code) || !bytes.Equal(again.ActionJSON, res.ActionJSON) {
		t.Errorf("%s: compiling twice gives different output", dir)
	}
	want := map[string][]byte{"code.js": res.Code, "action.json": res.ActionJSON}
	for _, f := range goldenLayouts[name] {
		files, err := res.Files(p.Name, f)
		if err != nil {
			t.Fatal(err)
		}
		for rel, b := range files {
			if f == FormatTerraform && rel == "code.js" {
				if !bytes.Equal(b, res.Code) {
					t.Errorf("%s: terraform's code.js differs from code.js", dir)
				}
				continue
			}
			want[filepath.Join(string(f), filepath.FromSlash(rel))] = b
		}
	}
	checkGoldens(t, dir, want)
	for rel, b := range want {
		if strings.HasSuffix(rel, ".js") {
			esbuildParses(t, filepath.Join(dir, rel), b)
		}
	}
	minified, err := Compile(p, Options{Minify: true})
	if err != nil {
		t.Errorf("%s: --minify: %v", dir, err)
		return nil, false
	}
	esbuildParses(t, dir+" (minified)", minified.Code)
	events := append(commonEvents(t), caseEvents(t, dir)...)
	return []policyRun{
		{name: name, p: p, code: res.Code, events: events},
		{name: name + " (minified)", p: p, code: minified.Code, events: events},
	}, true
}

// checkGoldens compares the generated files with the goldens in dir, and
// with -update rewrites the ones that changed, logging each.
func checkGoldens(t *testing.T, dir string, want map[string][]byte) {
	inputs := map[string]bool{"policy.yaml": true, "events.ndjson": true}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		if _, ok := want[rel]; !ok && !inputs[rel] {
			t.Errorf("%s: golden file with no case producing it; remove it", path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, rel := range sortedKeys(want) {
		path := filepath.Join(dir, rel)
		old, err := os.ReadFile(path)
		if err == nil && bytes.Equal(old, want[rel]) {
			continue
		}
		if *update {
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, want[rel], 0o644); err != nil {
				t.Fatal(err)
			}
			t.Logf("updated %s", path)
			continue
		}
		if err != nil {
			t.Errorf("%s: missing golden (run go test ./compile -update)", path)
			continue
		}
		t.Errorf("%s differs from the compiler's output (run go test ./compile -update and review the diff), first at %s", path, firstDiff(old, want[rel]))
	}
}

func firstDiff(a, b []byte) string {
	al, bl := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	for i := 0; i < len(al) && i < len(bl); i++ {
		if al[i] != bl[i] {
			return fmt.Sprintf("line %d:\n  golden: %q\n  now:    %q", i+1, al[i], bl[i])
		}
	}
	return fmt.Sprintf("line %d (length)", min(len(al), len(bl))+1)
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// esbuildParses fails the test unless esbuild accepts code as a script.
func esbuildParses(t testing.TB, name string, code []byte) {
	t.Helper()
	res := api.Transform(string(code), api.TransformOptions{Loader: api.LoaderJS, LogLevel: api.LogLevelSilent})
	for _, m := range res.Errors {
		line := 0
		if m.Location != nil {
			line = m.Location.Line
		}
		t.Errorf("%s: esbuild: line %d: %s", name, line, m.Text)
	}
}

// commonEvents are decided by every golden case: realistic logins from
// eventgen, and the edge cases of docs/semantics.md (absent, null and
// wrong-typed values at every level).
func commonEvents(t testing.TB) []any {
	var out []any
	g := eventgen.New(11)
	for i := 0; i < 12; i++ {
		var ev any
		if err := json.Unmarshal(g.Event(), &ev); err != nil {
			t.Fatal(err)
		}
		out = append(out, ev)
	}
	return append(out, decodeEvents(t, "common", []byte(edgeEvents))...)
}

const edgeEvents = `null
{}
5
[]
{"request": null, "user": null, "authentication": null}
{"request": "1.2.3.4"}
{"request": {"geoip": []}}
{"request": {"geoip": {"countryCode": 5}}}
{"request": {"ip": "10.0.0.1", "geoip": {"countryCode": "KP"}}}
{"request": {"ip": "::1", "geoip": {"countryCode": "US", "latitude": "north"}}}
{"user": {"enrolledFactors": [1]}, "stats": {"logins_count": 1.5}}
{"user": {"enrolledFactors": "otp"}, "authorization": {"roles": ["admin", 1]}}
{"user": {"enrolledFactors": [{"type": "otp"}, {"type": null}], "app_metadata": {}, "identities": [{"connection": "google-oauth2", "isSocial": true}]}}
{"user": {"app_metadata": {"plan": "pro", "seats": 12, "tags": ["a", "b"], "flags": {"beta": true}}, "email": "a@example.com", "email_verified": "yes"}}
{"authentication": {"riskAssessment": {"confidence": "low", "assessments": {"UntrustedIP": {"code": "found_on_deny_list"}}}}}
{"authentication": {"riskAssessment": {"confidence": 0, "assessments": null}}}
{"stats": {"logins_count": 9007199254740993}, "client": {"name": "Billing", "metadata": {"tier": 1}}}
{"stats": {"logins_count": 1e300}, "client": {"name": "Admin Console", "metadata": {"tier": "gold"}}}
`

// caseEvents reads testdata/<case>/events.ndjson, when there is one.
func caseEvents(t testing.TB, dir string) []any {
	b, err := os.ReadFile(filepath.Join(dir, "events.ndjson"))
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	return decodeEvents(t, dir, b)
}

func decodeEvents(t testing.TB, name string, b []byte) []any {
	var out []any
	for i, line := range strings.Split(string(b), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		var ev any
		if err := json.Unmarshal([]byte(line), &ev); err != nil {
			t.Fatalf("%s:%d: %v", name, i+1, err)
		}
		out = append(out, ev)
	}
	return out
}
