package simulate

import (
	"github.com/mfapolicy/mfapolicy/geoip"
	"math"
	"sort"
	"time"

	"github.com/mfapolicy/mfapolicy/internal/diag"
	"github.com/mfapolicy/mfapolicy/simulate/input"
)

// Summary is the one result of a simulation run. Every list in it is in a
// fixed, documented order, so the same inputs give byte-identical output.
type Summary struct {
	Action  string   `json:"action"`
	Inputs  []string `json:"inputs"`
	Workers int      `json:"workers"`
	Timeout string   `json:"timeout"`

	// Read counts every record: replayed, skipped and malformed.
	Read int64 `json:"read"`
	// Replayed counts the logins run through the Action; FromLogs how many
	// of them were mapped from tenant log records.
	Replayed int64 `json:"replayed"`
	FromLogs int64 `json:"from_logs"`

	// Outcomes has one entry per outcome in the order allow, challenge,
	// enroll, deny, fail, error, zero counts included.
	Outcomes []Count `json:"outcomes"`
	// Rules holds hits per rule, when the Action exports decide(event): in
	// policy order when the rule ids were given, then by count. The
	// default (no rule matched) is named "(default)".
	Rules []Count `json:"rules,omitempty"`
	// TopCountries and TopApplications list, per outcome that occurred, the
	// ten most frequent values (by count, then name).
	TopCountries    []Top `json:"top_countries"`
	TopApplications []Top `json:"top_applications"`

	// Days splits the logins by the UTC day they happened on (Event.Time),
	// in date order, every day from the first to the last (at most 366;
	// a longer span lists the days with logins only); NoTime counts the
	// logins with no time.
	Days   []Segment `json:"days"`
	NoTime int64     `json:"no_time"`
	// ByConfidence splits the logins by risk confidence: high, medium,
	// low, neutral, any other value by name, then "(none)" for events
	// without one; only the values that occurred.
	ByConfidence []Segment `json:"by_confidence"`
	// ByCountry and ByApplication split the logins by country and
	// application, by total then name; past the twentieth, the rest are
	// merged into "(other)".
	ByCountry     []Segment `json:"by_country"`
	ByApplication []Segment `json:"by_application"`

	Malformed int64 `json:"malformed"`
	// Problems holds the first malformed-record messages, in input order.
	Problems diag.List `json:"problems,omitempty"`
	// Skipped counts the tenant log records of types that carry no login
	// to replay, by type, sorted by type.
	Skipped []Count `json:"skipped,omitempty"`
	// Assumptions says what the simulator assumed where the events are
	// silent, and for how many logins.
	Assumptions []Count `json:"assumptions"`
	// NetworkRefused counts the HTTP requests no --http fixture answered,
	// by host (by count, then host): each failed inside the Action with a
	// connection error.
	NetworkRefused []Count `json:"network_refused,omitempty"`
	// TimedOut counts logins stopped at the time limit (they are also
	// counted as outcome error); Inconsistent counts logins where
	// decide(event) and the Action's calls disagree.
	TimedOut     int64 `json:"timed_out"`
	Inconsistent int64 `json:"inconsistent"`
	// MissingData counts the logins decided on missing data; present only
	// when the rules' fields were known (Options.RuleFields).
	MissingData *MissingData `json:"missing_data,omitempty"`
	// Replay says how the logins were replayed: by decision class or all
	// in goja, and how many ran in goja and were verified there.
	Replay ReplayStats `json:"replay"`
	// GeoIP says what the GeoIP database (Options.GeoIP) did; present only
	// when one was given.
	GeoIP *GeoIPStats `json:"geoip,omitempty"`
}

// GeoIPStats names the GeoIP database a run located log records with and
// counts the logins mapped from log records by where their
// request.geoip came from.
type GeoIPStats struct {
	// Database is the file, Type its database_type (such as
	// GeoLite2-City), Built its build date (YYYY-MM-DD, UTC).
	Database string `json:"database"`
	Type     string `json:"type"`
	Built    string `json:"built"`
	// Enriched counts the logins located from the database; NotFound
	// those without location_info whose request.ip it does not cover (or
	// that have none): their request.geoip stays empty. HadLocation
	// counts the records that had location_info, kept as they were.
	Enriched    int64 `json:"enriched"`
	NotFound    int64 `json:"not_found"`
	HadLocation int64 `json:"had_location"`
}

// GeoIPStatsOf names db as the summaries do, with nothing counted yet.
func GeoIPStatsOf(db *geoip.DB) GeoIPStats {
	return GeoIPStats{Database: db.Path(), Type: db.Type(), Built: db.Built().Format(time.DateOnly)}
}

// MissingData is the "decided on missing data" bucket: logins where a rule
// evaluated up to and including the deciding one reads a field that is
// absent (or null) in the event. It is conservative: a rule counts with
// every field it may read, whether or not short-circuiting skipped it.
type MissingData struct {
	Count   int64   `json:"count"`
	Percent float64 `json:"percent"`
	// Fields lists the absent fields by how many of those logins lacked
	// them (by count, then name).
	Fields []Count `json:"fields"`
}

