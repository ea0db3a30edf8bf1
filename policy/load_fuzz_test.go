package policy

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mfapolicy/mfapolicy/internal/hostile"
)

// FuzzParse loads arbitrary policy text: it must never panic or hang,
// every diagnostic must point into the file, and a policy without errors
// must come back.
func FuzzParse(f *testing.F) {
	for _, dir := range []string{filepath.Join("..", "examples"), filepath.Join("testdata", "broken")} {
		paths, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
		for _, p := range paths {
			if data, err := os.ReadFile(p); err == nil {
				f.Add(data)
			}
		}
	}
	const head = "name: x\nrules:\n  - id: r\n    when: "
	const tail = "\n    then: deny\ndefault: allow\n"
	for _, s := range []string{
		"", "\ufeff", "\x00\x01\xff", "name: x\r\ndefault: allow\r\n", "\ufeffname: x\ndefault: allow\n",
		"name: \"\xff\xfe\"\ndefault: allow\n", "[", "{", ":", "- - -", "&a [*a]", "a: &a\n  b: *a\n",
		hostile.YAMLLaughs("lists", 6, 8) + "name: x\ndefault: allow\n",
		hostile.YAMLLaughs("rules", 4, 4) + "default: allow\n",
		head + hostile.DeepCEL(200) + tail,
		head + "'" + strings.Repeat("a", 20000) + "' == 'a'" + tail,
		head + hostile.LongCEL(12000) + tail,
		head + "|\n      event.request.geoip.countryCode == 'FR' &&\n      event.authentication.riskAssessment.confidence == 'low'" + tail,
		strings.Repeat("{", 10000),
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		start := time.Now()
		p, diags := Parse("fuzz.yaml", data)
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("Parse took %v", d)
		}
		lines := yamlLines(string(data)) + 2
		for _, d := range diags {
			if d.File != "fuzz.yaml" || d.Line < 0 || d.Line > lines || d.Col < 0 {
				t.Errorf("diagnostic out of the file (%d lines): %v", lines, d)
			}
			if d.Message == "" || d.Code == "" {
				t.Errorf("diagnostic without a message or code: %#v", d)
			}
		}
		if !diags.HasErrors() && p == nil {
			t.Error("no error and no policy")
		}
		var b strings.Builder
		diags.Print(&b, 0)
	})
}

// yamlLines counts line breaks as YAML does: CRLF, CR, LF, NEL, LS and PS.
func yamlLines(s string) int {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	n := 0
	for _, sep := range []string{"\n", "\r", "\u0085", "\u2028", "\u2029"} {
		n += strings.Count(s, sep)
	}
	return n
}
