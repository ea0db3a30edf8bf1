package diff

import (
	"slices"
	"sort"

	"github.com/mfapolicy/mfapolicy/simulate"
)

// topN is how many countries and applications lists keep.
const topN = 10

// DefaultRule names a policy's default in reports.
const DefaultRule = "(default)"

type transKey struct {
	from, to simulate.Outcome
	kind     Kind
}

type transAcc struct {
	key   transKey
	count int64
	users userSet
	rules map[[2]string]int64
	// changes counts the changes by their name (appendShortDecision of
	// each side), made in the accumulator's scratch and copied when new.
	changes   map[string]*int64
	countries map[string]int64
	apps      map[string]int64
	missing   int64
	examples  []Example
	causes    map[string]int64
}

type cellAcc struct{ count, changed int64 }

// group tracks distinct users of one application, country or the whole run.
type group struct {
	users, affected, challenged, denied, locked, relieved userSet
	changed                                               int64
}

func newGroup() *group {
	return &group{}
}

type ruleAcc struct {
	side, file, rule string
	line             int
	changed          int64
	byKind           map[Kind]int64
	// trans counts the changes by base and head outcome.
	trans map[[2]simulate.Outcome]int64
}

type accumulator struct {
	dayNames   simulate.DayNames
	base, head *Side
	examples   int
	replayed   int64
	changed    int64
	byKind     map[Kind]int64
	// cells are indexed by cellIndex of the base's and head's outcomes.
	cells []*cellAcc
	trans map[transKey]*transAcc
	all   *group
	// users numbers the users seen, for the sets of groups and changes.
	users       userIndex
	apps        map[string]*group
	countries   map[string]*group
	noUser      int64
	rules       map[string]*ruleAcc
	missBase    int64
	missHead    int64
	missChanged int64
	missFields  map[string]int64
	days        segments
	noTime      int64
	confidence  segments
	// tenant is set when the sides run under their own tenant contexts.
	tenant *tenantAcc
	// scratch is where a change's name is made (add).
	scratch []byte
}

func newAccumulator(base, head *Side, examples int) *accumulator {
	return &accumulator{base: base, head: head, examples: examples, byKind: map[Kind]int64{},
		cells: make([]*cellAcc, numOutcomes*numOutcomes), trans: map[transKey]*transAcc{}, all: newGroup(), users: userIndex{},
		apps: map[string]*group{}, countries: map[string]*group{}, rules: map[string]*ruleAcc{},
		missFields: map[string]int64{}, days: segments{}, confidence: segments{}}
}

func (a *accumulator) add(p simulate.Pair) {
	a.replayed++
	b, h := p.Base, p.Head
	user := p.Event.UserID
	app, country := orUnknown(p.Event.Application), orUnknown(p.Event.Country)
	ga, gc := a.groupOf(a.apps, app), a.groupOf(a.countries, country)
	var u uint32
	if user != "" {
		u = a.users.of(user)
		a.all.users.add(u)
		ga.users.add(u)
		gc.users.add(u)
	}
	if len(b.Missing) > 0 {
		a.missBase++
	}
	if len(h.Missing) > 0 {
		a.missHead++
	}
	cp := &a.cells[cellIndex(b.Outcome, h.Outcome)]
	cell := *cp
	if cell == nil {
		cell = &cellAcc{}
		*cp = cell
	}
	cell.count++
	if !Changed(b, h) {
		a.segment(p.Event, false, "")
		return
	}
	cell.changed++
	a.changed++
	kind := Classify(b, h)
	a.segment(p.Event, true, kind)
	a.byKind[kind]++
	missing := union(b.Missing, h.Missing)
	if len(missing) > 0 {
		a.missChanged++
		for _, m := range missing {
			a.missFields[m]++
		}
	}
	t := a.transition(transKey{b.Outcome, h.Outcome, kind})
	t.count++
	t.rules[[2]string{ruleName(b.Rule), ruleName(h.Rule)}]++
	a.scratch = appendShortDecision(append(appendShortDecision(a.scratch[:0], b), " → "...), h)
	if n := t.changes[string(a.scratch)]; n != nil {
		*n++
	} else {
		one := int64(1)
		t.changes[string(a.scratch)] = &one
	}
	t.countries[country]++
	t.apps[app]++
	if len(missing) > 0 {
		t.missing++
	}
	var causes []string
	if a.tenant != nil {
		a.tenant.add(p, kind, user, u, app)
		causes = causeNames(p.Causes)
		for _, c := range causes {
			t.causes[c]++
		}
	}
	if len(t.examples) < a.examples {
		t.examples = append(t.examples, Example{File: p.Event.File, Line: p.Event.Line, ID: p.Event.ID,
			User: user, IP: p.Event.IP, Country: p.Event.Country, Application: p.Event.Application,
			Base: outcomeOf(b), Head: outcomeOf(h), Missing: missing, Causes: causes})
	}
	if causes == nil || slices.Contains(causes, string(simulate.CauseRules)) {
		a.rule(b, h, kind) // a change the tenant alone made is no rule's
	}
	if user == "" {
		a.noUser++
		ga.changed++
		gc.changed++
		return
	}
	t.users.add(u)
	for _, g := range []*group{a.all, ga, gc} {
		g.mark(u, b.Outcome, h.Outcome, kind)
	}
}

