package simulate

import (
	"bytes"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"slices"
	"strings"

	"github.com/mfapolicy/mfapolicy/simulate/engine"
	"github.com/mfapolicy/mfapolicy/simulate/input"
)

// Replay by decision class (docs/performance.md, docs/decisions.md).
//
// A compiled policy's Action makes api calls that depend on its decision
// alone: the deciding rule fixes the outcome, the factors and the reason,
// and the Action's template turns those into the same calls every time.
// A Classifier, given by the layer that knows the policy, names that rule
// for each login from a projected decode of the event; the Action runs in
// goja once per class, and later logins of the class reuse its calls. What
// Auth0 makes of the calls for each user (enrolments, tenant policy) is
// derived per login as always. A deterministic sample of the reused
// logins still runs in goja and must make the same calls, or the run
// stops with a DivergenceError.

// Class is what a Classifier says of one login: the class key and the rule
// the compiled Action's decide(event) must report for it ("" for the
// default).
type Class struct {
	Key  int
	Rule string
}

// Classifier hands each worker its own ClassWorker.
type Classifier interface {
	// NewClassWorker returns a worker whose EventFields are located by
	// fields, the run's tree, which holds the classifier's Fields: the
	// worker resolves the paths it reads there once (FieldTree.Resolve)
	// and looks them up in every login by their refs.
	NewClassWorker(fields *input.FieldTree) ClassWorker
	// Fields lists the event fields the classifier reads as values
	// (dotted paths such as "request.geoip.countryCode"): EventFields
	// locates them in every record.
	Fields() []string
}

// PairClassifier is a Classifier that can make the workers of a RunPair's
// two Actions together, for one lane, so that the head's worker reuses
// the base's work on the same login (the rules the two policies share).
type PairClassifier interface {
	Classifier
	// NewClassWorkerPair returns the base's and the head's workers; ok is
	// false when head is not a classifier it can pair with.
	NewClassWorkerPair(head Classifier, fields *input.FieldTree) (base, headWorker ClassWorker, ok bool)
}

// ClassWorker classifies logins for one worker; it need not be safe for
// concurrent use.
type ClassWorker interface {
	// Classify receives the event as the Action sees it (the assumed
	// enrolled factors filled in). ok is false when the login cannot be
	// classified (for example a condition that errors): it is then
	// replayed in goja.
	Classify(event EventFields) (c Class, ok bool)
}

// EventFields is a login's event as a classifier reads it: located in the
// record's bytes, decoded only where asked. It is valid during the call
// only: what it hands out is reused for the next login.
type EventFields interface {
	// AppendKey appends an exact key of what the event holds at the
	// path ref resolves to (FieldTree.Resolve of the path of a field the
	// classifier reads, split at the dots): events with equal keys hold
	// equal values there.
	AppendKey(key []byte, ref int) []byte
	// Tree returns the event with the values at paths decoded as
	// encoding/json decodes into any, the objects on the way holding only
	// the members the paths name; nil paths decode the whole event. ok is
	// false when a string cannot be held in Go as JavaScript holds it.
	Tree(paths [][]string) (event any, ok bool)
}

// DefaultVerifyEvery is how often a login whose calls come from its class
// is replayed in goja as well, by default: 1 in 256, chosen by a hash of
// the record.
const DefaultVerifyEvery = 256

// how says by which path a login got its decision.
type how uint8

const (
	howExact        how = iota // in goja, classes not in use (--exact, or no classifier)
	howUnclassified            // in goja: the classifier could not place it
	howFirst                   // in goja: the first login of its class
	howCached                  // the class's calls, not replayed
	howVerified                // the class's calls, and replayed in goja to check them
)

// route is how one decision was made: the path, the class, and whether
// the worker had given up on classes.
type route struct {
	how    how
	class  int
	gaveUp bool
}

// classCache is one worker's classes of one Action.
type classCache struct {
	cw      ClassWorker
	every   uint32
	entries map[int]*engine.Execution
	// seen and unplaced count the logins offered and those the classifier
	// could not place; off is set once most logins cannot be placed, and
	// from then on every login runs in goja without asking.
	seen, unplaced int64
	off            bool
	// tamper alters an execution as it is cached (tests only).
	tamper func(*engine.Execution)
	// onOff is Options.OnClassesOff.
	onOff func()
}

