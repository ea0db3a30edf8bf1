package analyze

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mfapolicy/mfapolicy/policy"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// goldenCases maps each golden file under testdata/golden to its policy.
var goldenCases = map[string]string{
	"example.txt":      "../examples/policy.yaml",
	"shadowed.txt":     "../examples/analyze/shadowed.yaml",
	"missing-data.txt": "../examples/analyze/missing-data.yaml",
}

func TestGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/golden/*")
	for _, f := range files {
		if _, ok := goldenCases[filepath.Base(f)]; !ok {
			t.Errorf("%s has no case in goldenCases", f)
		}
	}
	for name, path := range goldenCases {
		t.Run(name, func(t *testing.T) {
			p, diags := policy.Load(path)
			if diags.HasErrors() {
				t.Fatal(diags)
			}
			start := time.Now()
			rep, err := Analyze(p)
			if err != nil {
				t.Fatal(err)
			}
			if d := time.Since(start); d > time.Second {
				t.Errorf("analysing %s took %v, more than a second", path, d)
			}
			rep.Policy = strings.TrimPrefix(path, "../")
			var got bytes.Buffer
			if err := RenderText(&got, rep); err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata/golden", name)
			want, err := os.ReadFile(golden)
			if *update && !bytes.Equal(want, got.Bytes()) {
				t.Logf("updating %s", golden)
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, got.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if !bytes.Equal(want, got.Bytes()) {
				t.Errorf("%s differs from the analysis (go test -update rewrites it):\n%s", golden, got.String())
			}
		})
	}
}
