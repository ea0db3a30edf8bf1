package compile

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// This file is the only place where policy text becomes JavaScript text:
// string literals through jsString, comments through jsComment. Everything
// else the compiler emits is built from fixed fragments and generated
// identifiers.

// jsString quotes s as a JavaScript string literal that evaluates to the
// same sequence of code points. The output is printable ASCII only, so no
// character of s can end the literal, the line, a comment or a <script>
// element, and neither "##" nor "@@" can appear in it.
func jsString(s string) (string, error) {
	if !utf8.ValidString(s) {
		return "", fmt.Errorf("string %q is not valid UTF-8", s)
	}
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	prev := rune(0)
	for _, r := range s {
		switch {
		case r == '/' && prev == '*': // "*/" would end a block comment
			b.WriteString(`\x2f`)
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '#' || r == '@' || r == '<':
			fmt.Fprintf(&b, `\x%02x`, r)
		case r >= 0x20 && r < 0x7f:
			b.WriteRune(r)
		case r < 0x10000:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			r -= 0x10000
			fmt.Fprintf(&b, `\u%04x\u%04x`, 0xd800+(r>>10), 0xdc00+(r&0x3ff))
		}
		prev = r
	}
	b.WriteByte('"')
	return b.String(), nil
}

// jsComment renders s as the text of a line comment: printable ASCII, with
// every other character (line breaks, U+2028, non-ASCII), '#', '@', '\'
// and the '<' of "</" and "<!" written as escapes, so the comment cannot
// end early, carry a keyword-replacement marker or close a script element.
// A '<' before anything else stays, so comparisons read as written.
func jsComment(s string) string {
	var b strings.Builder
	s = strings.ToValidUTF8(s, "\uFFFD")
	for i, r := range s {
		switch {
		case r == '<' && (strings.HasPrefix(s[i+1:], "/") || strings.HasPrefix(s[i+1:], "!")):
			b.WriteString(`\x3c`)
		case r == '\\' || r == '#' || r == '@':
			fmt.Fprintf(&b, `\x%02x`, r)
		case r >= 0x20 && r < 0x7f:
			b.WriteRune(r)
		default:
			fmt.Fprintf(&b, `\u{%x}`, r)
		}
	}
	return b.String()
}

// jsInt renders a CEL int as a bigint literal.
func jsInt(v int64) string { return strconv.FormatInt(v, 10) + "n" }

// jsDouble renders a CEL double as a number literal (or expression).
func jsDouble(f float64) string {
	switch {
	case math.IsNaN(f):
		return "(0 / 0)"
	case math.IsInf(f, 1):
		return "(1 / 0)"
	case math.IsInf(f, -1):
		return "(-1 / 0)"
	case f == 0 && math.Signbit(f):
		return "-0"
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

// JavaScript operator precedence, as far as the emitter uses it.
const (
	precArrow   = 2
	precCond    = 3
	precOr      = 4
	precAnd     = 5
	precEq      = 9
	precRel     = 10
	precAdd     = 12
	precMul     = 13
	precUnary   = 15
	precPrimary = 20
)

// jsExpr is emitted JavaScript with its precedence.
type jsExpr struct {
	text string
	prec int
	// logic, when set, is a CEL && or || that is the result of a function,
	// whose body computes it with statements (body); text is then empty.
	logic *logicExpr
}

// logicExpr is a CEL && (or ||, when or is set) of two operands.
type logicExpr struct {
	or   bool
	a, b jsExpr
}

func primary(text string) jsExpr { return jsExpr{text: text, prec: precPrimary} }

// at returns e's text, parenthesised when its precedence is below min.
func (e jsExpr) at(min int) string {
	if e.logic != nil {
		panic("compile: a CEL && or || written as statements was used as a value")
	}
	if e.prec < min {
		return "(" + e.text + ")"
	}
	return e.text
}

// call emits fn(args...) for a fixed, compiler-chosen fn.
func call(fn string, args ...jsExpr) jsExpr {
	parts := make([]string, len(args))
	for i, a := range args {
		parts[i] = a.at(precArrow)
	}
	return primary(fn + "(" + strings.Join(parts, ", ") + ")")
}

// binary emits a op b for a left-associative operator of precedence p.
func binary(a jsExpr, op string, b jsExpr, p int) jsExpr {
	return jsExpr{text: a.at(p) + " " + op + " " + b.at(p+1), prec: p}
}
