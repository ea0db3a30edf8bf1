package diff

import (
	"bytes"
	"strings"
	"testing"

	"github.com/mfapolicy/mfapolicy/internal/hostile"
	"github.com/mfapolicy/mfapolicy/internal/mdtext"
)

// Every name a report prints (applications, countries, rules, files,
// users, reasons...) set to hostile text: the Markdown report and the
// workflow annotations mention no one and keep every table row whole.
func TestHostileNamesInMarkdownAndAnnotations(t *testing.T) {
	head := strings.Replace(basePolicy, "rules:\n", "rules:\n  - id: vip\n    when: event.user.user_id.startsWith('u12')\n    then: allow\n", 1)
	rep := run(t, basePolicy, head, events(2000), "weakened")
	rep = rep.Redact([]byte("k"))
	if len(rep.Transitions) == 0 || len(rep.Applications) == 0 || len(rep.Rules) == 0 {
		t.Fatalf("the report has nothing to fill: %+v", rep)
	}
	hostile.FillStrings(rep)
	if rep.Applications[0].Name == "" || !strings.Contains(rep.Applications[0].Name+rep.Transitions[0].Examples[0].Application, "@") {
		t.Fatalf("names were not filled: %q", rep.Applications[0].Name)
	}
	var md, gh bytes.Buffer
	if err := RenderMarkdown(&md, rep); err != nil {
		t.Fatal(err)
	}
	if err := RenderGitHub(&gh, rep); err != nil {
		t.Fatal(err)
	}
	if p := mdtext.Problems(md.String()); len(p) > 0 {
		t.Errorf("the Markdown report lets names through: %q\n%s", p, md.String())
	}
	for _, line := range strings.Split(strings.TrimSuffix(gh.String(), "\n"), "\n") {
		if !strings.HasPrefix(line, "::") {
			t.Errorf("a name broke a workflow command onto its own line: %q", line)
		}
		// The file property is a path in the repository, not shown as
		// text; the title and the message are.
		_, rest, _ := strings.Cut(line, ",title=")
		if m := mdtext.Mentions(rest); len(m) > 0 {
			t.Errorf("annotation mentions %q: %s", m, line)
		}
	}
}
