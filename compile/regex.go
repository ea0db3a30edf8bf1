package compile

import (
	"fmt"
	"regexp/syntax"
	"strconv"
	"strings"
	"unicode"
)

// A regex is an RE2 pattern translated to JavaScript regular expression
// source (to be used with the `u` flag and no other).
//
// CEL's matches() is Go's regexp: RE2 syntax and semantics, an unanchored
// search. JavaScript's RegExp differs in syntax (classes, \w, \s, \p{..},
// case folding, `.` and line terminators, `$` before a final newline) and in
// engine (backtracking). The translation therefore never passes pattern
// text through: it parses the pattern with regexp/syntax, as Go does, and
// prints the tree using only constructs whose meaning is the same in both
// (explicit code point classes, (?:...) groups, quantifiers, text anchors).
// Multi-line anchors and word boundaries are rejected: goja's engine
// (regexp2) mishandles lookarounds inside alternations and treats non-ASCII
// letters as word characters, so the simulator would disagree with Node. Whether a
// string matches depends only on the language each node accepts, so
// greediness and capture groups need not be kept.
//
// Nested unbounded repetition is rejected: a backtracking engine can take
// exponential time on it (RE2 never does), and an Action that times out
// fails the login.
type regexError struct{ msg string }

func (e *regexError) Error() string { return e.msg }

// Precedence levels of printed regex fragments.
const (
	reAlt    = iota // a|b
	reConcat        // ab
	reAtom          // a, [ab], (?:...)
)

// translateRegex returns the JavaScript source equivalent to the RE2 pattern.
func translateRegex(pattern string) (string, error) {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return "", &regexError{fmt.Sprintf("invalid regular expression %s: %v", strconv.Quote(pattern), err)}
	}
	var b strings.Builder
	if _, err := printRegex(&b, re, 0); err != nil {
		return "", err
	}
	return b.String(), nil
}

// printRegex writes re and returns its precedence level. depth counts the
// enclosing unbounded repetitions.
func printRegex(b *strings.Builder, re *syntax.Regexp, depth int) (int, error) {
	switch re.Op {
	case syntax.OpNoMatch:
		b.WriteString("[]")
	case syntax.OpEmptyMatch:
		b.WriteString("(?:)")
	case syntax.OpLiteral:
		return printLiteral(b, re), nil
	case syntax.OpCharClass:
		printClass(b, re.Rune)
	case syntax.OpAnyCharNotNL:
		b.WriteString(`[^\n]`)
	case syntax.OpAnyChar:
		b.WriteString(`[\s\S]`)
	case syntax.OpBeginLine, syntax.OpEndLine:
		return 0, &regexError{"multi-line anchors ((?m)^ and (?m)$) are not supported: the simulator's regular expression engine disagrees with Node.js on the lookarounds they need"}
	case syntax.OpBeginText:
		b.WriteString(`(?:^)`)
	case syntax.OpEndText:
		b.WriteString(`(?:$)`)
	case syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return 0, &regexError{"word boundaries (\\b, \\B) are not supported: the simulator's regular expression engine treats non-ASCII letters as word characters, Go and Node.js do not"}
	case syntax.OpCapture:
		return printRegex(b, re.Sub[0], depth)
	case syntax.OpStar, syntax.OpPlus, syntax.OpQuest, syntax.OpRepeat:
		return printRepeat(b, re, depth)
	case syntax.OpConcat:
		return printSeq(b, re.Sub, depth, "", reConcat)
	case syntax.OpAlternate:
		return printSeq(b, re.Sub, depth, "|", reAlt)
	default:
		return 0, &regexError{fmt.Sprintf("regular expression construct %v is not supported", re.Op)}
	}
	return reAtom, nil
}

func printSeq(b *strings.Builder, subs []*syntax.Regexp, depth int, sep string, level int) (int, error) {
	for i, sub := range subs {
		if i > 0 {
			b.WriteString(sep)
		}
		if err := printAtLeast(b, sub, depth, level+1); err != nil {
			return 0, err
		}
	}
	return level, nil
}

// printAtLeast prints re, grouped when its precedence is below min.
func printAtLeast(b *strings.Builder, re *syntax.Regexp, depth, min int) error {
	var inner strings.Builder
	level, err := printRegex(&inner, re, depth)
	if err != nil {
		return err
	}
	if level < min {
		b.WriteString("(?:")
		b.WriteString(inner.String())
		b.WriteString(")")
		return nil
	}
	b.WriteString(inner.String())
	return nil
}

func printRepeat(b *strings.Builder, re *syntax.Regexp, depth int) (int, error) {
	unbounded := re.Op == syntax.OpStar || re.Op == syntax.OpPlus || (re.Op == syntax.OpRepeat && re.Max < 0)
	if unbounded {
		if depth > 0 {
			return 0, &regexError{"nested repetition such as (a+)* is not supported: it can take exponential time in JavaScript"}
		}
		depth++
	}
	// Group always: a quantifier directly on an assertion is a syntax
	// error with the u flag, and grouping costs nothing.
	b.WriteString("(?:")
	if err := printAtLeast(b, re.Sub[0], depth, reAlt); err != nil {
		return 0, err
	}
	b.WriteString(")")
	switch re.Op {
	case syntax.OpStar:
		b.WriteString("*")
	case syntax.OpPlus:
		b.WriteString("+")
	case syntax.OpQuest:
		b.WriteString("?")
	default:
		switch {
		case re.Max < 0:
			fmt.Fprintf(b, "{%d,}", re.Min)
		case re.Max == re.Min:
			fmt.Fprintf(b, "{%d}", re.Min)
		default:
			fmt.Fprintf(b, "{%d,%d}", re.Min, re.Max)
		}
	}
	return reAtom, nil
}

func printLiteral(b *strings.Builder, re *syntax.Regexp) int {
	for _, r := range re.Rune {
		if re.Flags&syntax.FoldCase != 0 {
			if orbit := foldOrbit(r); len(orbit) > 1 {
				var ranges []rune
				for _, o := range orbit {
					ranges = append(ranges, o, o)
				}
				printClass(b, ranges)
				continue
			}
		}
		printRune(b, r)
	}
	if len(re.Rune) == 1 {
		return reAtom
	}
	return reConcat
}

// foldOrbit lists the runes equal to r under simple case folding, sorted.
func foldOrbit(r rune) []rune {
	orbit := []rune{r}
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		orbit = append(orbit, f)
	}
	for i := 1; i < len(orbit); i++ {
		for j := i; j > 0 && orbit[j] < orbit[j-1]; j-- {
			orbit[j], orbit[j-1] = orbit[j-1], orbit[j]
		}
	}
	return orbit
}

// printClass writes a class of sorted [lo, hi] rune pairs.
func printClass(b *strings.Builder, ranges []rune) {
	b.WriteString("[")
	for i := 0; i+1 < len(ranges); i += 2 {
		printRune(b, ranges[i])
		if ranges[i+1] != ranges[i] {
			b.WriteString("-")
			printRune(b, ranges[i+1])
		}
	}
	b.WriteString("]")
}

// printRune writes ASCII letters and digits as themselves and every other
// code point as \u{X}, which means the same inside and outside classes.
func printRune(b *strings.Builder, r rune) {
	if r < 0x80 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
		b.WriteRune(r)
		return
	}
	fmt.Fprintf(b, `\u{%x}`, r)
}
