package simulate

import (
	"context"
	"errors"

	"github.com/mfapolicy/mfapolicy/simulate/engine"
	"github.com/mfapolicy/mfapolicy/simulate/input"
)

// Pair is one login replayed through two Actions: the event as read and
// the decision of each. What its pointers point to is valid during the
// call to PairOptions.OnPair only: the run reuses it for later logins.
type Pair struct {
	Event *input.Event
	Base  *Decision
	Head  *Decision
	// Causes say what changed the decision when the head runs under a
	// tenant context of its own (PairOptions.HeadTenant), in the order
	// CauseRules, CauseFactors, CauseMFAPolicy; nil when the decision did
	// not change or both run under one context (then only the Actions
	// differ).
	Causes []Cause
}

// PairOptions configure RunPair. The embedded Options describe the base
// Action (Code, CodeName, Rules, RuleFields) and everything both runs
// share: inputs, workers, time limit, factor assumptions. Its OnDecision
// is not called.
type PairOptions struct {
	Options
	// Head is the second Action: its Code, CodeName, Rules, RuleFields,
	// Fields and Classifier are used, every other field is ignored.
	Head Options
	// OnPair receives every replayed login in input order. A Pair's
	// pointers are valid until OnPair returns: copy what it keeps.
	OnPair func(Pair) error
	// SplitTenant runs the head under HeadTenant (nil: no tenant
	// context) and the base under Options.Tenant, and gives each changed
	// Pair its Causes. What is known of each user (event enrolments,
	// AssumeEnrolled, the base context's Users) is the same for both:
	// enrolments belong to the users, not to a configuration.
	SplitTenant bool
	HeadTenant  *Tenant
	// CountsOnly makes both summaries hold the counts alone: what was
	// read, replayed, malformed (with the problems), skipped, timed out
	// and located, the outcomes and the replay statistics. The per-login
	// breakdowns of a simulate summary (days, confidence, countries,
	// applications, rules, assumptions, missing data) are left out: a
	// caller that keeps its own, as diff does, saves their cost on every
	// login.
	CountsOnly bool
}

// RunPair reads every record once and runs both Actions on each login, on
// the same worker, so that the two decisions of a login are made on the
// same event. It returns the summary of each Action.
func RunPair(ctx context.Context, opts PairOptions) (base, head *Summary, err error) {
	if opts.Head.Code == nil {
		return nil, nil, errors.New("RunPair needs a head Action")
	}
	bo := withDefaults(opts.Options)
	bo.OnDecision = nil
	bo.split, bo.countsOnly = opts.SplitTenant, opts.CountsOnly
	ho := bo
	ho.Code, ho.CodeName, ho.Rules, ho.RuleFields = opts.Head.Code, opts.Head.CodeName, opts.Head.Rules, opts.Head.RuleFields
	ho.Fields, ho.Classifier = opts.Head.Fields, opts.Head.Classifier
	ho.Progress = nil
	if opts.SplitTenant {
		hs := opts.Options
		hs.Tenant = opts.HeadTenant
		hs = withDefaults(hs)
		ho.Tenant, ho.EnabledFactors = hs.Tenant, hs.EnabledFactors
	}
	if ho.CodeName == "" {
		ho.CodeName = "head.js"
	}
	h := &second{opts: ho, acc: newAccumulator(ho), onPair: opts.OnPair}
	return run(ctx, bo, h)
}

// load compiles the head Action and loads it once, so that a broken module
// is one clear error.
func (h *second) load() error {
	prog, err := engine.CompileAction(h.opts.CodeName, h.opts.Code)
	if err != nil {
		return err
	}
	prog.Plan = engine.PlanFor(h.opts.Code, h.opts.Fields, h.opts.RuleFields)
	prog.Multifactor = readsMultifactor(prog.Plan, h.opts)
	prog.Lend(sandboxOf(h.opts))
	first, err := engine.NewRunner(prog, h.opts.builder, h.opts.Timeout)
	if err != nil {
		return err
	}
	prog.DeriveFor(first)
	h.prog, h.first = prog, first
	return nil
}

// pick hands the loaded runner to the first worker.
func (h *second) pick(w int) *engine.Runner {
	if h == nil {
		return nil
	}
	return pick(w, h.first)
}

// add counts the head decision of a finished job and hands the pair on.
func (h *second) add(j *job) error {
	if err := h.acc.count(&j.item, &j.head, j.headVia); err != nil {
		return err
	}
	if j.item.Kind != input.ItemEvent || h.onPair == nil {
		return nil
	}
	return h.onPair(Pair{Event: &j.item.Event, Base: &j.dec, Head: &j.head, Causes: j.causes})
}
