// Package diag is the one type for positioned problems in mfapolicy: a
// policy error, a lint warning or a bad input line. Each carries a 1-based
// file:line:col (columns count Unicode code points), a stable kebab-case
// code, the offending source line, and prints with a caret under the spot.
package diag

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode/utf8"
)

// Severity says whether a problem fails a check.
type Severity string

const (
	// Error fails `mfapolicy check` (exit 1).
	Error Severity = "error"
	// Warning is printed but does not fail the check.
	Warning Severity = "warning"
)

// Pos is a 1-based position. Column counts Unicode code points; 0 means the
// whole line (or the whole file when Line is 0 too).
type Pos struct {
	File string `json:"file"`
	Line int    `json:"line,omitempty"`
	Col  int    `json:"column,omitempty"`
}

func (p Pos) String() string {
	switch {
	case p.Line == 0:
		return p.File
	case p.Col == 0:
		return fmt.Sprintf("%s:%d", p.File, p.Line)
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// Diagnostic is one positioned problem.
type Diagnostic struct {
	Pos
	Severity Severity `json:"severity"`
	Code     string   `json:"code"`
	Message  string   `json:"message"`
	Hint     string   `json:"hint,omitempty"`
	// Source is the text of the line the position points into.
	Source string `json:"source,omitempty"`
}

// Error formats the diagnostic on one line, without the excerpt.
func (d Diagnostic) Error() string {
	return fmt.Sprintf("%s: %s: %s [%s]", d.Pos, d.Severity, d.Message, d.Code)
}

// List is a set of diagnostics; it is itself an error when non-empty.
type List []Diagnostic

func (l List) Error() string {
	if len(l) == 0 {
		return "no problems"
	}
	if len(l) == 1 {
		return l[0].Error()
	}
	return fmt.Sprintf("%s (and %d more)", l[0].Error(), len(l)-1)
}

// HasErrors reports whether any diagnostic is an error (not a warning).
func (l List) HasErrors() bool {
	for _, d := range l {
		if d.Severity == Error {
			return true
		}
	}
	return false
}

// Errors returns only the errors.
func (l List) Errors() List {
	var out List
	for _, d := range l {
		if d.Severity == Error {
			out = append(out, d)
		}
	}
	return out
}

// Sort orders by file, line, column, then code, so output is deterministic.
func (l List) Sort() {
	sort.SliceStable(l, func(i, j int) bool {
		a, b := l[i], l[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Col != b.Col {
			return a.Col < b.Col
		}
		return a.Code < b.Code
	})
}

// Print writes each diagnostic with its source excerpt and caret, at most
// max of them (0: all), then "N more errors" for the rest.
func (l List) Print(w io.Writer, max int) {
	for i, d := range l {
		if max > 0 && i == max {
			fmt.Fprintf(w, "%d more problems not shown\n", len(l)-max)
			return
		}
		d.Print(w)
	}
}

// Print writes one diagnostic: the headline, the source line with a caret
// under the column, and the hint.
func (d Diagnostic) Print(w io.Writer) {
	fmt.Fprintf(w, "%s: %s: %s [%s]\n", d.Pos, d.Severity, d.Message, d.Code)
	if d.Source != "" && d.Line > 0 {
		num := fmt.Sprintf("%d", d.Line)
		src, col := excerpt(d.Source, d.Col)
		fmt.Fprintf(w, " %s | %s\n", num, src)
		if d.Col > 0 {
			pad := strings.Repeat(" ", len(num))
			fmt.Fprintf(w, " %s | %s^\n", pad, strings.Repeat(" ", caretOffset(src, col)))
		}
	}
	if d.Hint != "" {
		fmt.Fprintf(w, "  hint: %s\n", d.Hint)
	}
}

// maxExcerpt is how many characters of a source line a diagnostic shows.
const maxExcerpt = 160

// excerpt makes a source line safe to print and short: a tab becomes a
// space, and a control character (a carriage return, an escape sequence's
// start, anything of a binary file) or an invalid byte becomes U+FFFD, one
// character for one, so that columns stay where they were. A line longer
// than maxExcerpt is cut to a window around col, marked with "…" at a cut
// end; the column is moved to match.
func excerpt(line string, col int) (string, int) {
	rs := make([]rune, 0, min(len(line), 4*maxExcerpt))
	for _, r := range line {
		switch {
		case r == '\t':
			r = ' '
		case r < 0x20, r >= 0x7f && r < 0xa0, r == utf8.RuneError:
			r = utf8.RuneError
		}
		rs = append(rs, r)
	}
	if len(rs) <= maxExcerpt {
		return string(rs), col
	}
	start := max(0, min(col-1-maxExcerpt/2, len(rs)-maxExcerpt))
	end := start + maxExcerpt
	out := string(rs[start:end])
	if start > 0 {
		out = "…" + out
		col = col - start + 1
	}
	if end < len(rs) {
		out += "…"
	}
	return out, col
}

// caretOffset turns a 1-based code-point column into the number of spaces
// before the caret, clamped to the line.
func caretOffset(line string, col int) int {
	n := utf8.RuneCountInString(line)
	if col-1 > n {
		return n
	}
	return col - 1
}
