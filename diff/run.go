package diff

import (
	"context"
	"math"
	"sort"
	"time"

	"github.com/mfapolicy/mfapolicy/simulate"
)

// Options configure a diff run.
type Options struct {
	Inputs []simulate.Input
	// Workers, Timeout, Strict, Limits, AssumeEnrolled and EnabledFactors
	// are passed to the simulator (simulate.Options).
	Workers        int
	Timeout        time.Duration
	Strict         bool
	Limits         simulate.Limits
	AssumeEnrolled []string
	EnabledFactors []string
	// Tenant is the tenant context both policies are replayed under.
	Tenant *simulate.Tenant
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
	bs, hs, err := simulate.RunPair(ctx, simulate.PairOptions{
		Options: simulate.Options{
			Code: base.Code.Code, CodeName: base.Name, Rules: base.Code.Rules, RuleFields: base.Fields, Fields: base.Code.Fields,
			Inputs: opts.Inputs, Workers: opts.Workers, Timeout: opts.Timeout, Strict: opts.Strict, Limits: opts.Limits,
			AssumeEnrolled: opts.AssumeEnrolled, EnabledFactors: opts.EnabledFactors, Progress: opts.Progress,
			Tenant: opts.Tenant,
		},
		Head:   simulate.Options{Code: head.Code.Code, CodeName: head.Name, Rules: head.Code.Rules, RuleFields: head.Fields, Fields: head.Code.Fields},
		OnPair: func(p simulate.Pair) error { acc.add(p); return nil },
	})
	if err != nil {
		return nil, err
	}
	rep := acc.report(bs, hs)
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
			v.Reasons = append(v.Reasons, plural(n, "login", "logins")+" that went through now fail (locked out)")
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

// pct is n/total as a percentage rounded to one decimal.
func pct(n, total int64) float64 {
	if total == 0 {
		return 0
	}
	return math.Round(1000*float64(n)/float64(total)) / 10
}

// top sorts counts by count (descending) then name, keeping n (0: all).
func top(m map[string]int64, n int, total int64) []Count {
	out := make([]Count, 0, len(m))
	for k, v := range m {
		out = append(out, Count{Name: k, Count: v, Percent: pct(v, total)})
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
