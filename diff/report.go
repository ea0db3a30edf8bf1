package diff

import (
	"github.com/mfapolicy/mfapolicy/simulate"
)

// Report is the one result of a diff; text, JSON, Markdown and GitHub
// annotations are views of it. Every list has a fixed order, so the same
// inputs give the same bytes (docs/diff.md documents the JSON).
type Report struct {
	Base   PolicyRef `json:"base"`
	Head   PolicyRef `json:"head"`
	Inputs []string  `json:"inputs"`

	Read      int64 `json:"read"`
	Replayed  int64 `json:"replayed"`
	Malformed int64 `json:"malformed"`
	// GeoIP says what the GeoIP database (--geoip) did to the logins
	// mapped from log records; present only when one was given.
	GeoIP *simulate.GeoIPStats `json:"geoip,omitempty"`

	// Changed counts the logins whose decision differs; ByKind splits
	// them by kind, in the order of Kinds (zero counts included).
	Changed        int64   `json:"changed"`
	ChangedPercent float64 `json:"changed_percent"`
	ByKind         []Count `json:"by_kind"`

	// Outcomes compares the outcome counts of the two policies, in the
	// order allow, challenge, enroll, deny, fail, error.
	Outcomes []OutcomeCount `json:"outcomes"`
	// Matrix holds every (base, head) outcome pair that occurred,
	// unchanged pairs included, in outcome order.
	Matrix []Cell `json:"matrix"`
	// Transitions are the changes, grouped by base and head outcome and
	// kind: in the order of Kinds (weakened first), then by count, then
	// outcome order.
	Transitions []Transition `json:"transitions"`

	// Users counts distinct users (event.user.user_id) by what the change
	// does to them; Applications and Countries break that down.
	Users        UserImpact `json:"users"`
	Applications []Impact   `json:"applications"`
	Countries    []Impact   `json:"countries"`

	// Days splits the logins by the UTC day they happened on
	// (input.Event.Time) with the changed ones by kind, every day from
	// the first to the last; NoTime counts the logins with no time.
	Days   []Segment `json:"days"`
	NoTime int64     `json:"no_time"`
	// ByConfidence does the same by risk confidence, in the order of
	// simulate.Summary.ByConfidence.
	ByConfidence []Segment `json:"by_confidence"`

	// Rules are the rules that decided a changed login in either policy,
	// with their line, for annotations; by count.
	Rules []RuleImpact `json:"rules"`

	// MissingData counts logins decided on missing data under each policy
	// and, among the changed ones, those that rest on it in either.
	MissingData MissingData `json:"missing_data"`

	// Verdict is the outcome of the check (--fail-on, --max-change).
	Verdict Verdict `json:"verdict"`
	// Redacted is true when user ids and IP addresses are pseudonymised.
	Redacted bool `json:"redacted"`
	// Replay says how each policy's logins were replayed (by decision
	// class or all in goja).
	Replay ReplayStats `json:"replay"`
	// Tenant compares the two tenant configurations; absent unless a
	// policy has a tenant: section.
	Tenant *TenantChange `json:"tenant,omitempty"`
}

// ReplayStats holds each side's simulate.ReplayStats.
type ReplayStats struct {
	Base simulate.ReplayStats `json:"base"`
	Head simulate.ReplayStats `json:"head"`
}

// PolicyRef names one side of the diff.
type PolicyRef struct {
	Name  string `json:"name"`
	File  string `json:"file"`
	Rules int    `json:"rules"`
}

// Count is a named number with its share of the replayed logins.
type Count struct {
	Name    string  `json:"name"`
	Count   int64   `json:"count"`
	Percent float64 `json:"percent"`
}

// OutcomeCount is one outcome's count under each policy.
type OutcomeCount struct {
	Outcome simulate.Outcome `json:"outcome"`
	Base    int64            `json:"base"`
	Head    int64            `json:"head"`
	Delta   int64            `json:"delta"`
}

// Cell is one entry of the transition matrix.
type Cell struct {
	From    simulate.Outcome `json:"from"`
	To      simulate.Outcome `json:"to"`
	Count   int64            `json:"count"`
	Percent float64          `json:"percent"`
	// Changed counts the logins of this cell whose decision changed
	// (factors or reason) although the outcome did not.
	Changed int64 `json:"changed"`
}

