// Package classify places logins in the decision classes of a compiled
// policy, for simulate's replay by decision class: the class of a login is
// the rule that decides it (or the default), found by the policy's
// reference evaluator (cel-go), which the differential tests hold equal to
// the compiled Action. A login whose condition errors is not placed: the
// simulator replays it in goja, so that its error message is the
// Action's own.
//
// It sits above policy and simulate so that neither imports the other.
//
//	c, err := classify.New(p)
//	if err != nil { ... }
//	opts.Classifier = c // simulate.Options
package classify

import (
	"fmt"
	"time"

	"github.com/mfapolicy/mfapolicy/policy"
	"github.com/mfapolicy/mfapolicy/simulate"
	"github.com/mfapolicy/mfapolicy/simulate/input"
)

// Classifier places logins by the rule of a checked policy that decides
// them. Its workers share one evaluator (safe for concurrent use) and each
// keeps its own memo.
type Classifier struct {
	eval   *policy.Evaluator
	rules  []string
	fields []string
	// timed is set when a rule reads `now`: a class is keyed by event
	// fields only, and the time of a login is not one, so every login is
	// left unplaced and replayed in goja on the login's clock.
	timed bool
}

// New returns the classifier of a checked policy; an error names the
// policy's file.
func New(p *policy.Policy) (*Classifier, error) {
	eval, err := p.NewEvaluator()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p.File, err)
	}
	rules := make([]string, len(p.Rules)+1) // the last one, "", is the default
	for i, r := range p.Rules {
		rules[i] = r.ID
	}
	return &Classifier{eval: eval, rules: rules, fields: eval.Fields(), timed: p.ReadsNow()}, nil
}

// At returns a copy of the classifier whose evaluator reads `now` as t,
// the time the simulator's clock is set to (simulate.Options.Now). (Logins
// of a policy that reads `now` are not placed in classes; see timed.)
func (c *Classifier) At(t time.Time) *Classifier {
	cp := *c
	cp.eval = c.eval.At(t)
	return &cp
}

// Fields lists the event fields the policy's rules read.
func (c *Classifier) Fields() []string { return c.fields }

// NewClassWorker returns a worker with its own memo of rule results
// (policy.Memo), which resolves the fields the rules read in fields once.
func (c *Classifier) NewClassWorker(fields *input.FieldTree) simulate.ClassWorker {
	return &worker{memo: c.eval.NewMemo(fields), rules: c.rules, timed: c.timed}
}

// NewClassWorkerPair returns the workers of one lane of a diff, the
// head's sharing the base's memo of the rules the two policies have in
// common (policy.Memo): on each login the head evaluates only the rules
// that changed.
func (c *Classifier) NewClassWorkerPair(head simulate.Classifier, fields *input.FieldTree) (simulate.ClassWorker, simulate.ClassWorker, bool) {
	h, ok := head.(*Classifier)
	if !ok {
		return nil, nil, false
	}
	base := c.eval.NewMemo(fields)
	return &worker{memo: base, rules: c.rules, timed: c.timed}, &worker{memo: h.eval.NewMemoSharing(base), rules: h.rules, timed: h.timed}, true
}

type worker struct {
	memo  *policy.Memo
	rules []string
	timed bool
}

// Classify places the login by its deciding rule; a condition that errors,
// or a policy that reads `now`, leaves it unplaced.
func (w *worker) Classify(event simulate.EventFields) (simulate.Class, bool) {
	if w.timed {
		return simulate.Class{}, false
	}
	i, err := w.memo.Decide(event)
	if err != nil {
		return simulate.Class{}, false
	}
	return simulate.Class{Key: i, Rule: w.rules[i]}, true
}
