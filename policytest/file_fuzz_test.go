package policytest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mfapolicy/mfapolicy/internal/hostile"
)

// FuzzParse parses arbitrary test-file text: it must never panic or hang,
// every diagnostic must point into the file, and a file without errors
// must come back with its cases.
func FuzzParse(f *testing.F) {
	paths, _ := filepath.Glob(filepath.Join("..", "examples", "tests", "*.yaml"))
	for _, p := range paths {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	const cases = "cases:\n  - name: c\n    event: {request: {geoip: {countryCode: FR}}}\n    want: {outcome: deny, rule: r}\n"
	for _, s := range []string{
		"", "\ufeff", "\x00\x01\xff", "policy: p.yaml\r\n" + strings.ReplaceAll(cases, "\n", "\r\n"),
		"\ufeffpolicy: p.yaml\n" + cases, "policy: \"\xff\"\n" + cases, "[", "{", "&a [*a]",
		"policy: p.yaml\n" + hostile.YAMLLaughs("base", 9, 9) + cases,
		"policy: p.yaml\nbase: &b {user: *b}\n" + cases,
		"policy: p.yaml\nbase: {request: null, user: [], client: 5}\n" + cases,
		"policy: p.yaml\nbase: {a: " + strings.Repeat("[", 100) + strings.Repeat("]", 100) + "}\n" + cases,
		"policy: p.yaml\ncases:\n  - name: a\n    event: {x: .inf}\n    want: {outcome: allow}\n",
		"policy: p.yaml\ncases:\n  - name: a\n    event: {x: !!binary aGk=}\n    want: {outcome: bogus}\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		start := time.Now()
		file, diags := Parse("fuzz_test.yaml", data)
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("Parse took %v", d)
		}
		lines := yamlLines(string(data)) + 2
		for _, d := range diags {
			if d.File != "fuzz_test.yaml" || d.Line < 0 || d.Line > lines || d.Col < 0 {
				t.Errorf("diagnostic out of the file (%d lines): %v", lines, d)
			}
			if d.Message == "" || d.Code == "" {
				t.Errorf("diagnostic without a message or code: %#v", d)
			}
		}
		if diags.HasErrors() != (file == nil) {
			t.Errorf("errors %v but file %v", diags.HasErrors(), file != nil)
		}
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
