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
	offsets []int // per code point of value
	lines   []int // code-point index at which each line of value starts
}

// skippable are raw characters that a scalar's decoding may drop:
// indentation, line breaks, quotes and escape backslashes.
func skippable(b byte) bool {
	switch b {
	case ' ', '\t', '\n', '\r', '\'', '"', '\\':
		return true
	}
	return false
}

// mapScalar aligns the decoded value of n with the raw file text, starting
// where the node starts (or on the next line for block scalars).
func mapScalar(src *diag.Source, n *yaml.Node) *scalarText {
	st := &scalarText{value: n.Value, lines: []int{0}}
	raw := src.Text
	r := src.Offset(n.Line, n.Column)
	if n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		r = src.Offset(n.Line+1, 1)
	} else if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 && r < len(raw) {
		r++ // the opening quote
	}
	i := 0
	for _, v := range n.Value {
		for r < len(raw) && rune(raw[r]) != v && skippable(raw[r]) && !(v == ' ' || v == '\n') {
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
		i++
		if v == '\n' {
			st.lines = append(st.lines, i)
		}
	}
	st.offsets = append(st.offsets, min(r, len(raw))) // one past the end
	return st
}

// offsetAt returns the file byte offset of the code point at line (1-based)
// and column (0-based, in code points) of the value, as cel-go reports them.
func (st *scalarText) offsetAt(line, col int) int {
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
	return st.offsets[idx]
}
