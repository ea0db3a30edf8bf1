package simulate

import (
	"fmt"
	"slices"
	"strings"

	"github.com/mfapolicy/mfapolicy/simulate/engine"
	"github.com/mfapolicy/mfapolicy/simulate/input"
)

// player replays one worker's logins through one Action: in goja, or from
// the Action's decision classes when a classifier is given.
type player struct {
	prog *engine.Program
	opts Options
	// r is the worker's runtime, made on first use and again after one
	// broke.
	r *engine.Runner
	// paths are the fields whose absence decisions report (nil: none).
	paths   []fieldPath
	classes *classCache
	// derived holds the derivations of class logins by class and user:
	// derive is a function of the class's commands and of the user's
	// factors and tenant context alone.
	derived map[derivedKey]derivation
	// derivedBy holds them without a tenant MFA policy, by class and
	// factors (derivation).
	derivedBy map[uint64]derivation
	// absentSets and missingBy hold the sets of absent fields by mask and
	// the missing-field lists by deciding rule and mask (absence).
	absentSets map[uint64]map[string]bool
	missingBy  map[missingKey][]string
	// loc is the lane's locating pass, whose index of the record located
	// last spares the decoder a scan of it (nil: none).
	loc *input.Located
}

type derivedKey struct {
	class int
	user  userFactors
}

// maxDerived bounds each of a player's maps of derivations; a full one
// starts over.
const maxDerived = 4096

// derivation is derive for a login of the class whose commands cmds are,
// made once per class and kind of user. Without a tenant MFA policy it
// depends on the user's enrolled and enabled factors alone (the risk
// confidence matters to confidence-score only), and is found by one
// integer.
func (pl *player) derivation(class int, cmds []engine.Command, u userFactors) derivation {
	made := func() derivation {
		der := derive(cmds, u)
		der.Factors, der.Notes = slices.Clip(der.Factors), slices.Clip(der.Notes)
		return der
	}
	if u.Policy == "" && class >= 0 && class < 1<<32 {
		return keptDerivation(&pl.derivedBy, uint64(class)<<32|uint64(u.Enrolled)<<16|uint64(u.Enabled), made)
	}
	key := derivedKey{class: class, user: u}
	if u.Policy != PolicyConfidenceScore {
		key.user.Confidence = ""
	}
	return keptDerivation(&pl.derived, key, made)
}

// keptDerivation returns the derivation kept in *m by key, made and kept
// when there is none; a map holding maxDerived starts over.
func keptDerivation[K comparable](m *map[K]derivation, key K, made func() derivation) derivation {
	der, ok := (*m)[key]
	if !ok {
		der = made()
		if *m == nil || len(*m) >= maxDerived {
			*m = map[K]derivation{}
		}
		(*m)[key] = der
	}
	return der
}

// newPlayer makes a player of logins located by fields (laneFields); cw
// is its class worker, nil for one of its own.
func newPlayer(prog *engine.Program, opts Options, fields *input.FieldTree, r *engine.Runner, cw ClassWorker) *player {
	return &player{prog: prog, opts: opts, r: r, paths: fieldPaths(opts.RuleFields, fields), classes: newClassCache(opts, fields, cw)}
}

// classWorkers makes the class workers of one lane of a RunPair together
// when the base's classifier can pair them; nil, nil otherwise.
func classWorkers(base, head Options, fields *input.FieldTree) (ClassWorker, ClassWorker) {
	pc, ok := base.Classifier.(PairClassifier)
	if !ok || head.Classifier == nil {
		return nil, nil
	}
	a, b, ok := pc.NewClassWorkerPair(head.Classifier, fields)
	if !ok {
		return nil, nil
	}
	return a, b
}

// lane is one worker: where the fields of each event are (shared by the
// Action and by the head Action of a RunPair), and their players.
type lane struct {
	opts Options
	loc  *input.Located
	a, b *player
	// en enriches the logins mapped from log records (nil: none).
	en *input.Enrichment
	// enrolled caches the JSON of assumed enrolled-factor lists, the last
	// one used apart.
	enrolled  map[string][]byte
	lastTypes []string
	lastJSON  []byte
	// samePaths is set when both players report the absence of the same
	// fields (two versions of a policy that read the same fields).
	samePaths bool
	// split is set when the head Action runs under a tenant context of
	// its own (PairOptions.HeadTenant).
	split bool
	// multifactor is set when an Action of the lane observes
	// event.user.multifactor, which is then derived (multifactor.go).
	multifactor bool
	// kn makes what is known of each login's user, and knHead what is
	// known under the head's tenant context when the lane is split.
	kn, knHead *knowing
}

