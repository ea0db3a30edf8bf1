package diff

import (
	"slices"
	"sort"
	"strings"

	"github.com/mfapolicy/mfapolicy/simulate"
)

// TenantChange is the part of the report about the tenant configuration:
// present when either policy has a `tenant:` section, so that each side
// runs under its own enabled factors and MFA policy.
type TenantChange struct {
	Base TenantSide `json:"base"`
	Head TenantSide `json:"head"`
	// TurnedOff and TurnedOn are the factors the head disables and
	// enables that the base did not, by the names rules use.
	TurnedOff []string `json:"turned_off"`
	TurnedOn  []string `json:"turned_on"`
	// ByCause counts the changed logins by what changed them, in the
	// order rules, factors, mfa-policy (zero counts included). A login
	// changed by more than one counts under each.
	ByCause []Count `json:"by_cause"`
	// LockedOut lists, per turned-off factor, the logins that went
	// through under the base and fail under the head because the factor
	// was their only usable one: by logins, then name.
	LockedOut []FactorLockout `json:"locked_out"`
}

// TenantSide is one side's tenant configuration as simulated.
type TenantSide struct {
	// Factors are the enabled factors; From names where they came from
	// (the policy file with the section, a --tenant file, or
	// "--enabled-factors").
	Factors []string `json:"factors"`
	From    string   `json:"from"`
	// MFAPolicy is the tenant's MFA policy, empty when neither the
	// section nor --tenant gives one (the Action alone decides).
	MFAPolicy string `json:"mfa_policy,omitempty"`
	// Differences are what --tenant says otherwise than the section.
	Differences []string `json:"differences,omitempty"`
	// Line is where the policy's tenant: section starts (0: none), for
	// annotations.
	Line int `json:"line,omitempty"`
}

// FactorLockout is the logins locked out by turning a factor off. Factor
// is one factor, or several joined by "+" when the logins' usable factors
// were all turned off together.
type FactorLockout struct {
	Factor string `json:"factor"`
	Logins int64  `json:"logins"`
	// Users counts distinct users; NoUserID the logins without one.
	Users        int64    `json:"users"`
	NoUserID     int64    `json:"no_user_id"`
	Applications []Impact `json:"applications"`
}

// Causes are the causes in report order.
var Causes = []simulate.Cause{simulate.CauseRules, simulate.CauseFactors, simulate.CauseMFAPolicy}

// tenantAcc accumulates the TenantChange.
type tenantAcc struct {
	change   TenantChange
	off      []string
	byCause  map[simulate.Cause]int64
	lockouts map[string]*lockAcc
}

type lockAcc struct {
	logins, noUser int64
	users          userSet
	apps           map[string]*group
}

// newTenantAcc describes both sides' configurations; nil unless each side
// has its own (SplitTenant).
func newTenantAcc(opts Options, bs, hs *Side) *tenantAcc {
	if !opts.SplitTenant {
		return nil
	}
	base := tenantSide(opts.Tenant, opts.EnabledFactors)
	head := tenantSide(opts.HeadTenant, opts.EnabledFactors)
	base.Line, head.Line = bs.tenantLine(), hs.tenantLine()
	t := &tenantAcc{byCause: map[simulate.Cause]int64{}, lockouts: map[string]*lockAcc{}}
	t.change = TenantChange{Base: base, Head: head, TurnedOff: minus(base.Factors, head.Factors), TurnedOn: minus(head.Factors, base.Factors)}
	t.off = t.change.TurnedOff
	return t
}

