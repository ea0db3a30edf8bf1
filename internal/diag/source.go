package diag

import (
	"strings"
	"unicode/utf8"
)

// Source is a file's text indexed by line, so diagnostics can quote the
// offending line and convert byte offsets to line:col.
type Source struct {
	Name  string
	Text  string
	lines []int // byte offset of the start of each line
}

// NewSource indexes text for position look-ups. Lines end as YAML's do
// (https://yaml.org/spec/1.2.2/#54-line-break-characters): at a line
// feed, a carriage return and line feed, or a carriage return alone.
func NewSource(name, text string) *Source {
	s := &Source{Name: name, Text: text, lines: []int{0}}
	for i := 0; i < len(text); i++ {
		if text[i] == '\n' || text[i] == '\r' && (i+1 == len(text) || text[i+1] != '\n') {
			s.lines = append(s.lines, i+1)
		}
	}
	return s
}

// Line returns the text of 1-based line n without its line ending.
func (s *Source) Line(n int) string {
	if n < 1 || n > len(s.lines) {
		return ""
	}
	start := s.lines[n-1]
	end := len(s.Text)
	if n < len(s.lines) {
		end = s.lines[n] - 1
	}
	return strings.TrimRight(s.Text[start:end], "\r")
}

// LineCount is the number of lines.
func (s *Source) LineCount() int { return len(s.lines) }

// PosOf converts a byte offset into a 1-based line and code-point column.
func (s *Source) PosOf(offset int) Pos {
	if offset < 0 {
		offset = 0
	}
	if offset > len(s.Text) {
		offset = len(s.Text)
	}
	lo, hi := 0, len(s.lines)-1
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if s.lines[mid] <= offset {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	col := utf8.RuneCountInString(s.Text[s.lines[lo]:offset]) + 1
	return Pos{File: s.Name, Line: lo + 1, Col: col}
}

// Offset converts a 1-based line and code-point column into a byte offset.
func (s *Source) Offset(line, col int) int {
	if line < 1 || line > len(s.lines) {
		return len(s.Text)
	}
	off := s.lines[line-1]
	for c := 1; c < col && off < len(s.Text) && s.Text[off] != '\n' && s.Text[off] != '\r'; c++ {
		_, size := utf8.DecodeRuneInString(s.Text[off:])
		off += size
	}
	return off
}

// New makes a diagnostic at pos, filling in the quoted source line.
func (s *Source) New(sev Severity, pos Pos, code, msg, hint string) Diagnostic {
	if pos.File == "" {
		pos.File = s.Name
	}
	return Diagnostic{Pos: pos, Severity: sev, Code: code, Message: msg, Hint: hint, Source: s.Line(pos.Line)}
}
