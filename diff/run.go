package diff

import (
	"context"
	"time"

	"github.com/mfapolicy/mfapolicy/geoip"
	"github.com/mfapolicy/mfapolicy/internal/classify"
	"github.com/mfapolicy/mfapolicy/simulate"
	"github.com/mfapolicy/mfapolicy/simulate/input"
)

// Options configure a diff run.
type Options struct {
	Inputs []input.Input
	// Workers, Timeout, Strict, Limits, AssumeEnrolled and EnabledFactors
	// are passed to the simulator (simulate.Options).
	Workers        int
	Timeout        time.Duration
	Strict         bool
	Limits         input.Limits
	AssumeEnrolled []string
	EnabledFactors []string
	// Tenant is the tenant context both policies are replayed under, or
	// the base's when SplitTenant is set.
	Tenant *simulate.Tenant
	// SplitTenant gives the head a tenant context of its own, HeadTenant
	// (nil: none), as when a policy has a tenant: section: the report
	// then attributes each change to its cause and lists the logins
	// locked out by factors turned off (Report.Tenant).
	SplitTenant bool
	HeadTenant  *simulate.Tenant
	// GeoIP locates the logins mapped from log records without
	// location_info (simulate.Options.GeoIP).
	GeoIP *geoip.DB
	// Examples is how many example logins each transition keeps (the
	// first ones in input order); 0 means 3.
	Examples int
	// FailOn is "weakened" (the default), "any" or "none"; MaxChange fails
	// the check when more than this percentage of logins change (negative:
	// no limit).
	FailOn    string
	MaxChange float64
	// Progress is called from time to time with the records read so far.
	Progress func(done int64)
	// Exact runs every login of both policies in goja; otherwise each
	// compiled policy is replayed by decision class (simulate.Classifier),
	// 1 in VerifyEvery class-decided logins also in goja (0: the default).
	Exact       bool
	VerifyEvery int
	// OnClassesOff is called when a worker gives up on decision classes
	// for either policy (simulate.Options.OnClassesOff).
	OnClassesOff func()
	// Now is when the clock of a login that records no time starts, for
	// both policies' `now` and the Actions' clock (simulate.Options.Now);
	// zero is the start of the run.
	Now time.Time
}

// Run replays every login of the inputs through both policies' Actions,
// reading each record once, and returns the report with its verdict.
func Run(ctx context.Context, base, head *Side, opts Options) (*Report, error) {
	if opts.Examples <= 0 {
		opts.Examples = 3
	}
	if opts.FailOn == "" {
		opts.FailOn = "weakened"
	}
	acc := newAccumulator(base, head, opts.Examples)
	acc.tenant = newTenantAcc(opts, base, head)
	bc, err := classifierOf(base, opts.Exact, opts.Now)
	if err != nil {
		return nil, err
	}
	hc, err := classifierOf(head, opts.Exact, opts.Now)
	if err != nil {
		return nil, err
	}
	bs, hs, err := simulate.RunPair(ctx, simulate.PairOptions{
		CountsOnly: true, // the report keeps its own breakdowns
		Options: simulate.Options{
			Code: base.Code.Code, CodeName: base.Name, Rules: base.Code.Rules, RuleFields: base.Fields, Fields: base.Code.Fields,
			Inputs: opts.Inputs, Workers: opts.Workers, Timeout: opts.Timeout, Strict: opts.Strict, Limits: opts.Limits,
			AssumeEnrolled: opts.AssumeEnrolled, EnabledFactors: opts.EnabledFactors, Progress: opts.Progress,
			Tenant: opts.Tenant, GeoIP: opts.GeoIP, Classifier: bc, VerifyEvery: opts.VerifyEvery, Now: opts.Now,
			OnClassesOff: opts.OnClassesOff,
		},
		Head: simulate.Options{Code: head.Code.Code, CodeName: head.Name, Rules: head.Code.Rules, RuleFields: head.Fields,
			Fields: head.Code.Fields, Classifier: hc, Now: opts.Now, OnClassesOff: opts.OnClassesOff},
		OnPair:     func(p simulate.Pair) error { acc.add(p); return nil },
		HeadTenant: opts.HeadTenant, SplitTenant: opts.SplitTenant,
	})
	if err != nil {
		return nil, err
	}
	rep := acc.report(bs, hs)
	rep.Replay = ReplayStats{Base: bs.Replay, Head: hs.Replay}
	rep.Judge(opts.FailOn, opts.MaxChange)
	return rep, nil
}

// Judge sets the verdict: failOn "weakened" fails on weakened and
// locked-out logins, "any" on any change, "none" never; maxChange (when
// not negative) fails when a larger percentage of logins changed.
func (r *Report) Judge(failOn string, maxChange float64) {
	v := Verdict{FailOn: failOn, MaxChange: maxChange, Pass: true}
	kind := func(k Kind) int64 {
		for _, c := range r.ByKind {
			if c.Name == string(k) {
				return c.Count
			}
		}
		return 0
	}
	switch failOn {
	case "weakened":
		if n := kind(Weakened); n > 0 {
			v.Reasons = append(v.Reasons, plural(n, "login is", "logins are")+" less protected (weakened)")
		}
		if n := kind(LockedOut); n > 0 {
			reason := plural(n, "login", "logins") + " that went through now fail (locked out)"
			if off := r.factorLockouts(); off > 0 {
				reason += sprintf(", %d of them because factors were turned off", off)
			}
			v.Reasons = append(v.Reasons, reason)
		}
	case "any":
		if r.Changed > 0 {
			v.Reasons = append(v.Reasons, plural(r.Changed, "login changes", "logins change")+" decision")
		}
	}
	if maxChange >= 0 && r.Replayed > 0 && 100*float64(r.Changed)/float64(r.Replayed) > maxChange {
		v.Reasons = append(v.Reasons, sprintf("%.1f%% of logins change decision, more than --max-change %g%%", 100*float64(r.Changed)/float64(r.Replayed), maxChange))
	}
	v.Pass = len(v.Reasons) == 0
	r.Verdict = v
}

// top is simulate.TopCounts as this package's Count.
func top(m map[string]int64, n int, total int64) []Count {
	ranked := simulate.TopCounts(m, n, total)
	out := make([]Count, len(ranked))
	for i, c := range ranked {
		out[i] = Count(c)
	}
	return out
}

// classifierOf is the decision-class classifier of a side's policy; nil
// for a hand-written Action or Rule, or when exact.
func classifierOf(s *Side, exact bool, now time.Time) (simulate.Classifier, error) {
	if exact || s.Policy == nil {
		return nil, nil
	}
	c, err := classify.New(s.Policy)
	if err != nil {
		return nil, err
	}
	if now.IsZero() {
		return c, nil
	}
	return c.At(now), nil
}
