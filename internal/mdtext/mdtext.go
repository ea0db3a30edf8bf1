package mdtext

import (
	"strings"
	"unicode/utf8"
)

// joiner is the zero-width joiner put after an `@` or a `#` that GitHub
// would read as a mention or a reference: the text looks the same, but
// "@\u200dname" names no one.
const joiner = "\u200d"

// escaper escapes what Markdown and GitHub's HTML subset would read as
// markup. The backslash is escaped first of all (one pass), so a name
// ending in `\` cannot undo the escape of a following `|`; `&` is escaped
// so that an entity such as `&#64;` cannot spell an `@` once rendered.
var escaper = strings.NewReplacer(
	"\\", "\\\\", "|", "\\|", "\r", " ", "\n", " ",
	"&", "&amp;", "<", "&lt;", ">", "&gt;",
	"*", "\\*", "_", "\\_", "`", "\\`", "[", "\\[", "]", "\\]", "~", "\\~",
)

// Text returns s as inline Markdown text, safe in a table cell.
func Text(s string) string {
	return Unmention(escaper.Replace(s))
}

// Code returns s as a code span (empty for an empty s), one span in one
// table cell: a backquote would end it (it becomes '), a newline the row
// (a space), and a `|` the cell. GitHub splits table rows before it parses
// code spans, so a `|` is escaped there too, behind an odd run of
// backslashes, which escapes it whether a renderer pairs backslashes or
// not. GitHub does not read mentions or references inside code spans.
func Code(s string) string {
	if s == "" {
		return ""
	}
	var b strings.Builder
	b.Grow(len(s) + 4)
	b.WriteByte('`')
	run := 0 // backslashes just written
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '`':
			c = '\''
		case '\r', '\n':
			c = ' '
		case '|':
			b.WriteString(strings.Repeat("\\", 1+run%2))
		}
		b.WriteByte(c)
		if c == '\\' {
			run++
		} else {
			run = 0
		}
	}
	b.WriteByte('`')
	return b.String()
}

// Unmention puts a zero-width joiner after every `@` and `#` that GitHub
// could read as the start of a mention (`@user`, `@org/team`) or of an
// issue reference (`#12`, `GH-12` is left alone: it needs the
// repository's autolink settings), so that plain text and annotation
// messages ping and reference no one.
func Unmention(s string) string {
	if !strings.ContainsAny(s, "@#") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); i++ {
		c := s[i]
		b.WriteByte(c)
		if (c == '@' || c == '#') && i+1 < len(s) && live(s[i+1:]) {
			b.WriteString(joiner)
		}
	}
	return b.String()
}

// live says whether the text after an `@` or a `#` starts like a name or a
// number: a letter or digit of any script (GitHub's user names are ASCII,
// but a look-alike must not get through either) or a character that a
// later rendering step could drop (a backslash, another joiner).
func live(rest string) bool {
	r, _ := utf8.DecodeRuneInString(rest)
	switch {
	case r == '\\' || r == '\u200d' || r == '\u200b' || r == '\u2060' || r == '\ufeff':
		return true
	case r < utf8.RuneSelf:
		return r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '-' || r == '_'
	}
	return r > 0x7f
}

// CodeBlock returns text as a fenced code block, whose fence is longer
// than any run of backquotes in the text, so that no line of it can close
// the block early and turn the rest into Markdown.
func CodeBlock(text string) string {
	longest, run := 0, 0
	for i := 0; i < len(text); i++ {
		if text[i] == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", max(3, longest+1))
	if !strings.HasSuffix(text, "\n") {
		text += "\n"
	}
	return fence + "\n" + text + fence + "\n"
}