func newLane(opts Options, fields *input.FieldTree, a, b *player) *lane {
	l := &lane{opts: opts, loc: input.NewLocated(fields), a: a, b: b, enrolled: map[string][]byte{}, en: enrichmentOf(opts)}
	l.samePaths = b != nil && slices.EqualFunc(a.paths, b.paths, func(x, y fieldPath) bool { return x.name == y.name })
	l.split = b != nil && opts.split
	l.kn = newKnowing(opts)
	if l.split {
		l.knHead = newKnowing(b.opts)
	}
	l.multifactor = a.prog.Multifactor || (b != nil && b.prog.Multifactor)
	a.loc = l.loc
	if b != nil {
		b.loc = l.loc
	}
	l.loc.Indexed = l.inGoja()
	return l
}

// inGoja tells whether the lane's logins are built in goja: a player
// without decision classes, or whose classes were given up on. The
// located pass then keeps the index the event decoder starts from; by
// class, the few logins that run in goja are scanned by the decoder.
func (l *lane) inGoja() bool {
	off := func(p *player) bool { return p != nil && (p.classes == nil || p.classes.off) }
	return off(l.a) || off(l.b)
}

// laneFields is the field tree of a run's lanes: the simulator's own
// fields, those whose absence is reported and those the classifiers read,
// and event.user.multifactor for a hand-written Action whose
// derivation of it the simulator makes (Program.deriveFor).
// (Options.Fields, the Action's read plan, names every object on the way
// too, so it is not a list of values.)
func laneFields(progs []*engine.Program, opts ...Options) *input.FieldTree {
	paths := append([]string{}, input.ProbeFields...)
	paths = append(paths, input.ProbeLists...)
	for _, p := range progs {
		if p.UserUnread {
			paths = append(paths, multifactorField)
		}
	}
	for _, o := range opts {
		for _, fs := range o.RuleFields {
			paths = append(paths, fs...)
		}
		if o.Classifier != nil {
			paths = append(paths, o.Classifier.Fields()...)
		}
		if slices.Contains(o.Fields, multifactorField) {
			paths = append(paths, multifactorField)
		}
	}
	return input.NewFieldTree(paths)
}

// run replays the job's login.
func (l *lane) run(j *job) {
	// This login was located before run; whether to keep the index is
	// settled for the next one.
	l.loc.Indexed = l.inGoja()
	ev := &j.item.Event
	k := l.kn.knownFactors(ev)
	valid := ev.Located || l.loc.Locate(ev.JSON) // mapped from a log record: locate the mapped event
	absA := l.a.absent(l.loc, valid, k)
	var absB absence
	switch {
	case l.samePaths:
		absB = absA // read only
	case l.b != nil:
		absB = l.b.absent(l.loc, valid, k)
	}
	lg := played{ev: ev, fields: l.loc, placeable: valid}
	if valid && k.fill != nil {
		lg.placeable = l.loc.Fill(k.fill, l.enrolledJSON(k.fill))
	}
	if valid && l.multifactor {
		var ok bool
		k.multifactor, ok = l.loc.DeriveMultifactor()
		lg.placeable = lg.placeable && ok
		if k.multifactor != input.MultifactorKept {
			absA, absB = l.a.derivedPresent(absA), l.b.derivedPresent(absB)
		}
	}
	j.via, j.err = l.a.play(&lg, &k, absA, &j.dec)
	if l.b == nil || j.err != nil {
		return
	}
	if !l.split {
		j.headVia, j.err = l.b.play(&lg, &k, absB, &j.head)
		return
	}
	kh := k.under(l.knHead, ev)
	j.headVia, j.err = l.b.play(&lg, &kh, absB, &j.head)
	j.causes = causes(j.dec, j.head, k.user, kh.user)
}

// played is one login as a lane hands it to its players: the event, its
// fields, whether its class can be placed, and the sampling hash of its
// record, taken once for both players of a pair.
type played struct {
	ev        *input.Event
	fields    EventFields
	placeable bool
	hash      uint32
	hashed    bool
}

// sampleHash returns the record's sampling hash (recordHash).
func (lg *played) sampleHash() uint32 {
	if !lg.hashed {
		lg.hash, lg.hashed = recordHash(lg.ev.JSON), true
	}
	return lg.hash
}

// enrolledJSON is the JSON of an assumed enrolled-factor list, made once:
// most logins assume the same list as the one before (--assume-enrolled).
func (l *lane) enrolledJSON(types []string) []byte {
	if l.lastJSON != nil && slices.Equal(types, l.lastTypes) {
		return l.lastJSON
	}
	key := strings.Join(types, ",")
	raw, ok := l.enrolled[key]
	if !ok {
		raw = input.EnrolledJSON(types)
		l.enrolled[key] = raw
	}
	l.lastTypes, l.lastJSON = types, raw
	return raw
}

