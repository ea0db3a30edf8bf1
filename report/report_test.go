package report

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/mfapolicy/mfapolicy/diff"
	"github.com/mfapolicy/mfapolicy/simulate"
)

// hostile is text from events and policies that must stay text.
const hostile = `</script><script>alert(1)</script><img src=x onerror=alert(2)>"'&`

func hostileSummary() *simulate.Summary {
	seg := simulate.Segment{Name: hostile, Total: 3, Percent: 100, Outcomes: simulate.OutcomeCounts{Allow: 1, Deny: 2}}
	return &simulate.Summary{
		Action: hostile, Inputs: []string{hostile}, Read: 3, Replayed: 3,
		Outcomes:      []simulate.Count{{Name: "allow", Count: 1, Percent: 33.3}, {Name: "deny", Count: 2, Percent: 66.7}},
		Rules:         []simulate.Count{{Name: hostile, Count: 3, Percent: 100}},
		Days:          []simulate.Segment{{Name: "2026-10-01", Total: 3, Percent: 100, Outcomes: seg.Outcomes}},
		ByCountry:     []simulate.Segment{seg},
		ByApplication: []simulate.Segment{seg},
		ByConfidence:  []simulate.Segment{seg},
		Assumptions:   []simulate.Count{{Name: hostile, Count: 3}},
	}
}

// Names from events and policies are escaped everywhere: in tables, in
// chart labels and in tooltips.
func TestHostileText(t *testing.T) {
	var sim, dif bytes.Buffer
	if err := Simulate(&sim, hostileSummary()); err != nil {
		t.Fatal(err)
	}
	rep := &diff.Report{Base: diff.PolicyRef{Name: hostile, File: hostile}, Head: diff.PolicyRef{Name: hostile, File: hostile},
		Inputs: []string{hostile}, Replayed: 2, Changed: 1,
		ByKind:   []diff.Count{{Name: "weakened", Count: 1, Percent: 50}},
		Outcomes: []diff.OutcomeCount{{Outcome: "allow", Base: 1, Head: 2, Delta: 1}},
		Matrix:   []diff.Cell{{From: "deny", To: "allow", Count: 1}},
		Transitions: []diff.Transition{{From: "deny", To: "allow", Kind: diff.Weakened, Count: 1, Rules: []diff.RulePair{{Base: hostile, Head: hostile, Count: 1}},
			Changes: []diff.Count{{Name: hostile, Count: 1}}, Examples: []diff.Example{{File: hostile, User: hostile, Application: hostile,
				Base: diff.Outcome{Outcome: "deny", Rule: hostile, Reason: hostile}, Head: diff.Outcome{Outcome: "allow", Rule: hostile}}}}},
		Applications: []diff.Impact{{Name: hostile, Changed: 1}},
		Rules:        []diff.RuleImpact{{Rule: hostile, Changed: 1, ByKind: []diff.Count{{Name: "weakened", Count: 1}}}},
		Days:         []diff.Segment{{Name: "2026-10-01", Total: 2, Changed: 1, ByKind: diff.KindCounts{Weakened: 1}}},
		ByConfidence: []diff.Segment{{Name: hostile, Total: 2, Changed: 1}},
		Verdict:      diff.Verdict{FailOn: "weakened", MaxChange: -1, Reasons: []string{hostile}},
	}
	if err := Diff(&dif, rep); err != nil {
		t.Fatal(err)
	}
	for name, page := range map[string]string{"simulate": sim.String(), "diff": dif.String()} {
		if n := strings.Count(page, "<script"); n != 1 {
			t.Errorf("%s: %d script elements, want the page's own", name, n)
		}
		for _, bad := range []string{"<img", "alert(1)</script>"} {
			if strings.Contains(page, bad) {
				t.Errorf("%s: %q reached the page unescaped", name, bad)
			}
		}
		if !strings.Contains(page, "&lt;/script&gt;") {
			t.Errorf("%s: the hostile text is missing", name)
		}
	}
}

// nothingFetched matches what would make a browser fetch something.
var nothingFetched = regexp.MustCompile(`(?i)\s(src|href)\s*=|url\(|@import|<link|<iframe|<img|<object|<embed`)

// The example reports are self-contained, small and deterministic.
func TestExampleReports(t *testing.T) {
	sum, rep := exampleResults(t)
	for name, render := range map[string]func(*bytes.Buffer) error{
		"simulate": func(b *bytes.Buffer) error { return Simulate(b, sum) },
		"diff":     func(b *bytes.Buffer) error { return Diff(b, rep) },
	} {
		var a, b bytes.Buffer
		if err := render(&a); err != nil {
			t.Fatal(err)
		}
		_ = render(&b)
		if !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Errorf("%s: two renderings differ", name)
		}
		if a.Len() > 1<<20 {
			t.Errorf("%s: %d bytes, over 1 MB", name, a.Len())
		}
		page := a.String()
		for _, m := range nothingFetched.FindAllString(page, 3) {
			t.Errorf("%s: the page would fetch something: %q", name, m)
		}
		// The only URL is the SVG namespace, which is never fetched.
		if n, ns := strings.Count(page, "http"), strings.Count(page, `xmlns="http://www.w3.org/2000/svg"`); n != ns {
			t.Errorf("%s: %d URLs besides %d SVG namespaces", name, n-ns, ns)
		}
		t.Logf("%s: %d bytes, %d charts", name, a.Len(), strings.Count(page, `<svg class="chart`))
	}
}

func TestCount(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", -1234567: "-1,234,567"} {
		if got := count(n); got != want {
			t.Errorf("count(%d) = %q, want %q", n, got, want)
		}
	}
}
