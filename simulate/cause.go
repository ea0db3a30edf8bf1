package simulate

import (
	"slices"

	"github.com/mfapolicy/mfapolicy/simulate/input"
)

// Cause is what part of the head's configuration changed a login's
// decision in a RunPair whose sides run under different tenant contexts.
type Cause string

// The causes, in report order.
const (
	// CauseRules: the Actions' calls differ (a rule change).
	CauseRules Cause = "rules"
	// CauseFactors: the tenant's enabled factors differ.
	CauseFactors Cause = "factors"
	// CauseMFAPolicy: the tenant's MFA policy differs.
	CauseMFAPolicy Cause = "mfa-policy"
)

// under is what is known of the login under another tenant context (kn,
// made of the options that name it): the same user and enrolments, that
// context's enabled factors and MFA policy.
func (k known) under(kn *knowing, ev *input.Event) known {
	k.user.Enabled = kn.enabled
	k.user.Policy, k.tenant = "", nil
	kn.policyOf(&k, ev)
	return k
}

// causes splits a changed decision into its steps: the head's calls under
// the base's tenant (the rules), then the head's enabled factors, then its
// MFA policy, each step re-derived from the head's commands (derive is a
// function of the commands and of what is known of the user). A step that
// changes the decision names its cause. An Action that errored is the
// rules' doing.
func causes(base, head Decision, ub, uh userFactors) []Cause {
	if sameOutcome(base.Outcome, base.Factors, base.Reason, head.Outcome, head.Factors, head.Reason) {
		return nil
	}
	if base.Outcome == Error || head.Outcome == Error {
		return []Cause{CauseRules}
	}
	rules := derive(head.cmds, ub)
	uf := ub
	uf.Enabled = uh.Enabled
	factors := derive(head.cmds, uf)
	var out []Cause
	if !sameOutcome(base.Outcome, base.Factors, base.Reason, rules.Outcome, rules.Factors, rules.Reason) {
		out = append(out, CauseRules)
	}
	if !sameOutcome(rules.Outcome, rules.Factors, rules.Reason, factors.Outcome, factors.Factors, factors.Reason) {
		out = append(out, CauseFactors)
	}
	if !sameOutcome(factors.Outcome, factors.Factors, factors.Reason, head.Outcome, head.Factors, head.Reason) {
		out = append(out, CauseMFAPolicy)
	}
	if len(out) == 0 {
		// Each step alone leaves the decision as it was but all together
		// do not: not possible while derive is a function of its inputs.
		out = append(out, CauseRules)
	}
	return out
}

// sameOutcome is diff's notion of an unchanged decision: the outcome, the
// set of factors (order aside) and the deny reason.
func sameOutcome(o1 Outcome, f1 []string, r1 string, o2 Outcome, f2 []string, r2 string) bool {
	if o1 != o2 || r1 != r2 || len(f1) != len(f2) {
		return false
	}
	for _, f := range f1 {
		if !slices.Contains(f2, f) {
			return false
		}
	}
	return true
}
