package diag

import (
	"strings"
	"testing"
	"unicode/utf8"
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

// TestLoneCarriageReturns: a carriage return alone ends a line, as in
// YAML, so positions and quoted lines agree with the YAML parser's.
func TestLoneCarriageReturns(t *testing.T) {
	src := NewSource("f", "a: 1\rb: 2\r\nc: x\r")
	if got := src.PosOf(strings.Index(src.Text, "x")).String(); got != "f:3:4" {
		t.Errorf("PosOf(x) = %s, want f:3:4", got)
	}
	for n, want := range []string{"a: 1", "b: 2", "c: x", ""} {
		if got := src.Line(n + 1); got != want {
			t.Errorf("Line(%d) = %q, want %q", n+1, got, want)
		}
	}
	if got := src.Offset(3, 9); got != len("a: 1\rb: 2\r\nc: x") {
		t.Errorf("Offset(3, 9) = %d, stops past the line's end", got)
	}
}

// TestExcerptIsSafe: control characters and invalid bytes print as
// U+FFFD, one for one, and a long line is cut around the column, with the
// caret still under it.
func TestExcerptIsSafe(t *testing.T) {
	line := "\x1b[2J\x00bad\xff" + strings.Repeat("x", 300) + "HERE" + strings.Repeat("y", 300)
	col := 1 + len([]rune("\x1b[2J\x00bad")) + 1 + 300
	var b strings.Builder
	Diagnostic{Pos: Pos{File: "f", Line: 1, Col: col}, Severity: Error, Code: "c", Message: "m", Source: line}.Print(&b)
	out := b.String()
	if strings.ContainsAny(out, "\x1b\x00") || !utf8.ValidString(out) {
		t.Fatalf("control characters or invalid UTF-8 printed: %q", out)
	}
	lines := strings.Split(out, "\n")
	quoted, caret := lines[1], lines[2]
	if !strings.HasPrefix(strings.TrimPrefix(quoted, " 1 | "), "…") || !strings.HasSuffix(quoted, "…") {
		t.Errorf("a long line is not cut at both ends: %q", quoted)
	}
	if n := utf8.RuneCountInString(quoted); n > maxExcerpt+10 {
		t.Errorf("quoted line has %d characters", n)
	}
	at := strings.Index(caret, "^")
	if got := string([]rune(quoted)[utf8.RuneCountInString(caret[:at]):][:4]); got != "HERE" {
		t.Errorf("the caret is under %q, want HERE:\n%s\n%s", got, quoted, caret)
	}
	b.Reset()
	Diagnostic{Pos: Pos{File: "f", Line: 1, Col: 5}, Severity: Error, Code: "c", Message: "m", Source: "a\rb\x7fc d"}.Print(&b)
	if want := " 1 | a\uFFFDb\uFFFDc d\n   |     ^\n"; !strings.Contains(b.String(), want) {
		t.Errorf("got %q, want it to contain %q", b.String(), want)
	}
}
