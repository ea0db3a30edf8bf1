package policy

import (
	"unicode/utf8"

	yaml "go.yaml.in/yaml/v4"

	"github.com/mfapolicy/mfapolicy/internal/diag"
)

// scalarText is a YAML scalar's decoded value with, for each of its code
// points, the byte offset in the file it came from. It lets a CEL position
// inside `when` be reported at the right file line and column whatever the
// scalar style: plain, single- or double-quoted, literal (|) or folded (>).
type scalarText struct {
	value   string
	runes   []rune
	offsets []int // per code point of value
	lines   []int // code-point index at which each line of value starts
}

// skippable reports whether a raw character may be dropped by decoding a
// scalar of the given style: indentation and line breaks always, and the
// quote character of a quoted scalar (the closing quote, or the first of
// the two quotes that stand for one inside single quotes).
func skippable(b byte, style yaml.Style) bool {
	switch b {
	case ' ', '\t', '\n', '\r':
		return true
	case '\'':
		return style&yaml.SingleQuotedStyle != 0
	case '"':
		return style&yaml.DoubleQuotedStyle != 0
	}
	return false
}

// mapScalar aligns the decoded value of n with the raw file text, starting
// where the node starts (or on the next line for block scalars).
func mapScalar(src *diag.Source, n *yaml.Node) *scalarText {
	st := &scalarText{value: n.Value, runes: []rune(n.Value), lines: []int{0}}
	raw := src.Text
	r := src.Offset(n.Line, n.Column)
	dq := n.Style&yaml.DoubleQuotedStyle != 0
	if n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		r = src.Offset(n.Line+1, 1)
	} else if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 && r < len(raw) {
		r++ // the opening quote
	}
	i := 0
	for _, v := range n.Value {
		i++
		if v == '\n' {
			st.lines = append(st.lines, i)
		}
		if dq {
			r = skipContinuation(raw, r)
			if r < len(raw) && raw[r] == '\\' {
				// An escape sequence decodes to exactly one code point.
				st.offsets = append(st.offsets, r)
				r += escapeLen(raw[r:])
				continue
			}
		}
		for r < len(raw) && rune(raw[r]) != v && skippable(raw[r], n.Style) && !(v == ' ' || v == '\n') {
			r++
		}
		st.offsets = append(st.offsets, min(r, len(raw)))
		if r < len(raw) {
			rv, size := utf8.DecodeRuneInString(raw[r:])
			if rv == v || !(v == ' ' || v == '\n') {
				r += size
			} else if raw[r] == '\n' || raw[r] == '\r' {
				// A folded line break: skip the break and the next indentation.
				for r < len(raw) && (raw[r] == '\n' || raw[r] == '\r' || raw[r] == ' ' || raw[r] == '\t') {
					r++
				}
			}
		}
	}
	st.offsets = append(st.offsets, min(r, len(raw))) // one past the end
	return st
}

// skipContinuation skips an escaped line break of a double-quoted scalar
// (a backslash at the end of a line) and the indentation after it.
func skipContinuation(raw string, r int) int {
	for r+1 < len(raw) && raw[r] == '\\' && (raw[r+1] == '\n' || raw[r+1] == '\r') {
		r++
		for r < len(raw) && (raw[r] == '\n' || raw[r] == '\r' || raw[r] == ' ' || raw[r] == '\t') {
			r++
		}
	}
	return r
}

// escapeLen is the length in bytes of the escape sequence at the start of
// s, which starts with a backslash.
func escapeLen(s string) int {
	n := 2
	if len(s) > 1 {
		switch s[1] {
		case 'x':
			n = 4
		case 'u':
			n = 6
		case 'U':
			n = 10
		}
	}
	return min(n, len(s))
}

// tokenOffset returns the file byte offset of the code point at line
// (1-based) and column (0-based, in code points) of the value, as cel-go
// reports them, moved onto the name the location is about: cel-go places a field selection at its '.' and a call at its '(', but
// the reader looks for the field or function name.
func (st *scalarText) tokenOffset(line, col int) int {
	i := st.index(line, col)
	if i >= len(st.runes) {
		return st.offsets[i]
	}
	switch st.runes[i] {
	case '.':
		j := i + 1
		for j < len(st.runes) && isSpace(st.runes[j]) {
			j++
		}
		if j < len(st.runes) && isIdent(st.runes[j]) {
			i = j
		}
	case '(':
		j := i
		for j > 0 && isSpace(st.runes[j-1]) {
			j--
		}
		k := j
		for k > 0 && isIdent(st.runes[k-1]) {
			k--
		}
		if k < j {
			i = k
		}
	}
	return st.offsets[i]
}

// isCall reports whether a cel-go location is the '(' of a call.
func (st *scalarText) isCall(line, col int) bool {
	i := st.index(line, col)
	return i < len(st.runes) && st.runes[i] == '('
}

// start is the offset of the first code point of the value that is not
// white space: where a problem with the whole condition is shown.
func (st *scalarText) start() int {
	i := 0
	for i < len(st.runes) && isSpace(st.runes[i]) {
		i++
	}
	return st.offsets[i]
}

// index converts a cel-go line and column into a code-point index of the
// value, clamped to the value (one past its end at most).
func (st *scalarText) index(line, col int) int {
	if line < 1 {
		line = 1
	}
	if line > len(st.lines) {
		line = len(st.lines)
	}
	idx := st.lines[line-1] + col
	if idx < 0 {
		idx = 0
	}
	if idx >= len(st.offsets) {
		idx = len(st.offsets) - 1
	}
	return idx
}

func isSpace(r rune) bool { return r == ' ' || r == '\t' || r == '\n' || r == '\r' }

func isIdent(r rune) bool {
	return r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
}
