package mdtext

import (
	"strings"
	"testing"
)

// Hostile names: mentions of users and teams, an issue reference, an
// entity that spells `@`, table and markup breakers, a backslash that
// would undo an escape.
var hostile = []string{
	"@octocat",
	"@github/security-team please look",
	"ping @admin and @org/team",
	"fixes #1",
	"&#64;octocat",
	"&commat;octocat",
	"app | @x | y",
	"back\\| @y",
	"\\@octocat",
	"<img src=x onerror=alert(1)> @z",
	"![t](https://tracker.example/p.png)",
	"[click](https://evil.example) @w",
	"**bold** _it_ ~~s~~ `code` @v",
	"line\n@newline",
	"a@b.example (mail) and @c",
}

func TestTextNeutralisesMentions(t *testing.T) {
	for _, s := range hostile {
		got := Text(s)
		if m := Mentions("| " + got + " |"); len(m) > 0 {
			t.Errorf("Text(%q) = %q still mentions %q", s, got, m)
		}
		if strings.ContainsAny(got, "\n\r") || strings.Contains(got, "<") || strings.Contains(strings.ReplaceAll(got, `\|`, ""), "|") {
			t.Errorf("Text(%q) = %q can break the table or open a tag", s, got)
		}
		if strings.Contains(got, "](") && !strings.Contains(got, `\]`) {
			t.Errorf("Text(%q) = %q keeps a link", s, got)
		}
	}
}

// The model of GitHub's mentions finds the live ones: the tests above
// would pass vacuously if it found none.
func TestMentionsFindsLiveOnes(t *testing.T) {
	tests := map[string][]string{
		"hello @octocat":            {"@octocat"},
		"| @github/security-team |": {"@github/security-team"},
		"&#64;octocat":              {"@octocat"},
		"see #12.":                  {"#12"},
		"`@octocat` in code":        nil,
		"mail a@b.example":          nil,
		"\\@octocat":                {"@octocat"},
		"@\u200doctocat #\u200d1":   nil,
		"**@bold**":                 {"@bold"},
	}
	for in, want := range tests {
		got := Mentions(in)
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("Mentions(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCode(t *testing.T) {
	tests := map[string]string{
		"":         "",
		"deny-all": "`deny-all`",
		"a`b|c\nd": "`a'b\\|c d`",
		"@octocat": "`@octocat`",
		`a\|b`:     "`a\\\\\\|b`",
		`a\\|b`:    "`a\\\\\\|b`",
	}
	for in, want := range tests {
		if got := Code(in); got != want {
			t.Errorf("Code(%q) = %q, want %q", in, got, want)
		}
		if rows := BrokenRows("| a |\n|---|\n| " + Code(in) + " |\n"); len(rows) > 0 {
			t.Errorf("Code(%q) breaks its cell: %q", in, rows)
		}
		if m := Mentions(Code(in)); len(m) > 0 {
			t.Errorf("Code(%q) mentions %q", in, m)
		}
	}
}

func TestUnmentionKeepsText(t *testing.T) {
	for _, s := range []string{"no marks", "a@b.example", "C# and @ alone", "50% off #"} {
		if got := Unmention(s); strings.ReplaceAll(got, joiner, "") != s {
			t.Errorf("Unmention(%q) = %q changes more than joiners", s, got)
		}
	}
	if got := Unmention("@x #1"); got != "@"+joiner+"x #"+joiner+"1" {
		t.Errorf("Unmention = %q", got)
	}
}

func TestBrokenRows(t *testing.T) {
	md := "| a | b |\n|---|---|\n| " + Text("x | y") + " | " + Code("p|q") + " |\n| x | y | z |\n\ntext\n| c |\n|---|\n"
	if got := BrokenRows(md); len(got) != 1 || got[0] != "| x | y | z |" {
		t.Errorf("BrokenRows = %q", got)
	}
}

// A code block holding fences and mentions stays one block: nothing in it
// is Markdown.
func TestCodeBlock(t *testing.T) {
	text := "region: app in ['```\n@octocat ````', 'x']\nend"
	got := CodeBlock(text)
	if !strings.HasPrefix(got, "`````\n") || !strings.HasSuffix(got, "\n`````\n") {
		t.Errorf("CodeBlock = %q", got)
	}
	if m := Mentions(StripCode(got)); len(m) > 0 {
		t.Errorf("mentions outside the block: %q", m)
	}
}
