package policy

import (
	"cel.dev/cel-go/cel"
	yaml "go.yaml.in/yaml/v4"

	"github.com/mfapolicy/mfapolicy/internal/diag"
)

// Outcome is what a rule, the default or on_error decides.
type Outcome string

// The outcomes a policy can name.
const (
	Allow     Outcome = "allow"
	Challenge Outcome = "challenge"
	Enroll    Outcome = "enroll"
	Deny      Outcome = "deny"
)

// Policy is a loaded and checked policy file.
type Policy struct {
	// File is the path the policy was read from, as given.
	File    string
	Name    string
	Runtime string
	// OnError decides when a rule's condition errors at run time.
	OnError Action
	// Lists are the named constants, in file order.
	Lists []List
	Rules []*Rule
	// Default decides when no rule matches.
	Default Action
	// Tenant is the `tenant:` section, nil when the policy has none.
	Tenant *TenantConfig
	// Source is the policy text, for diagnostics.
	Source *diag.Source

	env  *cel.Env
	eval *Evaluator
}

// Action is what happens when a rule (or the default, or on_error) decides.
type Action struct {
	Then    Outcome
	Factors []string
	Reason  string
	Pos     diag.Pos
}

// List is a named constant list, available to CEL as lists.NAME.
type List struct {
	Name string
	// Type is the CEL type of the list, for example list(string).
	Type *cel.Type
	// Values hold string, int64, float64 or bool elements, all of one kind.
	Values []any
	Pos    diag.Pos
	nodes  []*yaml.Node
}

// Rule is one ordered rule with its checked condition.
type Rule struct {
	ID string
	// When is the CEL source text of the condition.
	When string
	// WhenPos is where the condition text starts in the policy file.
	WhenPos diag.Pos
	// AST is the type-checked condition; nil when it did not check.
	AST *cel.Ast
	Action
	Pos diag.Pos

	when *scalarText
}