// Classes give up on a worker when, after giveUpAfter logins, more than
// half could not be placed: classifying them is then only overhead.
const giveUpAfter = 1024

func newClassCache(opts Options, fields *input.FieldTree, cw ClassWorker) *classCache {
	if opts.Classifier == nil {
		return nil
	}
	if cw == nil {
		cw = opts.Classifier.NewClassWorker(fields)
	}
	every := opts.VerifyEvery
	if every <= 0 {
		every = DefaultVerifyEvery
	}
	return &classCache{cw: cw, every: uint32(every), entries: map[int]*engine.Execution{}, tamper: opts.tamper, onOff: opts.OnClassesOff}
}

// place asks the classifier, unless it has been given up on.
func (c *classCache) place(event EventFields, ok bool) (Class, bool) {
	if c.off {
		return Class{}, false
	}
	c.seen++
	var cl Class
	if ok {
		cl, ok = c.cw.Classify(event)
	}
	if !ok {
		c.unplaced++
		if c.seen >= giveUpAfter && 2*c.unplaced > c.seen {
			c.off = true
			if c.onOff != nil {
				c.onOff()
			}
		}
	}
	return cl, ok
}

// sampled tells whether a login whose calls come from its class is also
// replayed in goja.
func (c *classCache) sampled(hash uint32) bool {
	if c.every <= 1 {
		return true
	}
	return (uint64(hash)*uint64(c.every))>>32 == 0
}