// Count is a named number, with its share of the replayed logins where
// that is meaningful.
type Count struct {
	Name    string  `json:"name"`
	Count   int64   `json:"count"`
	Percent float64 `json:"percent,omitempty"`
}

// Top is the most frequent values of one attribute for one outcome.
type Top struct {
	Outcome Outcome `json:"outcome"`
	Values  []Count `json:"values"`
}

// topN is how many countries and applications a summary lists per outcome.
const topN = 10

// accumulator builds the Summary as decisions arrive in input order. It is
// owned by the collecting goroutine.
type accumulator struct {
	opts         Options
	dayNames     DayNames
	read         int64
	replayed     int64
	fromLogs     int64
	geo          GeoIPStats
	outcomes     map[Outcome]int64
	rules        map[string]int64
	hasDecide    bool
	countries    map[Outcome]map[string]int64
	apps         map[Outcome]map[string]int64
	malformed    int64
	problems     problemList
	skipped      map[string]int64
	assumptions  map[string]int64
	timedOut     int64
	inconsistent int64
	missing      int64
	missingBy    map[string]int64
	refused      map[string]int64
	days         segments
	noTime       int64
	confidence   segments
	replay       replayStats
	// pair is the second Action of a RunPair.
	pair *second
}

func newAccumulator(opts Options) *accumulator {
	return &accumulator{
		opts:        opts,
		outcomes:    map[Outcome]int64{},
		rules:       map[string]int64{},
		countries:   map[Outcome]map[string]int64{},
		apps:        map[Outcome]map[string]int64{},
		problems:    problemList{n: opts.MaxProblems},
		skipped:     map[string]int64{},
		assumptions: map[string]int64{},
		missingBy:   map[string]int64{},
		refused:     map[string]int64{},
		days:        segments{},
		confidence:  segments{},
		replay:      replayStats{classes: map[int]bool{}},
	}
}

// add counts a finished job, and hands its head side to the pair's
// accumulator.
func (a *accumulator) add(j *job) error {
	if a.pair != nil {
		if err := a.pair.add(j); err != nil {
			return err
		}
	}
	return a.count(&j.item, &j.dec, j.via)
}

// count counts one record and the decision made on it.
func (a *accumulator) count(it *input.Item, dec *Decision, via route) error {
	a.read++
	switch it.Kind {
	case input.ItemMalformed:
		a.malformed++
		a.problems.add(it.Problem)
		return nil
	case input.ItemSkipped:
		a.skipped[it.LogType]++
		return nil
	}
	d := dec
	a.replayed++
	a.replay.add(via)
	if it.Event.LogType != "" {
		a.fromLogs++
		a.addEnriched(it.Event.Enriched)
	}
	a.outcomes[d.Outcome]++
	if d.timedOut {
		a.timedOut++
	}
	if a.opts.countsOnly {
		return a.decided(d)
	}
	if d.hasDecide {
		a.hasDecide = true
		name := d.Rule
		if name == "" {
			name = "(default)"
		}
		a.rules[name]++
	}
	if day := a.day(it.Event.Time); day != "" {
		a.days.add(day, d.Outcome)
	} else {
		a.noTime++
	}
	a.confidence.add(orNoConfidence(it.Event.Confidence), d.Outcome)
	bump(a.countries, d.Outcome, orUnknown(d.Country))
	bump(a.apps, d.Outcome, orUnknown(d.Application))
	if d.assumption != "" {
		a.assumptions[d.assumption]++
	}
	for _, t := range d.tenant {
		a.assumptions[t]++
	}
	a.addSandbox(d.sandbox)
	if len(d.Missing) > 0 {
		a.missing++
		for _, f := range d.Missing {
			a.missingBy[f]++
		}
	}
	for _, n := range d.Notes {
		if len(n) > 13 && n[:13] == "inconsistent:" {
			a.inconsistent++
			break
		}
	}
	return a.decided(d)
}

// decided hands a decision to Options.OnDecision.
func (a *accumulator) decided(d *Decision) error {
	if a.opts.OnDecision != nil {
		return a.opts.OnDecision(*d)
	}
	return nil
}

func orUnknown(s string) string {
	if s == "" {
		return "(unknown)"
	}
	return s
}

// day is dayOf, named once for all the logins of a day.
func (a *accumulator) day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return a.dayNames.Name(t)
}

func bump(m map[Outcome]map[string]int64, o Outcome, key string) {
	if m[o] == nil {
		m[o] = map[string]int64{}
	}
	m[o][key]++
}

