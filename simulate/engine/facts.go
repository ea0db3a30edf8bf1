package engine

import "fmt"

// SandboxFacts are what one login's run relied on that its event did not
// say, and what the sandbox refused it: the summary counts them.
type SandboxFacts struct {
	// Multifactor says how event.user.multifactor was derived, "" when
	// the event carried it or it was not derived.
	Multifactor string
	// Clock says where the clock of a login with no recorded time
	// started, "" when the login has a time or never read the clock.
	Clock string
	// Refused lists the host of every request no HTTP fixture answered.
	Refused []string
}

// SandboxFacts gathers the facts of the login that just ran.
func (st *EventState) SandboxFacts() SandboxFacts {
	return SandboxFacts{Multifactor: st.multifactor, Clock: st.clock, Refused: st.refused}
}

// The assumptions a login states when event.user.multifactor was derived
// from its enrolments (shims/user.js).
const (
	MultifactorGuardianFact = `event.user.multifactor (a Rule's user.multifactor) derived from the enrolled factors: ["guardian"]`
	MultifactorNoneFact     = `event.user.multifactor (a Rule's user.multifactor) derived from the enrolled factors: [] (no factor, or e-mail or device biometrics only)`
)

// clockFact is the assumption a login states when it read the clock
// without a recorded time.
func clockFact(p *Program) string {
	if p.nowGiven {
		return fmt.Sprintf("no login time in the event: the clock started at --now %s", p.now.UTC().Format("2006-01-02T15:04:05Z"))
	}
	return "no login time in the event: the clock started when the run did (give --now for the same answers on any day)"
}
