package diff

import (
	"fmt"
	"io"
	"strings"

	"github.com/mfapolicy/mfapolicy/internal/mdtext"
)

// RenderGitHub writes GitHub Actions workflow commands: one annotation per
// rule that decided changed logins, at the rule's line in the head policy
// (an error when it weakened logins or locked users out and the check
// fails, a warning when it weakened but the check passes, a notice
// otherwise), and one summary annotation. Messages hold counts only, no
// user data; rule names in them mention no one (mdtext.Unmention).
func RenderGitHub(w io.Writer, r *Report) error {
	p := &printer{w: w}
	for _, ri := range r.Rules {
		level := "notice"
		weak := kindCount(ri.ByKind, Weakened) + kindCount(ri.ByKind, LockedOut)
		if weak > 0 {
			level = "warning"
			if !r.Verdict.Pass {
				level = "error"
			}
		}
		msg := fmt.Sprintf("rule %s: %s change decision (%s): %s",
			ri.Rule, plural(ri.Changed, "login", "logins"), kindsLine(ri.ByKind), strings.Join(ri.Transitions, ", "))
		p.f("::%s file=%s,line=%d,title=%s::%s\n", level, ghProperty(ri.File), ri.Line, ghProperty(mdtext.Unmention("mfapolicy diff: "+ri.Rule)), ghData(mdtext.Unmention(msg)))
	}
	if c := r.Tenant; c != nil {
		level := "warning"
		if !r.Verdict.Pass {
			level = "error"
		}
		for _, l := range c.LockedOut {
			p.f("::%s file=%s,line=%d,title=%s::%s\n", level, ghProperty(r.Head.File), c.Head.Line,
				ghProperty(mdtext.Unmention("mfapolicy diff: "+l.Factor+" turned off")), ghData(mdtext.Unmention("turning off "+lockoutLine(l, 5))))
		}
	}
	summary := fmt.Sprintf("%d of %d logins change decision (%.1f%%)", r.Changed, r.Replayed, r.ChangedPercent)
	if r.Changed > 0 {
		summary += ": " + kindsLine(r.ByKind)
	}
	level := "notice"
	if !r.Verdict.Pass {
		level = "error"
		summary += ". Check failed: " + strings.Join(r.Verdict.Reasons, "; ")
	}
	p.f("::%s file=%s,title=mfapolicy diff::%s\n", level, ghProperty(r.Head.File), ghData(mdtext.Unmention(summary)))
	return p.err
}

func kindCount(ks []Count, k Kind) int64 {
	for _, c := range ks {
		if c.Name == string(k) {
			return c.Count
		}
	}
	return 0
}

// ghData escapes a workflow command's message.
func ghData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// ghProperty escapes a workflow command's property value.
func ghProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
