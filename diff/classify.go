package diff

import (
	"github.com/mfapolicy/mfapolicy/policy"
	"github.com/mfapolicy/mfapolicy/simulate"
)

// Kind classifies a change of decision.
type Kind string

// The kinds of change, documented in docs/diff.md.
const (
	// Weakened: the login is less protected (a weaker outcome, or a
	// challenge or enrolment whose weakest factor is weaker).
	Weakened Kind = "weakened"
	// LockedOut: a login that went through (allowed, challenged, enrolled)
	// now fails or errors: users lose access. Counted with weakened by
	// --fail-on weakened.
	LockedOut Kind = "locked-out"
	// Tightened: the login is more protected.
	Tightened Kind = "tightened"
	// Restored: a login that failed or errored now goes through with MFA.
	Restored Kind = "restored"
	// Lateral: the decision changed without a change of protection (for
	// example another factor of the same strength, another deny reason, or
	// fail to deny).
	Lateral Kind = "lateral"
)

// Kinds lists the kinds in report order.
var Kinds = []Kind{Weakened, LockedOut, Tightened, Restored, Lateral}

// outcomeRank orders the outcomes that let a login through by protection:
// an enrolment asks for a new factor but proves nothing about who enrols,
// so it ranks below a challenge. Deny, fail and error let nobody in.
var outcomeRank = map[simulate.Outcome]int{
	simulate.Allow:     0,
	simulate.Enroll:    1,
	simulate.Challenge: 2,
	simulate.Deny:      3,
	simulate.Fail:      3,
	simulate.Error:     3,
}

func blocked(o simulate.Outcome) bool {
	return o == simulate.Deny || o == simulate.Fail || o == simulate.Error
}

// Changed reports whether two decisions differ: another outcome, another
// set of factors (order aside) or another deny reason.
func Changed(base, head *simulate.Decision) bool {
	if base.Outcome != head.Outcome || base.Reason != head.Reason {
		return true
	}
	return !sameSet(base.Factors, head.Factors)
}

// Classify says how a change of decision changes protection. It assumes
// Changed(base, head).
func Classify(base, head *simulate.Decision) Kind {
	b, h := base.Outcome, head.Outcome
	failing := func(o simulate.Outcome) bool { return o == simulate.Fail || o == simulate.Error }
	switch {
	case !blocked(b) && failing(h):
		return LockedOut
	case failing(b) && (h == simulate.Challenge || h == simulate.Enroll):
		return Restored
	case outcomeRank[h] < outcomeRank[b]:
		return Weakened
	case outcomeRank[h] > outcomeRank[b]:
		return Tightened
	case b == h && (b == simulate.Challenge || b == simulate.Enroll):
		switch wb, wh := policy.WeakestFactor(base.Factors), policy.WeakestFactor(head.Factors); {
		case wh < wb:
			return Weakened
		case wh > wb:
			return Tightened
		}
	}
	return Lateral
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	set := map[string]bool{}
	for _, x := range a {
		set[x] = true
	}
	for _, x := range b {
		if !set[x] {
			return false
		}
	}
	return true
}

// friction is how much a decision stands between the user and the
// application: 0 allowed, 1 asked for a factor, 2 kept out.
func friction(o simulate.Outcome) int {
	switch o {
	case simulate.Allow:
		return 0
	case simulate.Challenge, simulate.Enroll:
		return 1
	}
	return 2
}