// Transition is one group of changed decisions.
type Transition struct {
	From    simulate.Outcome `json:"from"`
	To      simulate.Outcome `json:"to"`
	Kind    Kind             `json:"kind"`
	Count   int64            `json:"count"`
	Percent float64          `json:"percent"`
	// Users is the number of distinct users among them.
	Users int64 `json:"users"`
	// Rules lists the rule pairs responsible (base rule → head rule), by
	// count; "(default)" names a policy's default.
	Rules []RulePair `json:"rules"`
	// Changes are the three most common decision changes, such as
	// "challenge [otp] → challenge [otp, phone]", with percent of the
	// transition.
	Changes         []Count `json:"changes"`
	TopCountries    []Count `json:"top_countries"`
	TopApplications []Count `json:"top_applications"`
	// MissingData counts the logins of this transition that rest on
	// missing data under either policy.
	MissingData int64     `json:"missing_data"`
	Examples    []Example `json:"examples"`
	// Causes count the transition's logins by what changed them (rules,
	// factors, mfa-policy); absent unless a policy has a tenant: section.
	Causes []Count `json:"causes,omitempty"`
}

// RulePair is the base and head rule that decided a set of changed logins.
type RulePair struct {
	Base  string `json:"base"`
	Head  string `json:"head"`
	Count int64  `json:"count"`
}

// Example is one changed login.
type Example struct {
	File string `json:"file"`
	Line int    `json:"line"`
	ID   string `json:"id,omitempty"`
	// User is event.user.user_id and IP event.request.ip, or their
	// pseudonyms when the report is redacted (u_<hash>, the /24 or /48).
	User        string   `json:"user,omitempty"`
	IP          string   `json:"ip,omitempty"`
	Country     string   `json:"country,omitempty"`
	Application string   `json:"application,omitempty"`
	Base        Outcome  `json:"base"`
	Head        Outcome  `json:"head"`
	Missing     []string `json:"missing,omitempty"`
	// Causes say what changed the decision (rules, factors,
	// mfa-policy); absent unless a policy has a tenant: section.
	Causes []string `json:"causes,omitempty"`
}

// Outcome is one policy's decision in an example.
type Outcome struct {
	Outcome simulate.Outcome `json:"outcome"`
	Factors []string         `json:"factors,omitempty"`
	Rule    string           `json:"rule"`
	Reason  string           `json:"reason,omitempty"`
}

// UserImpact counts distinct users by what the change does to them. A
// user counts in each group one of their logins falls in.
type UserImpact struct {
	// Total is the distinct users in the events; Affected those with at
	// least one changed decision.
	Total    int64 `json:"total"`
	Affected int64 `json:"affected"`
	// NewlyChallenged: allowed before, now challenged or asked to enrol.
	NewlyChallenged int64 `json:"newly_challenged"`
	// NewlyDenied: let through before (allowed, challenged or enrolled),
	// now denied.
	NewlyDenied int64 `json:"newly_denied"`
	// LockedOut: let through before, now failing or erroring.
	LockedOut int64 `json:"locked_out"`
	// Relieved: less friction than before (challenged to allowed, denied
	// to challenged...).
	Relieved int64 `json:"relieved"`
	// NoUserID counts changed logins whose event has no user id.
	NoUserID int64 `json:"no_user_id"`
}

// Impact is the user impact within one application or country.
type Impact struct {
	Name string `json:"name"`
	UserImpact
	// AffectedPercent is the share of this group's users affected.
	AffectedPercent float64 `json:"affected_percent"`
	// Changed counts the changed logins.
	Changed int64 `json:"changed"`
}

// RuleImpact is a rule that decided changed logins, with its position.
type RuleImpact struct {
	// Side is "head" when the rule is in the head policy (its line is
	// there), else "base".
	Side string `json:"side"`
	Rule string `json:"rule"`
	File string `json:"file"`
	Line int    `json:"line"`
	// Changed counts the changed logins the rule decided under that
	// policy; ByKind splits them, in the order of Kinds, zero counts left
	// out.
	Changed int64   `json:"changed"`
	ByKind  []Count `json:"by_kind"`
	// Transitions names the main transitions, "allow→challenge 12".
	Transitions []string `json:"transitions"`
}

// MissingData is the "decided on missing data" bucket of the diff.
type MissingData struct {
	Base int64 `json:"base"`
	Head int64 `json:"head"`
	// Changed counts the changed logins that rest on missing data under
	// either policy.
	Changed int64 `json:"changed"`
	// Fields lists the absent fields among those changed logins.
	Fields []Count `json:"fields"`
}

// Verdict says whether the change passes the check.
type Verdict struct {
	FailOn string `json:"fail_on"`
	// MaxChange is the --max-change limit in percent; negative: none.
	MaxChange float64 `json:"max_change"`
	Pass      bool    `json:"pass"`
	// Reasons say why the check fails, one sentence each.
	Reasons []string `json:"reasons,omitempty"`
}