// mark counts a changed login of user u.
func (g *group) mark(u uint32, b, h simulate.Outcome, kind Kind) {
	g.changed++
	g.affected.add(u)
	switch {
	case friction(b) == 0 && friction(h) == 1:
		g.challenged.add(u)
	case h == simulate.Deny && friction(b) < 2:
		g.denied.add(u)
	case kind == LockedOut:
		g.locked.add(u)
	}
	if friction(h) < friction(b) {
		g.relieved.add(u)
	}
}

func (a *accumulator) groupOf(m map[string]*group, name string) *group {
	g := m[name]
	if g == nil {
		g = newGroup()
		m[name] = g
	}
	return g
}

func (a *accumulator) transition(k transKey) *transAcc {
	t := a.trans[k]
	if t == nil {
		t = &transAcc{key: k, rules: map[[2]string]int64{}, changes: map[string]*int64{},
			countries: map[string]int64{}, apps: map[string]int64{}, causes: map[string]int64{}}
		a.trans[k] = t
	}
	return t
}

// rule attributes a changed login to the head rule that now decides it;
// when the head's default decides, to the base rule that used to, if the
// head still has it, else to the head's default.
func (a *accumulator) rule(b, h *simulate.Decision, kind Kind) {
	id := h.Rule
	if id == "" && b.Rule != "" && a.head.line(b.Rule) > 0 {
		id = b.Rule
	}
	name := ruleName(id)
	r := a.rules[name]
	if r == nil {
		r = &ruleAcc{side: "head", file: a.head.File, rule: name, line: a.head.line(id),
			byKind: map[Kind]int64{}, trans: map[[2]simulate.Outcome]int64{}}
		a.rules[name] = r
	}
	r.changed++
	r.byKind[kind]++
	r.trans[[2]simulate.Outcome{b.Outcome, h.Outcome}]++
}

// line is the line of a rule id in the side's policy ("" is the default),
// 0 when it has no such rule.
func (s *Side) line(id string) int {
	if s.Policy == nil {
		return 0
	}
	if id == "" {
		return s.Policy.Default.Pos.Line
	}
	for _, r := range s.Policy.Rules {
		if r.ID == id {
			return r.Pos.Line
		}
	}
	return 0
}

func outcomeOf(d *simulate.Decision) Outcome {
	return Outcome{Outcome: d.Outcome, Factors: d.Factors, Rule: ruleName(d.Rule), Reason: d.Reason}
}

func ruleName(id string) string {
	if id == "" {
		return DefaultRule
	}
	return id
}

func orUnknown(s string) string {
	if s == "" {
		return "(unknown)"
	}
	return s
}

func union(a, b []string) []string {
	if len(a) == 0 && len(b) == 0 {
		return nil
	}
	set := map[string]bool{}
	for _, x := range append(append([]string{}, a...), b...) {
		set[x] = true
	}
	out := make([]string, 0, len(set))
	for x := range set {
		out = append(out, x)
	}
	sort.Strings(out)
	return out
}

// numOutcomes is the number of outcomeIndex values: the outcomes and one
// for any other.
var numOutcomes = len(simulate.Outcomes) + 1

// cellIndex is the index of the change from outcome b to h in
// accumulator.cells.
func cellIndex(b, h simulate.Outcome) int {
	return outcomeIndex(b)*numOutcomes + outcomeIndex(h)
}

func outcomeIndex(o simulate.Outcome) int {
	for i, x := range simulate.Outcomes {
		if x == o {
			return i
		}
	}
	return len(simulate.Outcomes)
}

func kindIndex(k Kind) int {
	for i, x := range Kinds {
		if x == k {
			return i
		}
	}
	return len(Kinds)
}

// appendShortDecision appends the name of a decision without its rule to
// buf: "challenge [otp, phone]".
func appendShortDecision(buf []byte, d *simulate.Decision) []byte {
	buf = append(buf, d.Outcome...)
	for i, f := range d.Factors {
		if i == 0 {
			buf = append(buf, " ["...)
		} else {
			buf = append(buf, ", "...)
		}
		buf = append(buf, f...)
	}
	if len(d.Factors) > 0 {
		buf = append(buf, ']')
	}
	return buf
}
