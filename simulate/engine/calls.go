package engine

import "encoding/json"

// What the recording api object (api.go) makes of a login's calls: every
// call as it was made, and the calls that bear on the outcome, from which
// the decision is derived (simulate/decision.go).

// Call is one call the Action made on the api object, with its arguments
// as JSON (what JSON.stringify makes of them; null for undefined).
type Call struct {
	Method string            `json:"method"`
	Args   []json.RawMessage `json:"args"`
}

// CmdKind is the kind of a call that bears on the outcome.
type CmdKind int

const (
	CmdChallenge CmdKind = iota
	CmdEnroll
	CmdMFAEnable
	CmdDeny
)

// Command is a call that bears on the outcome, already validated by api.go:
// Factors holds only valid factor types (normalised), in request order.
type Command struct {
	Kind     CmdKind
	Method   string
	Factors  []string
	Provider string // multifactor.enable
	Reason   string // access.deny
}

// AppendNew appends the items not already in list, in order.
func AppendNew(list []string, items ...string) []string {
outer:
	for _, it := range items {
		for _, have := range list {
			if have == it {
				continue outer
			}
		}
		list = append(list, it)
	}
	return list
}
