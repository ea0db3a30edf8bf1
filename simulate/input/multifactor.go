package input

import "encoding/json"

// event.user.multifactor, as Auth0 fills it on every login, for compiled
// policies and for the reference evaluator above simulate (policytest,
// explain): the Go twin of simulate/engine/shims/user.js's
// deriveMultifactor, which hand-written Actions and Rules run in goja (the
// sources of the rule are cited there). simulate's TestMultifactorTwins
// holds the two equal on every shape a JSON user can take; the assumption
// each outcome states in the summary, and when a policy observes the
// field, are simulate's (multifactor.go there).

// Multifactor is what the derivation gave one login.
type Multifactor uint8

const (
	MultifactorKept     Multifactor = iota // not derived: carried by the event, or no user or list to derive it from
	MultifactorGuardian                    // ["guardian"]
	MultifactorNone                        // []
)

// json is the derived list as JSON, nil when nothing was derived.
func (m Multifactor) json() []byte {
	switch m {
	case MultifactorGuardian:
		return guardianJSON
	case MultifactorNone:
		return noneJSON
	}
	return nil
}

var (
	guardianJSON = []byte(`["guardian"]`)
	noneJSON     = []byte(`[]`)
)

// multifactorFor derives event.user.multifactor for a decoded JSON user
// (map[string]any, []any, string, float64, bool or nil): MultifactorKept
// when the user is not an object, already has a multifactor member (null
// included, as hasOwnProperty says), or its enrolledFactors is not a list. An
// element counts as an enrolment when it is an object or a list (typeof
// 'object', not null) whose type is neither 'email' nor
// 'webauthn-platform': a list's type is undefined, so it counts.
func multifactorFor(user any) Multifactor {
	u, ok := user.(map[string]any)
	if !ok {
		return MultifactorKept
	}
	if _, has := u["multifactor"]; has {
		return MultifactorKept
	}
	factors, ok := u["enrolledFactors"].([]any)
	if !ok {
		return MultifactorKept
	}
	for _, f := range factors {
		switch f := f.(type) {
		case []any:
			return MultifactorGuardian
		case map[string]any:
			if t, _ := f["type"].(string); t != "email" && t != "webauthn-platform" {
				return MultifactorGuardian
			}
		}
	}
	return MultifactorNone
}

// FillMultifactor fills event.user.multifactor into a decoded JSON
// event as Auth0 does on every login (engine/shims/user.js): the list of MFA
// providers the user is enrolled with, ["guardian"] or [], from
// event.user.enrolledFactors. A user that is not an object, that carries
// multifactor (null included) or whose enrolledFactors is not a list is
// left alone (MultifactorKept). The user map is changed in place.
func FillMultifactor(event any) Multifactor {
	ev, ok := event.(map[string]any)
	if !ok {
		return MultifactorKept
	}
	m := multifactorFor(ev["user"])
	switch m {
	case MultifactorGuardian:
		ev["user"].(map[string]any)["multifactor"] = []any{"guardian"}
	case MultifactorNone:
		ev["user"].(map[string]any)["multifactor"] = []any{}
	}
	return m
}

// multifactorOfList derives from the JSON of a user's enrolledFactors
// (the user being an object without multifactor): MultifactorKept when it
// is not a list.
func multifactorOfList(raw []byte) Multifactor {
	var v any
	if len(raw) == 0 || raw[0] != '[' || json.Unmarshal(raw, &v) != nil {
		return MultifactorKept
	}
	return multifactorFor(map[string]any{"enrolledFactors": v})
}
