package policy

import (
	"bytes"
	"flag"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files that changed")

// TestBroken loads every deliberately broken policy under testdata/broken
// and compares the printed diagnostics with its .golden file. Every case
// needs a golden and every golden a case.
func TestBroken(t *testing.T) {
	dir := filepath.Join("testdata", "broken")
	cases := globNames(t, dir, ".yaml")
	goldens := globNames(t, dir, ".golden")
	if len(cases) < 30 {
		t.Errorf("only %d broken cases; want at least 30", len(cases))
	}
	for name := range goldens {
		if !cases[name] && !*update {
			t.Errorf("%s.golden has no case %s.yaml", name, name)
		}
		if !cases[name] && *update {
			os.Remove(filepath.Join(dir, name+".golden"))
			t.Logf("removed %s.golden: its case is gone", name)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(cases)) {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, name+".yaml")
			got := renderDiagnostics(t, path)
			if !strings.Contains(got, "error:") && !strings.Contains(got, "warning:") {
				t.Errorf("%s yields no diagnostic; a broken case must", path)
			}
			checkGolden(t, filepath.Join(dir, name+".golden"), got)
		})
	}
}

// renderDiagnostics loads a policy and prints its diagnostics as
// `mfapolicy check` does, with paths relative to the test directory.
func renderDiagnostics(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	_, diags := Parse(filepath.ToSlash(path), data)
	var b bytes.Buffer
	diags.Print(&b, 0)
	return b.String()
}

// checkGolden compares got with the golden file; with -update it rewrites
// the file only when it changed, and logs that it did.
func checkGolden(t *testing.T, golden, got string) {
	t.Helper()
	want, err := os.ReadFile(golden)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	if string(want) == got {
		return
	}
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("updated %s", golden)
		return
	}
	if os.IsNotExist(err) {
		t.Errorf("%s is missing; run `go test ./policy -update` to create it. Got:\n%s", golden, got)
		return
	}
	t.Errorf("%s differs (run `go test ./policy -update` if the change is intended)\n--- want\n%s--- got\n%s", golden, want, got)
}

// globNames returns the base names (without ext) of the files in dir
// ending in ext.
func globNames(t *testing.T, dir, ext string) map[string]bool {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ext) {
			out[strings.TrimSuffix(e.Name(), ext)] = true
		}
	}
	return out
}