// absence is the fields a player's rules read that a login lacks, as read
// (before assumed factors are filled in): their names (set, read only; nil
// when no fields are known) and, when masked, the same as bits over the
// player's paths, by which the player keeps what it makes of them.
type absence struct {
	set    map[string]bool
	mask   uint64
	masked bool
}

// maxAbsence bounds a player's sets of absent fields and its missing-field
// lists; a full map starts over.
const maxAbsence = 4096

// absent returns the fields the rules read that the event lacks.
func (pl *player) absent(loc *input.Located, valid bool, k known) absence {
	if pl.paths == nil || !valid {
		return absence{}
	}
	if len(pl.paths) > 64 {
		var out map[string]bool
		for _, f := range pl.paths {
			if (k.fill == nil || f.name != assumedField) && loc.Absent(f.ref) {
				if out == nil {
					out = map[string]bool{}
				}
				out[f.name] = true
			}
		}
		if out == nil {
			out = noneAbsent
		}
		return absence{set: out}
	}
	var mask uint64
	for i, f := range pl.paths {
		if (k.fill == nil || f.name != assumedField) && loc.Absent(f.ref) {
			mask |= 1 << i
		}
	}
	return pl.absenceOf(mask)
}

// absenceOf is the absence of the fields mask names, its set made once.
func (pl *player) absenceOf(mask uint64) absence {
	if mask == 0 {
		return absence{set: noneAbsent, masked: true}
	}
	set, ok := pl.absentSets[mask]
	if !ok {
		set = map[string]bool{}
		for i, f := range pl.paths {
			if mask&(1<<i) != 0 {
				set[f.name] = true
			}
		}
		if pl.absentSets == nil || len(pl.absentSets) >= maxAbsence {
			pl.absentSets = map[uint64]map[string]bool{}
		}
		pl.absentSets[mask] = set
	}
	return absence{set: set, mask: mask, masked: true}
}

// derivedPresent is the absence without event.user.multifactor, which
// the simulator derived (missing.go's derivedPresent); pl may be nil.
func (pl *player) derivedPresent(a absence) absence {
	if pl == nil || !a.set[multifactorField] {
		return a
	}
	if !a.masked {
		return absence{set: derivedPresent(a.set)}
	}
	mask := a.mask
	for i, f := range pl.paths {
		if f.name == multifactorField {
			mask &^= 1 << i
		}
	}
	return pl.absenceOf(mask)
}

// missing is missingFor of the rule deciding a login and its absence,
// made once per rule and mask.
func (pl *player) missing(rule string, a absence) []string {
	if !a.masked {
		return missingFor(pl.opts.Rules, pl.opts.RuleFields, rule, a.set)
	}
	if a.mask == 0 {
		return nil
	}
	key := missingKey{rule: rule, mask: a.mask}
	m, ok := pl.missingBy[key]
	if !ok {
		m = slices.Clip(missingFor(pl.opts.Rules, pl.opts.RuleFields, rule, a.set))
		if pl.missingBy == nil || len(pl.missingBy) >= maxAbsence {
			pl.missingBy = map[missingKey][]string{}
		}
		pl.missingBy[key] = m
	}
	return m
}

type missingKey struct {
	rule string
	mask uint64
}

// play decides one login, in goja or from its class, into d, which is
// zero.
func (pl *player) play(lg *played, k *known, absent absence, d *Decision) (route, error) {
	ev := lg.ev
	c := pl.classes
	if c == nil {
		pl.replay(ev, k, absent, d)
		return pl.route(howExact, 0), nil
	}
	cl, ok := c.place(lg.fields, lg.placeable)
	if !ok {
		pl.replay(ev, k, absent, d)
		return pl.route(howUnclassified, 0), nil
	}
	cached := c.entries[cl.Key]
	if cached == nil {
		ex, ok := pl.exec(ev, k)
		if !ok {
			*d = errorDecision(*ev, ex.Err)
			return pl.route(howFirst, cl.Key), nil
		}
		if ex.Err == "" {
			if !matchesClass(&ex, cl) {
				return pl.route(howFirst, cl.Key), pl.diverged(ev, cl, fmt.Sprintf("decision rule=%q without error", cl.Rule), &ex)
			}
			keep := reuse(&ex)
			if c.tamper != nil {
				c.tamper(&keep)
			}
			c.entries[cl.Key] = &keep
		}
		pl.decisionOf(ev, k, &ex, absent, -1, d)
		return pl.route(howFirst, cl.Key), nil
	}
	if c.sampled(lg.sampleHash()) {
		ex, ok := pl.exec(ev, k)
		if !ok || !sameCalls(&ex, cached) {
			return pl.route(howVerified, cl.Key), pl.diverged(ev, cl, describeExecution(cached), &ex)
		}
		pl.decisionOf(ev, k, &ex, absent, -1, d)
		return pl.route(howVerified, cl.Key), nil
	}
	pl.decisionOf(ev, k, cached, absent, cl.Key, d)
	return pl.route(howCached, cl.Key), nil
}

