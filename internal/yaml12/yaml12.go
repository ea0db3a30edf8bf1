// Package yaml12 loads YAML with go.yaml.in/yaml/v4 and gives every scalar
// the text YAML 1.2 gives it. yaml/v4 follows YAML 1.1 in reading U+0085
// (NEL), U+2028 (LINE SEPARATOR) and U+2029 (PARAGRAPH SEPARATOR) as line
// breaks, so that "a\u2028 b" loses its space (a break is folded); YAML 1.2,
// JSON and the other readers of the same file (editors, review tools,
// github.com/goccy/go-yaml) read them as ordinary characters. A reviewed
// deny reason must reach the Action byte for byte, so these three
// characters are read as YAML 1.2 reads them.
//
//	var doc yaml.Node
//	err := yaml12.Load(text, &doc)
package yaml12

import (
	"strings"
	"unicode/utf8"

	yaml "go.yaml.in/yaml/v4"
)

// breaks are the characters yaml/v4 reads as line breaks and YAML 1.2 does
// not.
var breaks = []rune{'\u0085', '\u2028', '\u2029'}

// Load parses text into n. Before parsing, each of the three characters is
// replaced by a stand-in of the same UTF-8 length that the text does not
// hold, which yaml/v4 reads as an ordinary character, so that every
// position (line, column, byte offset) is unchanged; the stand-ins are
// then turned back in every node's value.
func Load(text string, n *yaml.Node) error {
	masked, restore := mask(text)
	if err := yaml.Load([]byte(masked), n); err != nil {
		return err
	}
	if restore != nil {
		unmask(n, restore)
	}
	return nil
}

// mask returns text with the stand-ins, and the replacer that undoes them
// (nil when text holds none of the characters).
func mask(text string) (string, *strings.Replacer) {
	if !strings.ContainsAny(text, string(breaks)) {
		return text, nil
	}
	var masking, restoring []string
	used := map[rune]bool{}
	for _, r := range breaks {
		if !strings.ContainsRune(text, r) {
			continue
		}
		s := standIn(text, r, used)
		used[s] = true
		masking = append(masking, string(r), string(s))
		restoring = append(restoring, string(s), string(r))
	}
	return strings.NewReplacer(masking...).Replace(text), strings.NewReplacer(restoring...)
}

// standIn picks a printable character of r's UTF-8 length that text does
// not hold: from the private use area for the 3-byte U+2028 and U+2029,
// from U+0700..U+07FF for the 2-byte U+0085.
func standIn(text string, r rune, used map[rune]bool) rune {
	lo, hi := rune(0xE000), rune(0xF8FF)
	if utf8.RuneLen(r) == 2 {
		lo, hi = 0x0700, 0x07FF
	}
	for c := lo; c <= hi; c++ {
		if !used[c] && !strings.ContainsRune(text, c) {
			return c
		}
	}
	return r // every candidate is in the text: leave it as yaml/v4 reads it
}

func unmask(n *yaml.Node, r *strings.Replacer) {
	if n == nil {
		return
	}
	n.Value = r.Replace(n.Value)
	for _, c := range n.Content {
		unmask(c, r)
	}
}
