package schema

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
	"github.com/santhosh-tekuri/jsonschema/v6"
	yaml "go.yaml.in/yaml/v4"

	"github.com/mfapolicy/mfapolicy/internal/diag"
	"github.com/mfapolicy/mfapolicy/policy"
	"github.com/mfapolicy/mfapolicy/policytest"
)

var update = flag.Bool("update", false, "rewrite the committed schemas")

// The committed schemas are the generated ones; -update rewrites them.
func TestCommittedSchemas(t *testing.T) {
	for _, f := range Files {
		got, err := Generate(f)
		if err != nil {
			t.Fatal(err)
		}
		if *update {
			old, _ := os.ReadFile(f.FileName())
			if !bytes.Equal(old, got) {
				t.Logf("updated %s", f.FileName())
				if err := os.WriteFile(f.FileName(), got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			continue
		}
		want, err := os.ReadFile(f.FileName())
		if err != nil {
			t.Fatalf("%v (go test ./schema -update writes it)", err)
		}
		if !bytes.Equal(want, got) {
			t.Errorf("schema/%s is not what the Go types generate: run go test ./schema -update and commit it", f.FileName())
		}
	}
}

// compiled compiles a committed schema with a real validator.
func compiled(t *testing.T, f File) *jsonschema.Schema {
	t.Helper()
	doc, err := os.Open(f.FileName())
	if err != nil {
		t.Fatal(err)
	}
	defer doc.Close()
	v, err := jsonschema.UnmarshalJSON(doc)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(BaseURL+f.FileName(), v); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(BaseURL + f.FileName())
	if err != nil {
		t.Fatalf("%s does not compile: %v", f.FileName(), err)
	}
	return s
}

// instance turns YAML into the JSON value a YAML language server checks.
func instance(data []byte) (any, error) {
	var v any
	if err := yaml.Unmarshal(data, &v); err != nil {
		return nil, err
	}
	j, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return jsonschema.UnmarshalJSON(bytes.NewReader(j))
}

// A YAML file of the repository: a file of its own or a file in a
// testscript archive.
type yamlFile struct {
	name string
	data []byte
}

func repositoryYAML(t *testing.T) []yamlFile {
	t.Helper()
	var files []yamlFile
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == ".github" || d.Name() == "node_modules") {
			return filepath.SkipDir
		}
		switch {
		case strings.HasSuffix(path, ".yaml"):
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			files = append(files, yamlFile{path, data})
		case strings.HasSuffix(path, ".txtar"):
			a, err := txtar.ParseFile(path)
			if err != nil {
				return err
			}
			for _, f := range a.Files {
				if strings.HasSuffix(f.Name, ".yaml") {
					files = append(files, yamlFile{path + ":" + f.Name, f.Data})
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// kind tells a policy from a test file by its top-level keys.
func kind(v any) (File, bool) {
	m, ok := v.(map[string]any)
	if !ok {
		return "", false
	}
	if _, ok := m["cases"]; ok {
		return TestFile, true
	}
	if _, ok := m["policy"]; ok {
		return TestFile, true
	}
	if _, ok := m["rules"]; ok {
		return PolicyFile, true
	}
	if _, ok := m["default"]; ok {
		return PolicyFile, true
	}
	return "", false
}

// structural are the loaders' error codes about the file's structure,
// which the schema states too. The others (CEL, countries, duplicate ids)
// only check and test find. A policy's unknown-factor is left out: it is
// also reported for a CEL comparison with an enrolled factor's type
// (TestUnknownFactorFails covers the factors key).
var structural = map[File][]string{
	PolicyFile: {"unknown-key", "missing-key", "empty-name", "unknown-runtime", "unknown-outcome", "invalid-rule-id",
		"missing-factors", "missing-reason", "ignored-key", "enroll-email", "duplicate-factor", "wrong-type", "not-a-mapping"},
	TestFile: {"unknown-key", "missing-key", "unknown-outcome", "unknown-factor", "not-a-mapping", "not-a-list",
		"not-a-string", "bad-factors"},
}

// Every policy and test file of the repository (examples, testdata, the
// files of the CLI scripts) that mfapolicy loads without error validates
// against the committed schema, and every one that it rejects for its
// structure fails validation too.
func TestRepositoryFilesAgreeWithLoaders(t *testing.T) {
	schemas := map[File]*jsonschema.Schema{PolicyFile: compiled(t, PolicyFile), TestFile: compiled(t, TestFile)}
	count := map[string]int{}
	for _, yf := range repositoryYAML(t) {
		v, err := instance(yf.data)
		if err != nil {
			continue // not YAML the loaders accept either (yaml-syntax)
		}
		f, ok := kind(v)
		if !ok {
			continue
		}
		var diags diag.List
		if f == PolicyFile {
			_, diags = policy.Parse(yf.name, yf.data)
		} else {
			_, diags = policytest.Parse(yf.name, yf.data)
		}
		verr := schemas[f].Validate(v)
		switch {
		case !diags.HasErrors():
			count[string(f)+" accepted"]++
			if verr != nil {
				t.Errorf("%s loads without error but fails the %s schema: %v", yf.name, f, verr)
			}
		case hasStructural(diags, structural[f]):
			count[string(f)+" rejected"]++
			if verr == nil {
				t.Errorf("%s is rejected by the loader (%s) but passes the %s schema", yf.name, codes(diags), f)
			}
		}
	}
	t.Logf("files checked: %v", count)
	if count["policy accepted"] < 20 || count["test accepted"] < 2 || count["policy rejected"] < 15 {
		t.Errorf("too few files found: %v", count)
	}
}

func hasStructural(diags diag.List, codes []string) bool {
	for _, d := range diags {
		if d.Severity == diag.Error && slices.Contains(codes, d.Code) {
			return true
		}
	}
	return false
}

func codes(diags diag.List) string {
	var out []string
	for _, d := range diags {
		if d.Severity == diag.Error {
			out = append(out, d.Code)
		}
	}
	return strings.Join(out, ", ")
}

// A misspelt key fails validation, naming where it is.
func TestMisspeltKeyFailsWithPath(t *testing.T) {
	doc := "name: x\nrules:\n  - id: abroad\n    whn: \"true\"\n    then: allow\ndefault: allow\n"
	v, err := instance([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	err = compiled(t, PolicyFile).Validate(v)
	if err == nil {
		t.Fatal("a rule with whn: passes the schema")
	}
	msg := fmt.Sprintf("%v", err)
	if !strings.Contains(msg, "/rules/0") || !strings.Contains(msg, "'whn'") {
		t.Errorf("the error does not name /rules/0 and whn:\n%s", msg)
	}
}

// A factor Auth0 does not know fails validation.
func TestUnknownFactorFails(t *testing.T) {
	data, err := os.ReadFile("../policy/testdata/broken/factor-unknown.yaml")
	if err != nil {
		t.Fatal(err)
	}
	v, err := instance(data)
	if err != nil {
		t.Fatal(err)
	}
	if err := compiled(t, PolicyFile).Validate(v); err == nil || !strings.Contains(err.Error(), "/factors/") {
		t.Errorf("factor-unknown.yaml: %v, want an error at a factor", err)
	}
}

// The schema's keys are the loaders' known keys: each loader lists them
// in its hint for an unknown key.
func TestKeysMatchLoaders(t *testing.T) {
	props := func(f File, path ...string) []string {
		b, err := os.ReadFile(f.FileName())
		if err != nil {
			t.Fatal(err)
		}
		var s map[string]any
		if err := json.Unmarshal(b, &s); err != nil {
			t.Fatal(err)
		}
		var node any = s
		for _, p := range path {
			node = node.(map[string]any)[p]
		}
		// Keys in declaration order are lost by the map; compare sorted.
		var keys []string
		for k := range node.(map[string]any)["properties"].(map[string]any) {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		return keys
	}
	hinted := func(diags diag.List) []string {
		for _, d := range diags {
			for _, marker := range []string{"known keys: ", "(known: "} {
				if _, after, ok := strings.Cut(d.Hint+"\n"+d.Message, marker); ok {
					after, _, _ = strings.Cut(after, "\n")
					after, _, _ = strings.Cut(after, ")")
					keys := strings.Split(strings.TrimSpace(after), ", ")
					slices.Sort(keys)
					return keys
				}
			}
		}
		t.Fatalf("no known-keys hint in %v", diags)
		return nil
	}
	policyDiags := func(doc string) diag.List { _, d := policy.Parse("p.yaml", []byte(doc)); return d }
	testDiags := func(doc string) diag.List { _, d := policytest.Parse("t.yaml", []byte(doc)); return d }
	tests := []struct {
		name   string
		schema []string
		loader []string
	}{
		{"policy", props(PolicyFile), hinted(policyDiags("zzzzzzzz: 1\nname: x\ndefault: allow\n"))},
		{"rule", props(PolicyFile, "$defs", "Rule"), hinted(policyDiags("name: x\nrules:\n  - id: a\n    zzzzzzzz: 1\n    when: 'true'\n    then: allow\ndefault: allow\n"))},
		{"tenant", props(PolicyFile, "$defs", "Tenant"), hinted(policyDiags("name: x\ntenant:\n  zzzzzzzz: 1\n  factors: [otp]\ndefault: allow\n"))},
		{"test file", props(TestFile), hinted(testDiags("zzzzzzzz: 1\npolicy: p.yaml\ncases: []\n"))},
		{"case", props(TestFile, "$defs", "Case"), hinted(testDiags("policy: p.yaml\ncases:\n  - name: a\n    zzzzzzzz: 1\n    want: {outcome: allow}\n"))},
		{"want", props(TestFile, "$defs", "Want"), hinted(testDiags("policy: p.yaml\ncases:\n  - name: a\n    want: {outcome: allow, zzzzzzzz: 1}\n"))},
	}
	for _, tt := range tests {
		if !slices.Equal(tt.schema, tt.loader) {
			t.Errorf("%s keys: schema %v, loader %v", tt.name, tt.schema, tt.loader)
		}
	}
}

// Each example file starts with the line that points a YAML language
// server at its schema, and the path resolves to the committed file.
func TestExamplesNameTheirSchema(t *testing.T) {
	n := 0
	for _, yf := range repositoryYAML(t) {
		if !strings.HasPrefix(yf.name, filepath.Join("..", "examples")+string(filepath.Separator)) {
			continue
		}
		v, err := instance(yf.data)
		if err != nil {
			t.Errorf("%s: %v", yf.name, err)
			continue
		}
		f, ok := kind(v)
		if !ok {
			continue
		}
		n++
		first, _, _ := strings.Cut(string(yf.data), "\n")
		ref, ok := strings.CutPrefix(first, "# yaml-language-server: $schema=")
		if !ok {
			t.Errorf("%s does not start with # yaml-language-server: $schema=...", yf.name)
			continue
		}
		target := filepath.Join(filepath.Dir(yf.name), ref)
		if filepath.Base(target) != f.FileName() {
			t.Errorf("%s names %s, want the %s schema", yf.name, ref, f)
		}
		if _, err := os.Stat(target); err != nil {
			t.Errorf("%s names %s, which does not exist: %v", yf.name, ref, err)
		}
	}
	if n < 5 {
		t.Errorf("only %d example files found", n)
	}
}
