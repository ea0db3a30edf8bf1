package simulate

import (
	"fmt"
	"github.com/mfapolicy/mfapolicy/simulate/engine"
	"strings"

	"github.com/mfapolicy/mfapolicy/simulate/input"
)

// AllFactors lists every factor type the simulator knows, in a fixed order.
// It is the default for the tenant's enabled factors and for the "all"
// enrolment assumption.
func AllFactors() []string {
	return append([]string(nil), challengeFactors...)
}

// challengeFactors and isChallengeFactor are the recorder's (engine).
var challengeFactors = engine.ChallengeFactors

func isChallengeFactor(t string) bool { return engine.IsChallengeFactor(t) }

func isEnrollFactor(t string) bool {
	return t != "email" && isChallengeFactor(t)
}

// factorSet is a set of the factor types of challengeFactors, a bit each.
// Other names are never members: derive only asks about factors the api
// calls named, which are validated against challengeFactors.
type factorSet uint16

func newFactorSet(types []string) factorSet {
	var s factorSet
	for _, t := range types {
		s |= factorBit(input.NormalizeFactor(t))
	}
	return s
}

// factorBit is the bit of a factor type, 0 for an unknown one.
func factorBit(t string) factorSet {
	for i, f := range challengeFactors {
		if f == t {
			return 1 << i
		}
	}
	return 0
}

// has tells whether the set holds the factor type t.
func (s factorSet) has(t string) bool {
	b := factorBit(t)
	return b != 0 && s&b != 0
}

// ParseFactorList parses the value of an enrolment assumption or a list of
// enabled factors: "all", "none", or a comma-separated list of factor types.
func ParseFactorList(s string) ([]string, error) {
	switch strings.TrimSpace(s) {
	case "", "all":
		return AllFactors(), nil
	case "none":
		return []string{}, nil
	}
	var out []string
	for _, f := range strings.Split(s, ",") {
		f = input.NormalizeFactor(strings.TrimSpace(f))
		if !isChallengeFactor(f) {
			return nil, fmt.Errorf("unknown factor type %q (known: %s)", f, strings.Join(challengeFactors, ", "))
		}
		out = append(out, f)
	}
	return out, nil
}
