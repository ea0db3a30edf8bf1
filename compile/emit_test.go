package compile

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/dop251/goja"
)

// FuzzStringLiteral: any valid UTF-8 string quoted by jsString parses as
// exactly one JavaScript string literal equal to it, and the quoted text
// carries no line break, comment end, </script> or keyword marker.
func FuzzStringLiteral(f *testing.F) {
	for _, s := range []string{"", "a", `"`, `\`, "\n\r\u2028\u2029", "*/", "</script>", "##KEY## @@K@@", "😀", "\x00", "${x}", "'", "`"} {
		f.Add(s)
	}
	vm := goja.New()
	f.Fuzz(func(t *testing.T, s string) {
		q, err := jsString(s)
		if !utf8.ValidString(s) {
			if err == nil {
				t.Fatalf("jsString(%q) accepted invalid UTF-8", s)
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		for _, bad := range []string{"\n", "\r", "*/", "<", "##", "@@", "\u2028"} {
			if strings.Contains(q, bad) {
				t.Fatalf("jsString(%q) = %s contains %q", s, q, bad)
			}
		}
		v, err := vm.RunString("[" + q + "][0]")
		if err != nil {
			t.Fatalf("jsString(%q) = %s does not parse: %v", s, q, err)
		}
		if got := v.String(); got != s {
			t.Fatalf("jsString(%q) = %s evaluates to %q", s, q, got)
		}
	})
}

func TestJSComment(t *testing.T) {
	for _, s := range []string{"a\nb", "x\u2028y", "#@\\", "é", "*/", "a </script> <!-- b", "a < b", "\xff<"} {
		c := jsComment(s)
		for _, r := range c {
			if r < 0x20 || r >= 0x7f || r == '#' || r == '@' {
				t.Errorf("jsComment(%q) = %q contains %q", s, c, r)
			}
		}
		if strings.Contains(c, "</") || strings.Contains(c, "<!") {
			t.Errorf("jsComment(%q) = %q contains </ or <!", s, c)
		}
	}
	if c := jsComment("a < b"); c != "a < b" {
		t.Errorf(`jsComment("a < b") = %q`, c)
	}
}