func tenantSide(t *simulate.Tenant, enabled []string) TenantSide {
	s := TenantSide{Factors: enabled, From: "--enabled-factors"}
	if enabled == nil {
		s.Factors, s.From = simulate.AllFactors(), "every factor (no tenant: section, --tenant or --enabled-factors)"
	}
	if t == nil {
		return s
	}
	if t.Enabled != nil {
		s.Factors, s.From = t.Enabled, cmpOr(t.EnabledFrom, t.Name)
	}
	s.MFAPolicy, s.Differences = t.Policy, t.Differences
	return s
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// minus is the factors of a not in b, in a's order.
func minus(a, b []string) []string {
	out := []string{}
	for _, f := range a {
		if !slices.Contains(b, f) {
			out = append(out, f)
		}
	}
	return out
}

// add counts one changed login's causes and, when turning factors off
// locked it out, the factors it lost.
func (t *tenantAcc) add(p simulate.Pair, kind Kind, user string, u uint32, app string) {
	causes := p.Causes
	if causes == nil {
		causes = []simulate.Cause{simulate.CauseRules}
	}
	for _, c := range causes {
		t.byCause[c]++
	}
	if kind != LockedOut || !slices.Contains(causes, simulate.CauseFactors) {
		return
	}
	var lost []string
	for _, f := range p.Base.Factors {
		if slices.Contains(t.off, f) {
			lost = append(lost, f)
		}
	}
	if len(lost) == 0 {
		lost = t.off
	}
	lost = slices.Clone(lost)
	sort.Strings(lost)
	key := strings.Join(lost, "+")
	l := t.lockouts[key]
	if l == nil {
		l = &lockAcc{apps: map[string]*group{}}
		t.lockouts[key] = l
	}
	l.logins++
	g := l.apps[app]
	if g == nil {
		g = newGroup()
		l.apps[app] = g
	}
	g.changed++
	if user == "" {
		l.noUser++
		return
	}
	l.users.add(u)
	g.users.add(u)
	g.affected.add(u)
	g.locked.add(u)
}

// report finishes the TenantChange.
// changed is the number of changed logins; apps the users seen per
// application, so that an application's share is of all its users.
func (t *tenantAcc) report(changed int64, apps map[string]*group) *TenantChange {
	if t == nil {
		return nil
	}
	c := t.change
	for _, k := range Causes {
		c.ByCause = append(c.ByCause, Count{Name: string(k), Count: t.byCause[k], Percent: simulate.Percent(t.byCause[k], changed)})
	}
	c.LockedOut = []FactorLockout{}
	for f, l := range t.lockouts {
		fl := FactorLockout{Factor: f, Logins: l.logins, Users: l.users.len(), NoUserID: l.noUser, Applications: impacts(l.apps, 0)}
		for i := range fl.Applications {
			im := &fl.Applications[i]
			if g := apps[im.Name]; g != nil {
				im.Total = g.users.len()
				im.AffectedPercent = simulate.Percent(im.Affected, im.Total)
			}
		}
		c.LockedOut = append(c.LockedOut, fl)
	}
	sort.Slice(c.LockedOut, func(i, j int) bool {
		x, y := c.LockedOut[i], c.LockedOut[j]
		if x.Logins != y.Logins {
			return x.Logins > y.Logins
		}
		return x.Factor < y.Factor
	})
	return &c
}

// causeNames are a pair's causes as strings; a pair without causes (the
// sides share a tenant context) is the rules'.
func causeNames(cs []simulate.Cause) []string {
	if cs == nil {
		return []string{string(simulate.CauseRules)}
	}
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = string(c)
	}
	return out
}

// factorLockouts counts the logins locked out by factors turned off.
func (r *Report) factorLockouts() int64 {
	if r.Tenant == nil {
		return 0
	}
	var n int64
	for _, l := range r.Tenant.LockedOut {
		n += l.Logins
	}
	return n
}

// lockoutLine is one turned-off factor's lockouts in words: "phone: 42
// logins of 40 users locked out (Customer Portal 17, ...)". Application
// names come from the events: Markdown callers escape the result.
func lockoutLine(l FactorLockout, apps int) string {
	s := sprintf("%s: %s of %s locked out", l.Factor, plural(l.Logins, "login", "logins"), plural(l.Users, "user", "users"))
	if l.NoUserID > 0 {
		s += sprintf(" (%d without a user id)", l.NoUserID)
	}
	var parts []string
	for i, a := range l.Applications {
		if i == apps {
			parts = append(parts, sprintf("%d more", len(l.Applications)-apps))
			break
		}
		parts = append(parts, sprintf("%s %d of %d users", a.Name, a.LockedOut, a.Total))
	}
	if len(parts) > 0 {
		s += "; applications: " + strings.Join(parts, ", ")
	}
	return s
}

// configLine says what the head changes in the tenant configuration.
func (c *TenantChange) configLine() string {
	var parts []string
	if len(c.TurnedOff) > 0 {
		parts = append(parts, "turns off "+strings.Join(c.TurnedOff, ", "))
	}
	if len(c.TurnedOn) > 0 {
		parts = append(parts, "turns on "+strings.Join(c.TurnedOn, ", "))
	}
	if c.Base.MFAPolicy != c.Head.MFAPolicy {
		parts = append(parts, sprintf("changes the MFA policy from %s to %s", orNone(c.Base.MFAPolicy), orNone(c.Head.MFAPolicy)))
	}
	if len(parts) == 0 {
		return "the same enabled factors and MFA policy"
	}
	return strings.Join(parts, "; ")
}

func orNone(p string) string {
	if p == "" {
		return "(not given: the Action alone decides)"
	}
	return p
}

// causesLine is "factors 42, rules 3": the non-zero causes.
func causesLine(cs []Count) string {
	var parts []string
	for _, c := range cs {
		if c.Count > 0 {
			parts = append(parts, sprintf("%s %d", c.Name, c.Count))
		}
	}
	return strings.Join(parts, ", ")
}

// tenantLine is the line of the side's tenant: section, 0 without one.
func (s *Side) tenantLine() int {
	if s.Policy == nil || s.Policy.Tenant == nil {
		return 0
	}
	return s.Policy.Tenant.Pos.Line
}
