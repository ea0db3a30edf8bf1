package diff

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// RenderJSON writes the report as indented JSON (the Report type,
// documented in docs/diff.md).
func RenderJSON(w io.Writer, r *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}

// RenderText writes the report for a terminal.
func RenderText(w io.Writer, r *Report) error {
	p := &printer{w: w}
	p.f("Decision changes from %s to %s on %s\n", r.Base.Name, r.Head.Name, strings.Join(r.Inputs, ", "))
	p.f("%d logins replayed (%d records read, %d malformed): %d changed (%.1f%%)\n", r.Replayed, r.Read, r.Malformed, r.Changed, r.ChangedPercent)
	if r.Changed > 0 {
		p.f("  %s\n", kindsLine(r.ByKind))
	}
	p.tenant(r)
	if g := r.GeoIP; g != nil {
		p.f("GeoIP: %s\n", g.Sentence(g.Type, g.Database))
	}
	p.f("\nOutcomes      base     head    delta\n")
	for _, o := range r.Outcomes {
		p.f("  %-10s %7d  %7d  %+7d\n", o.Outcome, o.Base, o.Head, o.Delta)
	}
	if r.Changed > 0 {
		u := r.Users
		p.f("\nUsers: %d of %d affected; %d newly challenged, %d newly denied, %d locked out, %d relieved\n",
			u.Affected, u.Total, u.NewlyChallenged, u.NewlyDenied, u.LockedOut, u.Relieved)
		p.f("\nTransitions\n")
		for _, t := range r.Transitions {
			p.f("  %-22s %-10s %6d  %5.1f%%  %s  rules %s", t.From+" → "+t.To, t.Kind, t.Count, t.Percent, plural(t.Users, "user", "users"), rulePairs(t.Rules, 3))
			if len(t.Causes) > 0 {
				p.f("  caused by %s", causesLine(t.Causes))
			}
			p.f("\n")
			for _, ex := range t.Examples {
				p.f("      %s:%d %s  %s\n", ex.File, ex.Line, exampleWho(ex), exampleChange(ex))
			}
		}
		if len(r.Applications) > 0 {
			p.f("\nApplications (users affected of users seen)\n")
			for _, a := range r.Applications {
				p.f("  %-24s %5d of %-5d %5.1f%%  +challenged %d  +denied %d  locked out %d  relieved %d\n",
					a.Name, a.Affected, a.Total, a.AffectedPercent, a.NewlyChallenged, a.NewlyDenied, a.LockedOut, a.Relieved)
			}
		}
		p.f("\nRules behind the changes\n")
		for _, ri := range r.Rules {
			p.f("  %s:%d %-20s %6d  %s\n", ri.File, ri.Line, ri.Rule, ri.Changed, strings.Join(ri.Transitions, ", "))
		}
	}
	m := r.MissingData
	p.f("\nDecided on missing data: base %d, head %d; %d of the changed logins rest on it\n", m.Base, m.Head, m.Changed)
	p.f("Replay of %s: %s\n", r.Base.Name, r.Replay.Base.Sentence(r.Replayed))
	p.f("Replay of %s: %s\n", r.Head.Name, r.Replay.Head.Sentence(r.Replayed))
	p.verdict(r.Verdict)
	return p.err
}

// tenant writes the tenant configuration part, when there is one.
func (p *printer) tenant(r *Report) {
	c := r.Tenant
	if c == nil {
		return
	}
	p.f("\nTenant configuration: the head %s\n", c.configLine())
	for _, s := range []struct {
		name string
		side TenantSide
	}{{"base", c.Base}, {"head", c.Head}} {
		p.f("  %s: factors %s (from %s); MFA policy %s\n", s.name, strings.Join(s.side.Factors, ", "), s.side.From, orNone(s.side.MFAPolicy))
		for _, d := range s.side.Differences {
			p.f("    differs from --tenant, the policy wins: %s\n", d)
		}
	}
	if r.Changed > 0 {
		p.f("  changes caused by: %s\n", causesLine(c.ByCause))
	}
	for _, l := range c.LockedOut {
		p.f("  locked out by turning off %s\n", lockoutLine(l, 5))
	}
}

func (p *printer) verdict(v Verdict) {
	if v.Pass {
		p.f("\nPASS (--fail-on %s)\n", v.FailOn)
		return
	}
	p.f("\nFAIL (--fail-on %s): %s\n", v.FailOn, strings.Join(v.Reasons, "; "))
}

func kindsLine(ks []Count) string {
	var parts []string
	for _, k := range ks {
		if k.Count > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", k.Count, k.Name))
		}
	}
	return strings.Join(parts, ", ")
}

func rulePairs(rs []RulePair, n int) string {
	var parts []string
	for i, r := range rs {
		if i == n {
			parts = append(parts, fmt.Sprintf("and %d more", len(rs)-n))
			break
		}
		parts = append(parts, fmt.Sprintf("%s → %s (%d)", r.Base, r.Head, r.Count))
	}
	return strings.Join(parts, ", ")
}

func exampleWho(ex Example) string {
	var parts []string
	for _, s := range []string{ex.User, ex.IP, ex.Country, ex.Application} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, " · ")
}

func exampleChange(ex Example) string {
	return describe(ex.Base) + " → " + describe(ex.Head)
}

func describe(o Outcome) string {
	s := string(o.Outcome)
	if len(o.Factors) > 0 {
		s += " [" + strings.Join(o.Factors, ", ") + "]"
	}
	return s + " by " + o.Rule
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