func (a *accumulator) summary() *Summary {
	s := &Summary{
		Action:       a.opts.CodeName,
		Workers:      a.opts.Workers,
		Timeout:      a.opts.Timeout.String(),
		Read:         a.read,
		Replayed:     a.replayed,
		FromLogs:     a.fromLogs,
		Malformed:    a.malformed,
		Problems:     a.problems.list,
		TimedOut:     a.timedOut,
		Inconsistent: a.inconsistent,
		Replay:       a.replay.stats(a.opts.Classifier != nil),
	}
	for _, in := range a.opts.Inputs {
		s.Inputs = append(s.Inputs, in.Name)
	}
	for _, o := range Outcomes {
		s.Outcomes = append(s.Outcomes, Count{Name: string(o), Count: a.outcomes[o], Percent: a.percent(a.outcomes[o])})
	}
	s.Skipped = TopCounts(a.skipped, 0, 0)
	sort.Slice(s.Skipped, func(i, j int) bool { return s.Skipped[i].Name < s.Skipped[j].Name })
	if db := a.opts.GeoIP; db != nil {
		g := GeoIPStatsOf(db)
		g.Enriched, g.NotFound, g.HadLocation = a.geo.Enriched, a.geo.NotFound, a.geo.HadLocation
		s.GeoIP = &g
	}
	if a.opts.countsOnly {
		return s
	}
	if a.hasDecide {
		s.Rules = a.ruleCounts()
	}
	for _, o := range Outcomes {
		if a.outcomes[o] == 0 {
			continue
		}
		s.TopCountries = append(s.TopCountries, Top{Outcome: o, Values: TopCounts(a.countries[o], topN, a.outcomes[o])})
		s.TopApplications = append(s.TopApplications, Top{Outcome: o, Values: TopCounts(a.apps[o], topN, a.outcomes[o])})
	}
	s.Days, s.NoTime = withPercent(a.days.days(), a.replayed), a.noTime
	s.ByConfidence = withPercent(a.confidence.confidences(), a.replayed)
	s.ByCountry = withPercent(pivot(a.countries).ranked(segmentN), a.replayed)
	s.ByApplication = withPercent(pivot(a.apps).ranked(segmentN), a.replayed)
	s.Assumptions = TopCounts(a.assumptions, 0, a.replayed)
	enabled := "factors enabled on the tenant: " + DescribeFactors(a.opts.EnabledFactors)
	if t := a.opts.Tenant; t != nil && t.Enabled != nil {
		enabled += " (from " + t.enabledFrom() + ")"
	}
	s.Assumptions = append(s.Assumptions, Count{Name: enabled, Count: a.replayed, Percent: a.percent(a.replayed)})
	if t := a.opts.Tenant; t != nil {
		for _, d := range t.Differences {
			s.Assumptions = append(s.Assumptions, Count{Name: "tenant context differs: " + d, Count: a.replayed, Percent: a.percent(a.replayed)})
		}
	}
	s.NetworkRefused = TopCounts(a.refused, 0, 0)
	if a.opts.RuleFields != nil {
		s.MissingData = &MissingData{Count: a.missing, Percent: a.percent(a.missing), Fields: TopCounts(a.missingBy, 0, a.missing)}
	}
	return s
}

// ruleCounts lists the given rules in policy order, then any other rule
// by count and name, and the default last.
func (a *accumulator) ruleCounts() []Count {
	var out []Count
	seen := map[string]bool{}
	for _, r := range a.opts.Rules {
		if seen[r] {
			continue
		}
		seen[r] = true
		out = append(out, Count{Name: r, Count: a.rules[r], Percent: a.percent(a.rules[r])})
	}
	rest := map[string]int64{}
	for r, n := range a.rules {
		if !seen[r] && r != "(default)" {
			rest[r] = n
		}
	}
	out = append(out, TopCounts(rest, 0, a.replayed)...)
	if n, ok := a.rules["(default)"]; ok || len(a.opts.Rules) > 0 {
		out = append(out, Count{Name: "(default)", Count: n, Percent: a.percent(n)})
	}
	return out
}

// TopCounts sorts counts by count (descending) then name, keeping n (0:
// all), each with its percentage of total (0 when total is 0). Reports
// of simulate and diff rank their lists with it.
func TopCounts(m map[string]int64, n int, total int64) []Count {
	out := make([]Count, 0, len(m))
	for k, v := range m {
		out = append(out, Count{Name: k, Count: v, Percent: Percent(v, total)})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Name < out[j].Name
	})
	if n > 0 && len(out) > n {
		out = out[:n]
	}
	return out
}

func (a *accumulator) percent(n int64) float64 { return Percent(n, a.replayed) }

// Percent is n/total as a percentage rounded to one decimal, 0 when total
// is 0.
func Percent(n, total int64) float64 {
	if total == 0 {
		return 0
	}
	return math.Round(1000*float64(n)/float64(total)) / 10
}

// Assumption lines of the roles a tenant context fills in.
const (
	rolesFromTenantNote = "event.authorization.roles from the tenant context's roles (logs carry none)"
	rolesUnknownNote    = "user not in the tenant context's roles: event.authorization absent"
)

// addEnriched counts what enrichment did to a login mapped from a log
// record.
func (a *accumulator) addEnriched(e input.Enriched) {
	switch e.Geo {
	case input.GeoFromDB:
		a.geo.Enriched++
	case input.GeoNotFound:
		a.geo.NotFound++
	case input.GeoFromLog:
		a.geo.HadLocation++
	}
	switch e.Roles {
	case input.RolesFromTenant:
		a.assumptions[rolesFromTenantNote]++
	case input.RolesUnknown:
		a.assumptions[rolesUnknownNote]++
	}
}
