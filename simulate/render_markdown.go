package simulate

import (
	"fmt"
	"io"
	"strings"

	"github.com/mfapolicy/mfapolicy/internal/buildinfo"
	"github.com/mfapolicy/mfapolicy/internal/mdtext"
)

// RenderMarkdown writes the summary as GitHub-flavoured Markdown, for pull
// request comments and job summaries.
func RenderMarkdown(w io.Writer, s *Summary) error {
	p := &printer{w: w}
	p.f("### Simulation of %s\n\n", mdtext.Code(s.Action))
	p.f("%d records read from %s: **%d logins replayed** (%d from tenant logs), %d skipped log records, %d malformed.\n\n",
		s.Read, mdCode(s.Inputs), s.Replayed, s.FromLogs, sumCounts(s.Skipped), s.Malformed)
	if g := s.GeoIP; g != nil {
		p.f("**GeoIP:** %s.\n\n", g.Sentence(mdtext.Code(g.Type), mdtext.Code(g.Database)))
	}
	p.f("| outcome | logins | share |\n|---|---:|---:|\n")
	for _, o := range s.Outcomes {
		p.f("| %s | %d | %.1f%% |\n", mdtext.Text(o.Name), o.Count, o.Percent)
	}
	if len(s.Rules) > 0 {
		p.f("\n| rule | hits | share |\n|---|---:|---:|\n")
		for _, r := range s.Rules {
			p.f("| %s | %d | %.1f%% |\n", mdtext.Text(r.Name), r.Count, r.Percent)
		}
	}
	p.mdTops("Top countries", s.TopCountries)
	p.mdTops("Top applications", s.TopApplications)
	if len(s.Skipped) > 0 {
		p.f("\n**Skipped tenant log records:** ")
		parts := make([]string, len(s.Skipped))
		for i, c := range s.Skipped {
			parts[i] = fmt.Sprintf("%s %d", mdtext.Code(c.Name), c.Count)
		}
		p.f("%s\n", strings.Join(parts, ", "))
	}
	p.f("\n**Assumptions**\n\n")
	for _, a := range s.Assumptions {
		p.f("- %s: %d logins\n", mdtext.Text(a.Name), a.Count)
	}
	p.f("\n**Replay:** %s.\n", s.Replay.Sentence(s.Replayed))
	if len(s.NetworkRefused) > 0 {
		parts := make([]string, len(s.NetworkRefused))
		for i, c := range s.NetworkRefused {
			parts[i] = fmt.Sprintf("%d to %s", c.Count, mdtext.Code(c.Name))
		}
		p.f("\n**Network calls refused** (no `--http` fixture matched; the Action saw a connection error): %s\n", strings.Join(parts, ", "))
	}
	if m := s.MissingData; m != nil {
		p.f("\n**Decided on missing data:** %d logins (%.1f%%)", m.Count, m.Percent)
		parts := make([]string, len(m.Fields))
		for i, f := range m.Fields {
			parts[i] = fmt.Sprintf("%s absent in %d", mdtext.Code("event."+f.Name), f.Count)
		}
		if len(parts) > 0 {
			p.f(": %s", strings.Join(parts, ", "))
		}
		p.f("\n")
	}
	if s.TimedOut > 0 {
		p.f("\n%d logins hit the time limit of %s.\n", s.TimedOut, mdtext.Text(s.Timeout))
	}
	if s.Inconsistent > 0 {
		p.f("\n%d logins where decide(event) and the Action's calls disagree.\n", s.Inconsistent)
	}
	if s.Malformed > 0 {
		p.f("\n<details><summary>%d malformed records</summary>\n\n", s.Malformed)
		for _, d := range s.Problems {
			p.f("- %s: %s\n", mdtext.Code(d.Pos.String()), mdtext.Text(d.Message))
		}
		p.f("\n</details>\n")
	}
	p.f("\n<sub>%s</sub>\n", mdtext.Text(buildinfo.Read().Line()))
	return p.err
}

func (p *printer) mdTops(title string, tops []Top) {
	if len(tops) == 0 {
		return
	}
	p.f("\n**%s**\n\n| outcome | top values |\n|---|---|\n", title)
	for _, t := range tops {
		parts := make([]string, len(t.Values))
		for i, v := range t.Values {
			parts[i] = fmt.Sprintf("%s %d", mdtext.Text(v.Name), v.Count)
		}
		p.f("| %s | %s |\n", mdtext.Text(string(t.Outcome)), strings.Join(parts, ", "))
	}
}

func mdCode(names []string) string {
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = mdtext.Code(n)
	}
	return strings.Join(parts, ", ")
}