func (pl *player) route(h how, class int) route {
	return route{how: h, class: class, gaveUp: pl.classes != nil && pl.classes.off}
}

func (pl *player) diverged(ev *input.Event, cl Class, want string, got *engine.Execution) error {
	g := "no execution: " + got.Err
	if got.State != nil {
		g = describeExecution(got)
	}
	return &DivergenceError{File: ev.File, Line: ev.Line, ID: ev.ID, Class: cl, Want: want, Got: g}
}

// replay runs the login in goja and decides it, into d.
func (pl *player) replay(ev *input.Event, k *known, absent absence, d *Decision) {
	ex, ok := pl.exec(ev, k)
	if !ok {
		*d = errorDecision(*ev, ex.Err)
		return
	}
	pl.decisionOf(ev, k, &ex, absent, -1, d)
}

// exec runs the login on the player's runtime, making it first when there
// is none; ok is false when no runtime could be made (ex.err says why).
// A runtime that broke is not reused: goja may leave an interrupted async
// function's state behind, so that no later promise of that runtime
// settles.
func (pl *player) exec(ev *input.Event, k *known) (engine.Execution, bool) {
	if pl.r == nil {
		r, err := engine.NewRunner(pl.prog, pl.opts.builder, pl.opts.Timeout)
		if err != nil {
			return engine.Execution{Err: err.Error()}, false
		}
		pl.r = r
	}
	mf := engine.MultifactorKept
	if pl.prog.Multifactor {
		mf = multifactorFill(k.multifactor)
	}
	if pl.loc != nil {
		pl.r.Index = pl.loc.IndexOf(ev.JSON)
	}
	ex := pl.r.Exec(ev.JSON, k.fill, mf, ev.Time)
	pl.r.Index = nil
	if ex.TimedOut || strings.HasPrefix(ex.Err, "the simulator's JavaScript engine failed") || strings.HasPrefix(ex.Err, engine.MemoryErrorPrefix) {
		pl.r = nil
	}
	return ex, true
}

// decisionOf derives the decision of a login, into d, which is zero,
// from the calls its Action made or that its class stands for. class is
// the login's class when the calls are the class's (-1 when they are the
// login's own), whose derivation is then made once per user kind.
func (pl *player) decisionOf(ev *input.Event, k *known, ex *engine.Execution, absent absence, class int, d *Decision) {
	d.File, d.Line, d.ID, d.Country, d.Application = ev.File, ev.Line, ev.ID, ev.Country, ev.Application
	// Clipped: the state may be a class's, shared with other logins,
	// which appending to a decision's notes must not reach.
	d.Calls = slices.Clip(ex.State.Calls)
	d.Console = slices.Clip(ex.State.Console)
	d.Notes = slices.Clip(ex.State.Notes)
	d.timedOut = ex.TimedOut
	d.assumption, d.tenant = k.assumption, k.tenant
	d.sandbox = ex.State.SandboxFacts()
	if pl.prog.Multifactor {
		d.sandbox.Multifactor = multifactorFact(k.multifactor)
	}
	d.cmds = ex.State.Cmds
	if ex.Decide != nil {
		d.hasDecide = true
		d.Rule = ex.Decide.Rule
		d.Error = ex.Decide.Error
	}
	if absent.set != nil {
		d.Missing = pl.missing(d.Rule, absent)
	}
	if ex.Err != "" {
		d.Outcome, d.Error = Error, ex.Err
		return
	}
	var der derivation
	if class >= 0 {
		der = pl.derivation(class, ex.State.Cmds, k.user)
	} else {
		der = derive(ex.State.Cmds, k.user)
	}
	der.apply(d)
	if ex.Decide != nil && ex.Decide.Outcome != string(der.Requested) {
		d.Notes = append(d.Notes, fmt.Sprintf("inconsistent: decide(event) says %s but the Action's calls ask for %s", ex.Decide.Outcome, der.Requested))
	}
}
