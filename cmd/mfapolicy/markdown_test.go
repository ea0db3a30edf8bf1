package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mfapolicy/mfapolicy/internal/mdtext"
)

// diff --exhaustive --format markdown puts the regions of the login space,
// which name applications from the policies, in a code block: a name with
// backquotes, a line break and a mention stays inside it (analyze quotes
// the name, and the fence outgrows any backquote run: mdtext.CodeBlock).
func TestExhaustiveMarkdownKeepsNamesInCode(t *testing.T) {
	dir := t.TempDir()
	app := "Portal ```\n@acme/security-team"
	policy := func(then string) string {
		return "name: p\nrules:\n  - id: app\n    when: event.client.name == '" + strings.ReplaceAll(app, "\n", `\n`) + "'\n    then: " + then + "\n" +
			map[bool]string{true: "    factors: [otp]\n", false: ""}[then == "challenge"] + "default: allow\n"
	}
	base, head := filepath.Join(dir, "base.yaml"), filepath.Join(dir, "head.yaml")
	os.WriteFile(base, []byte(policy("challenge")), 0o644)
	os.WriteFile(head, []byte(policy("allow")), 0o644)
	var out, errOut bytes.Buffer
	code := run([]string{"diff", base, head, "--exhaustive", "--format", "markdown"}, &streams{Out: &out, Err: &errOut})
	if code != exitFinding {
		t.Fatalf("exit %d, want %d (weakened): %s\n%s", code, exitFinding, errOut.String(), out.String())
	}
	md := out.String()
	if !strings.Contains(md, "@acme/security-team") {
		t.Fatalf("the application is not in the report:\n%s", md)
	}
	if m := mdtext.Mentions(mdtext.StripCode(md)); len(m) > 0 {
		t.Errorf("the report mentions %q:\n%s", m, md)
	}
}
