package mdtext

import (
	"html"
	"regexp"
	"strings"
)

var (
	codeSpan  = regexp.MustCompile("(`+)[^`]*?(`+)")
	escaped   = regexp.MustCompile(`\\([!-/:-@\[-` + "`" + `{-~])`)
	mentionRe = regexp.MustCompile(`(?:^|[^A-Za-z0-9_/` + "`" + `])(@[A-Za-z0-9][A-Za-z0-9-]*(?:/[A-Za-z0-9][A-Za-z0-9_.-]*)?)`)
	refRe     = regexp.MustCompile(`(?:^|[^A-Za-z0-9_&])(#[0-9]+)\b`)
)

// Mentions lists what GitHub would read as mentions (`@user`,
// `@org/team`) and issue references (`#12`) in Markdown: outside code
// spans, once backslash escapes and HTML entities are resolved, as
// GitHub's renderer resolves them before it looks for mentions. Tests use
// it to prove that rendered reports ping no one.
func Mentions(md string) []string {
	text := html.UnescapeString(escaped.ReplaceAllString(StripCode(md), "$1"))
	var found []string
	for _, line := range strings.Split(text, "\n") {
		for _, m := range mentionRe.FindAllStringSubmatch(line, -1) {
			found = append(found, m[1])
		}
		for _, m := range refRe.FindAllStringSubmatch(line, -1) {
			found = append(found, m[1])
		}
	}
	return found
}

// StripCode removes the fenced code blocks of Markdown and replaces its
// code spans by a space: what is left is what GitHub renders as Markdown
// and HTML.
func StripCode(md string) string {
	var kept []string
	fence := 0 // the length of the open block's fence, 0 outside blocks
	for _, line := range strings.Split(md, "\n") {
		n := len(line) - len(strings.TrimLeft(line, "`"))
		switch {
		case fence == 0 && n >= 3:
			fence = n
		case fence > 0 && n >= fence && strings.TrimSpace(line[n:]) == "":
			fence = 0
		case fence == 0:
			kept = append(kept, line)
		}
	}
	return codeSpan.ReplaceAllStringFunc(strings.Join(kept, "\n"), func(span string) string {
		m := codeSpan.FindStringSubmatch(span)
		if len(m[1]) != len(m[2]) {
			return span
		}
		return " "
	})
}

// BrokenRows lists the rows of Markdown tables whose number of cells is
// not their header's, as GitHub splits them (at every `|` not escaped by a
// backslash): a name that broke out of its cell.
func BrokenRows(md string) []string {
	var broken []string
	header := -1
	for _, line := range strings.Split(md, "\n") {
		if !strings.HasPrefix(line, "|") {
			header = -1
			continue
		}
		n := cells(line)
		if header < 0 {
			header = n
		} else if n != header {
			broken = append(broken, line)
		}
	}
	return broken
}

func cells(row string) int {
	n := 0
	for i := 0; i < len(row); i++ {
		switch row[i] {
		case '\\':
			i++
		case '|':
			n++
		}
	}
	return n
}

var liveLink = regexp.MustCompile(`(^|[^\\])\]\(`)

// Problems lists what in rendered Markdown escaped its escaping: live
// mentions and references, table rows broken out of shape, and HTML tags
// or links outside code. Tests of every Markdown renderer call it.
func Problems(md string) []string {
	var out []string
	for _, m := range Mentions(md) {
		out = append(out, "live mention or reference "+m)
	}
	for _, row := range BrokenRows(md) {
		out = append(out, "broken table row: "+row)
	}
	prose := StripCode(md)
	for _, tag := range []string{"<img", "<a ", "<script"} {
		if strings.Contains(prose, tag) {
			out = append(out, "HTML tag "+tag+"> outside code")
		}
	}
	if liveLink.MatchString(prose) {
		out = append(out, "a link or image outside code")
	}
	return out
}
