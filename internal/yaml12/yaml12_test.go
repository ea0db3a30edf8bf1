package yaml12

import (
	"fmt"
	"testing"

	goccy "github.com/goccy/go-yaml"
	yaml "go.yaml.in/yaml/v4"
)

// TestScalarsReadAsYAML12 loads text holding NEL, LINE SEPARATOR,
// PARAGRAPH SEPARATOR, NBSP and BOM, alone and before a space, in plain,
// single-quoted, double-quoted, literal and folded scalars, and compares
// every value with what github.com/goccy/go-yaml, a YAML 1.2 reader, reads.
func TestScalarsReadAsYAML12(t *testing.T) {
	chars := []string{"\u0085", "\u2028", "\u2029", "\u00a0", "\ufeff"}
	styles := map[string]func(s string) string{
		"plain":  func(s string) string { return "k: " + s + "\n" },
		"single": func(s string) string { return "k: '" + s + "'\n" },
		"double": func(s string) string { return "k: \"" + s + "\"\n" },
		"folded": func(s string) string { return "k: >\n  " + s + "\n  next\n" },
		"literal": func(s string) string {
			return "k: |\n  " + s + "\n  next\n"
		},
	}
	n := 0
	for _, c := range chars {
		for _, text := range []string{"a" + c + " b", "a" + c + "b", "a " + c + " b", "a" + c + c + "  b"} {
			for name, style := range styles {
				src := style(text)
				var want map[string]string
				if err := goccy.Unmarshal([]byte(src), &want); err != nil {
					t.Fatalf("%s %q: goccy: %v", name, src, err)
				}
				var doc yaml.Node
				if err := Load(src, &doc); err != nil {
					t.Errorf("%s %q: %v", name, src, err)
					continue
				}
				got := doc.Content[0].Content[1].Value
				if got != want["k"] {
					t.Errorf("%s %q: got %q, YAML 1.2 reads %q", name, src, got, want["k"])
				}
				n++
			}
		}
	}
	t.Logf("%d scalars read as YAML 1.2 reads them", n)
}

// TestPositionsUnchanged checks that the stand-ins keep every node's line
// and column, and that a text already holding the first stand-in gets
// another.
func TestPositionsUnchanged(t *testing.T) {
	src := "a: \"x\u2028 y\ue000\"\nb:\n  - z\u0085 w\u0700\n  - q\n"
	var doc yaml.Node
	if err := Load(src, &doc); err != nil {
		t.Fatal(err)
	}
	m := doc.Content[0]
	if got := m.Content[1].Value; got != "x\u2028 y\ue000" {
		t.Errorf("a = %q", got)
	}
	list := m.Content[3]
	if got := list.Content[0].Value; got != "z\u0085 w\u0700" {
		t.Errorf("b[0] = %q", got)
	}
	if q := list.Content[1]; fmt.Sprint(q.Line, q.Column) != "4 5" {
		t.Errorf("b[1] at %d:%d, want 4:5", q.Line, q.Column)
	}
}
