package diff

import (
	"fmt"
	"io"
	"strings"

	"github.com/mfapolicy/mfapolicy/internal/buildinfo"
	"github.com/mfapolicy/mfapolicy/internal/mdtext"
	"github.com/mfapolicy/mfapolicy/simulate"
)

// RenderMarkdown writes the report as GitHub-flavoured Markdown for a
// pull-request comment or a CI job summary: the verdict and the headline
// numbers first, then the changes with the rules behind them, the users
// and applications affected, and collapsible example sections. Redact the
// report first unless raw user data may be shown.
func RenderMarkdown(w io.Writer, r *Report) error {
	p := &printer{w: w}
	p.f("## mfapolicy diff: %s of %s logins change decision (%.1f%%)\n\n", num(r.Changed), num(r.Replayed), r.ChangedPercent)
	if r.Verdict.Pass {
		p.f("✅ **The check passes** (`--fail-on %s`).\n\n", r.Verdict.FailOn)
	} else {
		p.f("❌ **The check fails** (`--fail-on %s`): %s.\n\n", r.Verdict.FailOn, mdtext.Text(strings.Join(r.Verdict.Reasons, "; ")))
	}
	p.f("%s → %s, replayed on %s logins from %s", mdtext.Code(r.Base.Name), mdtext.Code(r.Head.Name), num(r.Replayed), mdCodes(r.Inputs))
	if r.Malformed > 0 {
		p.f(" (%d malformed records skipped)", r.Malformed)
	}
	p.f(".\n\n")
	p.tenantMarkdown(r)
	if g := r.GeoIP; g != nil {
		p.f("**GeoIP:** %s.\n\n", g.Sentence(mdtext.Code(g.Type), mdtext.Code(g.Database)))
	}
	if r.Changed == 0 {
		p.f("No login changes decision.\n")
		p.missing(r)
		p.footer(r)
		return p.err
	}
	p.f("| change | logins | share |\n|---|---:|---:|\n")
	for _, k := range r.ByKind {
		if k.Count > 0 {
			p.f("| %s | %s | %.1f%% |\n", kindLabel(Kind(k.Name)), num(k.Count), k.Percent)
		}
	}
	u := r.Users
	p.f("\n**Who is affected:** %s of %s users: %s newly challenged, %s newly denied, %s locked out, %s relieved.",
		num(u.Affected), num(u.Total), num(u.NewlyChallenged), num(u.NewlyDenied), num(u.LockedOut), num(u.Relieved))
	if u.NoUserID > 0 {
		p.f(" %s changed logins have no user id.", num(u.NoUserID))
	}
	p.f("\n")
	p.missing(r)
	p.changes(r)
	p.applications(r)
	p.outcomes(r)
	p.examples(r)
	p.footer(r)
	return p.err
}

// tenantMarkdown writes the tenant configuration part, when there is one:
// what the head changes, the changes by cause, and the logins each
// turned-off factor locks out, per application.
func (p *printer) tenantMarkdown(r *Report) {
	c := r.Tenant
	if c == nil {
		return
	}
	p.f("**Tenant configuration:** the head %s.", mdtext.Text(c.configLine()))
	if r.Changed > 0 {
		p.f(" Changes by cause: %s.", mdtext.Text(causesLine(c.ByCause)))
	}
	p.f("\n\n")
	differs := false
	for _, s := range []TenantSide{c.Base, c.Head} {
		for _, d := range s.Differences {
			p.f("- ⚠️ differs from `--tenant`, the policy wins: %s\n", mdtext.Text(d))
			differs = true
		}
	}
	if differs {
		p.f("\n")
	}
	if len(c.LockedOut) == 0 {
		return
	}
	p.f("### Locked out by factors turned off\n\nLogins that went through under the base and fail under the head: the factor turned off was the only one they could use.\n\n")
	p.f("| factor | application | logins | users locked out | of the application's users |\n|---|---|---:|---:|---:|\n")
	for _, l := range c.LockedOut {
		p.f("| %s | **all** | %s | %s | |\n", mdtext.Code(l.Factor), num(l.Logins), num(l.Users))
		for _, a := range l.Applications {
			p.f("| %s | %s | %s | %s | %s (%.1f%%) |\n", mdtext.Code(l.Factor), mdtext.Text(a.Name), num(a.Changed), num(a.LockedOut), num(a.Total), simulate.Percent(a.LockedOut, a.Total))
		}
	}
	p.f("\n")
}

func (p *printer) missing(r *Report) {
	m := r.MissingData
	p.f("\n**Decided on missing data:** %s of the changed logins rest on fields absent from the event", num(m.Changed))
	if len(m.Fields) > 0 {
		parts := make([]string, len(m.Fields))
		for i, f := range m.Fields {
			parts[i] = fmt.Sprintf("%s %s", mdtext.Code("event."+f.Name), num(f.Count))
		}
		p.f(" (%s)", strings.Join(parts, ", "))
	}
	p.f("; %s logins in all under the base policy, %s under the head.\n", num(m.Base), num(m.Head))
}

