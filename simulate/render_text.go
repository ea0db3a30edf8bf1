package simulate

import (
	"fmt"
	"io"
	"strings"
)

// RenderText writes the summary for a terminal.
func RenderText(w io.Writer, s *Summary) error {
	p := &printer{w: w}
	p.f("Simulated %s on %s\n", s.Action, strings.Join(s.Inputs, ", "))
	p.f("%d records read: %d logins replayed (%d from tenant logs), %d skipped log records, %d malformed\n\n",
		s.Read, s.Replayed, s.FromLogs, sumCounts(s.Skipped), s.Malformed)
	if g := s.GeoIP; g != nil {
		p.f("GeoIP: %s\n\n", g.Sentence(g.Type, g.Database))
	}
	p.f("Outcomes\n")
	for _, o := range s.Outcomes {
		p.f("  %-10s %8d  %5.1f%%\n", o.Name, o.Count, o.Percent)
	}
	if len(s.Rules) > 0 {
		p.f("\nRules\n")
		for _, r := range s.Rules {
			p.f("  %-24s %8d  %5.1f%%\n", r.Name, r.Count, r.Percent)
		}
	}
	p.tops("Top countries", s.TopCountries)
	p.tops("Top applications", s.TopApplications)
	if len(s.Skipped) > 0 {
		p.f("\nSkipped tenant log records (no login to replay)\n")
		for _, c := range s.Skipped {
			p.f("  %-24s %8d\n", c.Name, c.Count)
		}
	}
	p.f("\nAssumptions\n")
	for _, a := range s.Assumptions {
		p.f("  %s: %d logins\n", a.Name, a.Count)
	}
	p.f("\nReplay: %s\n", s.Replay.Sentence(s.Replayed))
	if len(s.NetworkRefused) > 0 {
		p.f("\nNetwork calls refused (no --http fixture matched; the Action saw a connection error)\n")
		for _, c := range s.NetworkRefused {
			p.f("  %d to %s\n", c.Count, c.Name)
		}
	}
	if m := s.MissingData; m != nil {
		p.f("\nDecided on missing data: %d logins (%.1f%%)\n", m.Count, m.Percent)
		for _, f := range m.Fields {
			p.f("  event.%-30s absent in %d\n", f.Name, f.Count)
		}
	}
	if s.TimedOut > 0 || s.Inconsistent > 0 {
		p.f("\n")
	}
	if s.TimedOut > 0 {
		p.f("%d logins hit the time limit of %s\n", s.TimedOut, s.Timeout)
	}
	if s.Inconsistent > 0 {
		p.f("%d logins where decide(event) and the Action's calls disagree (see the notes in --out)\n", s.Inconsistent)
	}
	if s.Malformed > 0 {
		p.f("\nMalformed records\n")
		for _, d := range s.Problems {
			p.f("  %s: %s\n", d.Pos, d.Message)
		}
		if n := s.Malformed - int64(len(s.Problems)); n > 0 {
			p.f("  ... and %d more\n", n)
		}
	}
	return p.err
}

func (p *printer) tops(title string, tops []Top) {
	if len(tops) == 0 {
		return
	}
	p.f("\n%s\n", title)
	for _, t := range tops {
		parts := make([]string, len(t.Values))
		for i, v := range t.Values {
			parts[i] = fmt.Sprintf("%s %d", v.Name, v.Count)
		}
		p.f("  %-10s %s\n", t.Outcome, strings.Join(parts, ", "))
	}
}

func sumCounts(cs []Count) int64 {
	var n int64
	for _, c := range cs {
		n += c.Count
	}
	return n
}

// printer remembers the first write error.
type printer struct {
	w   io.Writer
	err error
}

func (p *printer) f(format string, args ...any) {
	if p.err == nil {
		_, p.err = fmt.Fprintf(p.w, format, args...)
	}
}

// Sentence says what the GeoIP database did, naming it by typ and file
// as the renderer quotes them.
func (g *GeoIPStats) Sentence(typ, file string) string {
	return fmt.Sprintf("%d logins without location_info located with %s built %s (%s); %d not covered by it (request.geoip left empty); %d kept their log's location_info",
		g.Enriched, typ, g.Built, file, g.NotFound, g.HadLocation)
}
