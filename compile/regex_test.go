package compile

import (
	"encoding/json"
	"math/rand"
	"regexp"
	"strings"
	"testing"
)

var regexAtoms = []string{
	"a", "b", "A", "k", "s", "é", "É", "😀", "日", "\\.", ".", "\\d", "\\D", "\\w", "\\W", "\\s", "\\S", "\\b", "\\B",
	"^", "$", "\\A", "\\z", "[a-c]", "[^a]", "[^\\n]", "[[:alpha:]]", "[[:^digit:]]", "\\pL", "\\p{Greek}", "\\PL",
	"\\p{Han}", "[\\p{Lu}\\d]", "\\x{1F600}", "\\n", "\\r", "\\x{2028}", "(?i)k", "(?i)s", "(?i)é", "(?i)[a-c]",
	"(?i:ǅ)", "(?s).", "(?m)^", "(?m)$", "(?U)a+", "\\Qa.b\\E", "[\\x{10000}-\\x{10FFFF}]", "\\x00", " ",
}

var regexSubjects = []string{"a", "b", "A", "B", "k", "K", "\u212a", "s", "S", "ſ", "é", "É", "😀", "日", "\n", "\r",
	"\u2028", " ", "0", "7", "_", ".", "ǅ", "ǆ", "Ǆ", "α", "Ω"}

func genRegex(r *rand.Rand, depth int) string {
	if depth <= 0 || r.Intn(3) == 0 {
		return regexAtoms[r.Intn(len(regexAtoms))]
	}
	switch r.Intn(6) {
	case 0:
		return genRegex(r, depth-1) + genRegex(r, depth-1)
	case 1:
		return "(" + genRegex(r, depth-1) + "|" + genRegex(r, depth-1) + ")"
	case 2:
		return "(?:" + genRegex(r, depth-1) + ")" + []string{"*", "+", "?", "{2}", "{1,3}", "{0,}", "*?"}[r.Intn(7)]
	case 3:
		return "(?i:" + genRegex(r, depth-1) + ")"
	case 4:
		return "(?m:" + genRegex(r, depth-1) + ")"
	}
	return genRegex(r, depth-1) + genRegex(r, depth-1) + genRegex(r, depth-1)
}

func genSubject(r *rand.Rand) string {
	var b strings.Builder
	for k := r.Intn(6); k > 0; k-- {
		b.WriteString(regexSubjects[r.Intn(len(regexSubjects))])
	}
	return b.String()
}

func TestRegexAgreesWithGo(t *testing.T) {
	r := rand.New(rand.NewSource(3))
	var patterns, sources []string
	rejected := 0
	for len(patterns) < 600 {
		p := genRegex(r, 4)
		if _, err := regexp.Compile(p); err != nil {
			continue
		}
		src, err := translateRegex(p)
		if err != nil {
			// A rejection is a compile error with a message, never a
			// silent difference.
			rejected++
			continue
		}
		patterns = append(patterns, p)
		sources = append(sources, src)
	}
	var entry strings.Builder
	entry.WriteString("const res = [\n")
	for _, s := range sources {
		entry.WriteString("  /" + s + "/u,\n")
	}
	entry.WriteString("];\nexport function test(i, s) { return res[i].test(s); }\n")
	code := mustBundle(t, entry.String())
	var calls []jsCall
	var want []bool
	for i, p := range patterns {
		re := regexp.MustCompile(p)
		for k := 0; k < 25; k++ {
			s := genSubject(r)
			calls = append(calls, jsCall{Fn: "test", Args: []any{i, s}})
			want = append(want, re.MatchString(s))
		}
	}
	got := runBoth(t, code, calls)
	bad := 0
	for i, c := range calls {
		var g bool
		if got[i].Throw != nil || json.Unmarshal(got[i].OK, &g) != nil || g != want[i] {
			bad++
			if bad <= 15 {
				p := patterns[c.Args[0].(int)]
				t.Errorf("pattern %q (JS /%s/u) on %q: Go %v, JS %s", p, sources[c.Args[0].(int)], c.Args[1], want[i], got[i])
			}
		}
	}
	t.Logf("%d patterns (%d rejected), %d matches, %d disagreements", len(patterns), rejected, len(calls), bad)
}

func TestRegexRejections(t *testing.T) {
	for _, p := range []string{"(a+)*", "(?:a*)+b", "((a|b)*c)*", "[", "a{1001}", "\\bx", "x\\B", "(?m)^a", "(?m)a$"} {
		if _, err := translateRegex(p); err == nil {
			t.Errorf("translateRegex(%q) succeeded, want an error", p)
		}
	}
}