func (p *printer) changes(r *Report) {
	p.f("\n### Changes\n\n| base → head | kind | logins | users | most common change | rules (base → head) | top countries | top applications |\n|---|---|---:|---:|---|---|---|---|\n")
	for _, t := range r.Transitions {
		var rules []string
		for i, rp := range t.Rules {
			if i == 3 {
				rules = append(rules, fmt.Sprintf("%d more", len(t.Rules)-3))
				break
			}
			rules = append(rules, fmt.Sprintf("%s → %s %s", mdtext.Code(rp.Base), mdtext.Code(rp.Head), num(rp.Count)))
		}
		if len(t.Causes) > 0 {
			rules = append(rules, "caused by "+mdtext.Text(causesLine(t.Causes)))
		}
		var changes []string
		for _, c := range t.Changes {
			changes = append(changes, fmt.Sprintf("%s %s", mdtext.Text(c.Name), num(c.Count)))
		}
		p.f("| %s → %s | %s | %s | %s | %s | %s | %s | %s |\n", t.From, t.To, kindLabel(t.Kind), num(t.Count), num(t.Users),
			strings.Join(changes, "<br>"), strings.Join(rules, "<br>"), topLine(t.TopCountries, 5), topLine(t.TopApplications, 3))
	}
}

func (p *printer) applications(r *Report) {
	if len(r.Applications) == 0 {
		return
	}
	p.f("\n### Applications\n\nShare of each application's users whose decision changes.\n\n")
	p.f("| application | users affected | share | newly challenged | newly denied | locked out | relieved |\n|---|---:|---:|---:|---:|---:|---:|\n")
	for _, a := range r.Applications {
		p.f("| %s | %s of %s | %.1f%% | %s | %s | %s | %s |\n", mdtext.Text(a.Name), num(a.Affected), num(a.Total), a.AffectedPercent,
			num(a.NewlyChallenged), num(a.NewlyDenied), num(a.LockedOut), num(a.Relieved))
	}
}

func (p *printer) outcomes(r *Report) {
	p.f("\n<details><summary>Outcomes and transition matrix</summary>\n\n")
	p.f("| outcome | base | head | change |\n|---|---:|---:|---:|\n")
	for _, o := range r.Outcomes {
		p.f("| %s | %s | %s | %+d |\n", o.Outcome, num(o.Base), num(o.Head), o.Delta)
	}
	p.f("\n| base ↓ head → |")
	for _, o := range simulate.Outcomes {
		p.f(" %s |", o)
	}
	p.f("\n|---|%s\n", strings.Repeat("---:|", len(simulate.Outcomes)))
	for _, from := range simulate.Outcomes {
		row := ""
		any := false
		for _, to := range simulate.Outcomes {
			cell := ""
			for _, c := range r.Matrix {
				if c.From == from && c.To == to {
					cell, any = num(c.Count), true
					if from == to {
						cell = "_" + cell + "_"
						if c.Changed > 0 {
							cell += fmt.Sprintf(" (%s changed)", num(c.Changed))
						}
					} else {
						cell = "**" + cell + "**"
					}
				}
			}
			row += " " + cell + " |"
		}
		if any {
			p.f("| %s |%s\n", from, row)
		}
	}
	p.f("\n</details>\n")
}

func (p *printer) examples(r *Report) {
	p.f("\n### Examples\n")
	for _, t := range r.Transitions {
		p.f("\n<details><summary><b>%s → %s</b> (%s): %s, %s</summary>\n\n", t.From, t.To, t.Kind, plural(t.Count, "login", "logins"), plural(t.Users, "user", "users"))
		p.f("| login | user | network | country | application | base | head | missing |\n|---|---|---|---|---|---|---|---|\n")
		for _, ex := range t.Examples {
			missing := make([]string, len(ex.Missing))
			for i, m := range ex.Missing {
				missing[i] = mdtext.Code("event." + m)
			}
			p.f("| %s | %s | %s | %s | %s | %s | %s | %s |\n", mdtext.Code(fmt.Sprintf("%s:%d", ex.File, ex.Line)),
				mdtext.Code(ex.User), mdtext.Code(ex.IP), mdtext.Text(ex.Country), mdtext.Text(ex.Application),
				mdDescribe(ex.Base), mdDescribe(ex.Head), strings.Join(missing, " "))
		}
		if n := t.Count - int64(len(t.Examples)); n > 0 {
			p.f("\n…and %s more.\n", num(n))
		}
		p.f("\n</details>\n")
	}
}

func (p *printer) footer(r *Report) {
	p.f("\n<sub>")
	if r.Redacted {
		p.f("User ids are shown as keyed hashes (stable within this report only) and IP addresses as their /24 or /48 network. ")
	}
	p.f("Weakened: a weaker outcome (deny > challenge > enroll > allow) or a weaker weakest factor (WebAuthn > push, OTP > phone, email > recovery code); locked out: a login that went through now fails. See docs/diff.md. Made by %s.</sub>\n", mdtext.Text(buildinfo.Read().Line()))
}

func kindLabel(k Kind) string {
	switch k {
	case Weakened:
		return "🔻 weakened"
	case LockedOut:
		return "⛔ locked out"
	case Tightened:
		return "🔺 tightened"
	case Restored:
		return "↩️ restored"
	}
	return "↔️ lateral"
}

func mdDescribe(o Outcome) string {
	s := string(o.Outcome)
	if len(o.Factors) > 0 {
		s += " " + strings.Join(o.Factors, ", ")
	}
	return mdtext.Text(s) + " by " + mdtext.Code(o.Rule)
}

func topLine(cs []Count, n int) string {
	var parts []string
	for i, c := range cs {
		if i == n {
			break
		}
		parts = append(parts, fmt.Sprintf("%s %s", mdtext.Text(c.Name), num(c.Count)))
	}
	return strings.Join(parts, ", ")
}

// num formats a count with thousands separators.
func num(n int64) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + num(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func mdCodes(names []string) string {
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = mdtext.Code(n)
	}
	return strings.Join(parts, ", ")
}