// recordHash is the hash by which a record is sampled. CRC-32C is fast
// but linear: similar records share low bits. A multiplication mixes them
// before the residue is taken.
func recordHash(record []byte) uint32 {
	return crc32.Checksum(record, castagnoli) * 0x9E3779B1
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// reuse returns the cached execution as this login's: the same calls and
// notes, in slices that appending to cannot share.
func reuse(ex *engine.Execution) engine.Execution {
	st := *ex.State
	st.Calls = slices.Clip(st.Calls)
	st.Notes = slices.Clip(st.Notes)
	st.Console = slices.Clip(st.Console)
	out := *ex
	out.State = &st
	return out
}

// DivergenceError is a login whose replay in goja does not make the calls
// its class stands for: the classifier and the Action disagree, which is a
// fidelity bug, never a difference to report as a decision.
type DivergenceError struct {
	File string
	Line int
	ID   string
	// Class is the classifier's answer; Want and Got describe what the
	// class stands for and what goja did.
	Class     Class
	Want, Got string
}

func (e *DivergenceError) Error() string {
	id := ""
	if e.ID != "" {
		id = " (id " + e.ID + ")"
	}
	rule := e.Class.Rule
	if rule == "" {
		rule = "(default)"
	}
	return fmt.Sprintf("fidelity: %s:%d%s: the policy's evaluator decides by rule %s, but the Action replayed in goja does not make that decision's calls\n  expected: %s\n  goja:     %s\nThis is a bug in mfapolicy; --exact replays every login in goja", e.File, e.Line, id, rule, e.Want, e.Got)
}

// describeExecution prints the parts of an execution a class stands for.
func describeExecution(ex *engine.Execution) string {
	var b strings.Builder
	if ex.Err != "" {
		fmt.Fprintf(&b, "error %q; ", ex.Err)
	}
	if ex.Decide == nil {
		b.WriteString("no decision; ")
	} else {
		d := ex.Decide
		fmt.Fprintf(&b, "decision rule=%q outcome=%q factors=%q reason=%q error=%q; ", d.Rule, d.Outcome, d.Factors, d.Reason, d.Error)
	}
	calls, _ := json.Marshal(ex.State.Calls)
	b.Write(calls)
	if st := ex.State; len(st.Notes)+len(st.Console)+len(st.Cmds) > 0 {
		fmt.Fprintf(&b, "; notes %q; console %q; commands %+v", st.Notes, st.Console, st.Cmds)
	}
	return b.String()
}

// matchesClass tells whether a goja execution is the decision class c
// stands for: the deciding rule, no error.
func matchesClass(ex *engine.Execution, c Class) bool {
	return ex.Err == "" && ex.Decide != nil && ex.Decide.Rule == c.Rule && ex.Decide.Error == ""
}

// sameCalls tells whether two executions made the same calls with the same
// decision, notes and console output.
func sameCalls(a, b *engine.Execution) bool {
	if a.Err != b.Err || (a.Decide == nil) != (b.Decide == nil) {
		return false
	}
	if a.Decide != nil {
		x, y := a.Decide, b.Decide
		if x.Rule != y.Rule || x.Outcome != y.Outcome || x.Reason != y.Reason || x.Error != y.Error || !slices.Equal(x.Factors, y.Factors) {
			return false
		}
	}
	sa, sb := a.State, b.State
	return slices.EqualFunc(sa.Calls, sb.Calls, func(x, y engine.Call) bool {
		return x.Method == y.Method && slices.EqualFunc(x.Args, y.Args, func(p, q json.RawMessage) bool { return bytes.Equal(p, q) })
	}) && slices.Equal(sa.Notes, sb.Notes) && slices.Equal(sa.Console, sb.Console) && slices.EqualFunc(sa.Cmds, sb.Cmds, sameCommand)
}

func sameCommand(a, b engine.Command) bool {
	return a.Kind == b.Kind && a.Method == b.Method && a.Provider == b.Provider && a.Reason == b.Reason && slices.Equal(a.Factors, b.Factors)
}

// ReplayStats says how the logins of a run were replayed.
type ReplayStats struct {
	// Mode is "classes" (calls reused per decision class, a sample
	// verified) or "exact" (every login run in goja).
	Mode string `json:"mode"`
	// Classes counts the distinct decision classes met.
	Classes int `json:"classes,omitempty"`
	// InGoja counts the logins whose Action ran in goja: all of them in
	// exact mode; else the first of each class (per worker), the
	// verified ones and the unclassified ones.
	InGoja int64 `json:"in_goja"`
	// Verified counts the logins whose calls came from their class and
	// were replayed in goja too, and matched.
	Verified int64 `json:"verified"`
	// Unclassified counts the logins the classifier could not place
	// (a condition that errors, a string Go cannot hold as JavaScript
	// does), replayed in goja.
	Unclassified int64 `json:"unclassified"`
	// GaveUp is set when a worker stopped classifying because most logins
	// could not be placed.
	GaveUp bool `json:"gave_up,omitempty"`
}

// replayStats accumulates ReplayStats from the jobs.
type replayStats struct {
	ReplayStats
	classes map[int]bool
}

func (s *replayStats) add(r route) {
	class := r.class
	switch r.how {
	case howExact:
		s.InGoja++
	case howUnclassified:
		s.InGoja++
		s.Unclassified++
	case howFirst:
		s.InGoja++
		s.saw(class)
	case howVerified:
		s.InGoja++
		s.Verified++
		s.saw(class)
	case howCached:
		s.saw(class)
	}
	s.GaveUp = s.GaveUp || r.gaveUp
}

// saw records a class of a login. Most logins are of a class seen
// before: looking the key up costs less than storing it again.
func (s *replayStats) saw(class int) {
	if !s.classes[class] {
		s.classes[class] = true
	}
}

func (s *replayStats) stats(classes bool) ReplayStats {
	out := s.ReplayStats
	out.Mode = "exact"
	if classes {
		out.Mode = "classes"
		out.Classes = len(s.classes)
	}
	return out
}

// Sentence describes how a run's logins were replayed, for the summaries.
func (s ReplayStats) Sentence(replayed int64) string {
	if s.Mode != "classes" {
		return fmt.Sprintf("every login ran in the JavaScript engine (%d)", replayed)
	}
	out := fmt.Sprintf("by decision class: %d classes; %d of %d logins ran in the JavaScript engine, %d of them to check their class's calls, which matched",
		s.Classes, s.InGoja, replayed, s.Verified)
	if s.Unclassified > 0 {
		out += fmt.Sprintf("; %d could not be placed in a class and ran there alone", s.Unclassified)
	}
	if s.GaveUp {
		out += "; classes were given up on a worker where most logins could not be placed"
	}
	return out
}
