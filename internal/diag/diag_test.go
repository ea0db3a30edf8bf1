package diag

import (
	"strings"
	"testing"
)

func TestPrint(t *testing.T) {
	src := NewSource("p.yaml", "name: x\n\twhen: é == 'UK'\r\nlast")
	l := List{
		src.New(Warning, src.PosOf(strings.Index(src.Text, "'UK'")), "invalid-country", "bad country", "use GB"),
		src.New(Error, Pos{Line: 1, Col: 7}, "empty-name", "bad name", ""),
		{Pos: Pos{File: "p.yaml"}, Severity: Error, Code: "unreadable", Message: "gone"},
	}
	l.Sort()
	var b strings.Builder
	l.Print(&b, 2)
	want := `p.yaml: error: gone [unreadable]
p.yaml:1:7: error: bad name [empty-name]
 1 | name: x
   |       ^
1 more problems not shown
`
	if b.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", b.String(), want)
	}
	b.Reset()
	l[2].Print(&b)
	// The tab prints as one space and é is one column, so the caret stays
	// under the quote.
	want = `p.yaml:2:13: warning: bad country [invalid-country]
 2 |  when: é == 'UK'
   |             ^
  hint: use GB
`
	if b.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", b.String(), want)
	}
	if !l.HasErrors() || len(l.Errors()) != 2 {
		t.Errorf("HasErrors/Errors wrong for %v", l)
	}
}

func TestSourcePositions(t *testing.T) {
	src := NewSource("f", "ab\nçd\n")
	for off, want := range map[int]string{0: "f:1:1", 3: "f:2:1", 5: "f:2:2", 7: "f:3:1", 99: "f:3:1"} {
		if got := src.PosOf(off).String(); got != want {
			t.Errorf("PosOf(%d) = %s, want %s", off, got, want)
		}
	}
	if got := src.Offset(2, 2); got != 5 {
		t.Errorf("Offset(2, 2) = %d, want 5", got)
	}
	if got := src.Line(2); got != "çd" {
		t.Errorf("Line(2) = %q", got)
	}
	if src.LineCount() != 3 {
		t.Errorf("LineCount = %d", src.LineCount())
	}
}

func TestSuggest(t *testing.T) {
	for word, want := range map[string]string{
		"contryCode":    "countryCode",
		"COUNTRYCODE":   "countryCode",
		"riskAssesment": "riskAssessment",
		"zz":            "",
		"x":             "",
	} {
		if got := Suggest(word, []string{"countryCode", "riskAssessment", "ip"}); got != want {
			t.Errorf("Suggest(%q) = %q, want %q", word, got, want)
		}
	}
}
