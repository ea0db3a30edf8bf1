package simulate

import (
	"github.com/mfapolicy/mfapolicy/simulate/engine"
	"github.com/mfapolicy/mfapolicy/simulate/input"
)

// event.user.multifactor as the runtime and the summary see it: the
// derivation itself, on a decoded event and on a record's bytes, is
// derive.go's; here are the assumption each outcome states and when a
// compiled policy observes the field.

// DeriveMultifactor fills event.user.multifactor into a decoded JSON
// event as Auth0 does on every login (shims/user.js): the list of MFA
// providers the user is enrolled with, ["guardian"] or [], from
// event.user.enrolledFactors. A user that is not an object, that carries
// multifactor (null included) or whose enrolledFactors is not a list is
// left alone. The user map is changed in place; fact is the assumption
// the summary counts for it ("" when nothing was derived).
func DeriveMultifactor(event any) (fact string) {
	return multifactorFact(input.FillMultifactor(event))
}

// multifactorFact is the assumption a login states for the derivation,
// "" for none.
func multifactorFact(m input.Multifactor) string {
	switch m {
	case input.MultifactorGuardian:
		return engine.MultifactorGuardianFact
	case input.MultifactorNone:
		return engine.MultifactorNoneFact
	}
	return ""
}

// multifactorFill is what the runner fills into event.user.multifactor
// for the derivation.
func multifactorFill(m input.Multifactor) engine.Multifactor {
	switch m {
	case input.MultifactorGuardian:
		return engine.MultifactorGuardian
	case input.MultifactorNone:
		return engine.MultifactorNone
	}
	return engine.MultifactorKept
}

// readsMultifactor tells whether a compiled policy (one whose fields or
// rules' fields are known) can observe event.user.multifactor: its rules
// read it, event.user as a value, or the event as a whole (plan nil).
func readsMultifactor(plan *engine.ReadPlan, opts Options) bool {
	if len(opts.Fields) == 0 && len(opts.RuleFields) == 0 {
		return false
	}
	if plan == nil {
		return true
	}
	u := plan.Keys["user"]
	return u != nil && (u.Whole || u.Keys["multifactor"] != nil)
}
