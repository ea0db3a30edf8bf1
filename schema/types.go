package schema

import (
	"github.com/invopop/jsonschema"

	"github.com/mfapolicy/mfapolicy/policy"
	"github.com/mfapolicy/mfapolicy/simulate"
)

// Policy mirrors a policy file.
type Policy struct {
	Name        string          `json:"name" jsonschema:"required,pattern=\\S,example=adaptive-mfa" jsonschema_description:"The Action's name in Auth0. Not blank."`
	Description string          `json:"description,omitempty" jsonschema_description:"Free text, ignored by the compiler."`
	Runtime     string          `json:"runtime,omitempty" jsonschema:"default=node22" jsonschema_description:"The Node.js runtime of the Action."`
	OnError     *Action         `json:"on_error,omitempty" jsonschema_description:"What the Action does when a rule's condition errors at run time. Default: challenge with any factor (fail closed)."`
	Lists       map[string]List `json:"lists,omitempty" jsonschema_description:"Named constants, lists.NAME in conditions. The elements of a list are all strings, all integers, all numbers or all booleans."`
	Rules       []Rule          `json:"rules,omitempty" jsonschema_description:"The rules, in order: the first rule whose when is true decides."`
	Default     *Action         `json:"default" jsonschema:"required" jsonschema_description:"What the Action does when no rule matches."`
	Tenant      *Tenant         `json:"tenant,omitempty" jsonschema_description:"The tenant's MFA configuration, deployed with the Action: the enabled factors, the phone message types and the MFA policy. See docs/policy.md."`
}

// Tenant mirrors the tenant: section.
type Tenant struct {
	Factors           []string `json:"factors" jsonschema:"required,uniqueItems=true" jsonschema_description:"Every factor the tenant enables, by the names rules use; a factor not listed is disabled."`
	PhoneMessageTypes []string `json:"phone_message_types,omitempty" jsonschema:"minItems=1,uniqueItems=true" jsonschema_description:"How the phone factor sends codes; only with phone in factors. Left out: the tenant's setting stays as it is."`
	MFAPolicy         string   `json:"mfa_policy,omitempty" jsonschema_description:"The tenant's MFA policy. Left out: the tenant's policy stays as it is."`
}

// JSONSchemaExtend names the values each key accepts.
func (Tenant) JSONSchemaExtend(s *jsonschema.Schema) {
	prop(s, "factors").Items = &jsonschema.Schema{Type: "string", Enum: anys(policy.ChallengeFactors)}
	prop(s, "phone_message_types").Items = &jsonschema.Schema{Type: "string", Enum: anys(policy.PhoneMessageTypes)}
	prop(s, "mfa_policy").Enum = anys(policy.TenantPolicies)
}

// JSONSchemaExtend adds what the struct tags cannot say: the runtimes,
// the list names, and an example.
func (Policy) JSONSchemaExtend(s *jsonschema.Schema) {
	s.Title = "mfapolicy policy"
	s.Description = "An adaptive-MFA policy: ordered rules, CEL conditions over Auth0's post-login event, compiled into one post-login Action. See docs/policy.md."
	prop(s, "runtime").Enum = anys(policy.Runtimes)
	prop(s, "lists").PropertyNames = &jsonschema.Schema{Pattern: policy.ListNamePattern}
}

// List is a named list of constants.
type List []any

// JSONSchema says a list holds elements of one kind.
func (List) JSONSchema() *jsonschema.Schema {
	arrayOf := func(t string) *jsonschema.Schema {
		return &jsonschema.Schema{Type: "array", Items: &jsonschema.Schema{Type: t}}
	}
	return &jsonschema.Schema{
		AnyOf:    []*jsonschema.Schema{arrayOf("string"), arrayOf("integer"), arrayOf("number"), arrayOf("boolean")},
		Examples: []any{[]any{"US", "CA", "GB"}, []any{"203.0.113.0/24", "2001:db8:100::/48"}},
	}
}

// Rule mirrors one rule.
type Rule struct {
	ID          string   `json:"id" jsonschema:"required,example=sanctioned-regions" jsonschema_description:"Unique; letters, digits, '-', '_' and '.', starting with a letter or digit, at most 100 characters. Decisions and reports name the rule by it."`
	Description string   `json:"description,omitempty" jsonschema_description:"Free text."`
	When        string   `json:"when" jsonschema:"required,minLength=1,example=event.request.geoip.countryCode in ['KP'\\, 'IR'],example=event.authentication.riskAssessment.confidence == 'low'" jsonschema_description:"The CEL condition, a boolean over event (Auth0's post-login event) and lists. \"true\" applies always. Quote it when it starts with ! or contains ': '."`
	Then        string   `json:"then" jsonschema:"required" jsonschema_description:"The outcome when the condition is true."`
	Factors     []string `json:"factors,omitempty" jsonschema:"minItems=1" jsonschema_description:"The factors offered, in order: needed for challenge and enroll, an error on allow and deny."`
	Reason      string   `json:"reason,omitempty" jsonschema_description:"For deny: the message Auth0 returns to the application as error_description."`
}

// JSONSchemaExtend adds the id pattern, the outcomes and factors, and what
// each outcome needs.
func (Rule) JSONSchemaExtend(s *jsonschema.Schema) {
	prop(s, "id").Pattern = policy.RuleIDPattern
	outcomeKeys(s, true)
}

// Action mirrors default and on_error: a bare outcome, or a mapping of
// then, factors and reason.
type Action struct {
	Then    string   `json:"then" jsonschema:"required" jsonschema_description:"The outcome."`
	Factors []string `json:"factors,omitempty" jsonschema:"minItems=1" jsonschema_description:"The factors offered, in order, for challenge and enroll. Without them, a bare challenge or enroll offers every factor Auth0 allows there."`
	Reason  string   `json:"reason,omitempty" jsonschema_description:"For deny: the message Auth0 returns to the application. Default: \"Sign-in is not permitted by policy\"."`
}

// JSONSchemaExtend makes the action a bare outcome or its mapping.
func (Action) JSONSchemaExtend(s *jsonschema.Schema) {
	outcomeKeys(s, false)
	mapping := *s
	mapping.Description = ""
	*s = jsonschema.Schema{
		Description: "A bare outcome (allow, challenge, enroll, deny) or a mapping with then, factors and reason.",
		OneOf:       []*jsonschema.Schema{{Type: "string", Enum: anys(policyOutcomes())}, &mapping},
		Examples:    []any{"allow", map[string]any{"then": "challenge", "factors": []string{"otp", "webauthn-platform"}}},
	}
}

// outcomeKeys sets the outcomes and factors of a rule or an action, and
// what each outcome allows: enroll never offers email, allow and deny take
// no factors; in a rule, challenge and enroll need factors and deny a
// reason.
func outcomeKeys(s *jsonschema.Schema, rule bool) {
	prop(s, "then").Enum = anys(policyOutcomes())
	prop(s, "factors").Items = &jsonschema.Schema{Type: "string", Enum: anys(policy.ChallengeFactors)}
	prop(s, "factors").UniqueItems = true
	when := func(outcomes ...string) *jsonschema.Schema {
		return props("then", &jsonschema.Schema{Enum: anys(outcomes)}, "then")
	}
	s.AllOf = append(s.AllOf,
		&jsonschema.Schema{If: when("enroll"), Then: props("factors", &jsonschema.Schema{Items: &jsonschema.Schema{Enum: anys(policy.EnrollFactors)}})},
		&jsonschema.Schema{If: when("allow", "deny"), Then: &jsonschema.Schema{Not: &jsonschema.Schema{Required: []string{"factors"}}}},
	)
	if rule {
		s.AllOf = append(s.AllOf,
			&jsonschema.Schema{If: when("challenge", "enroll"), Then: &jsonschema.Schema{Required: []string{"factors"}}},
			&jsonschema.Schema{If: when("deny"), Then: props("reason", &jsonschema.Schema{Pattern: `\S`}, "reason")},
		)
	}
}

func policyOutcomes() []string {
	return []string{string(policy.Allow), string(policy.Challenge), string(policy.Enroll), string(policy.Deny)}
}

// Test mirrors a policy test file.
type Test struct {
	Policy         string     `json:"policy" jsonschema:"required,minLength=1,example=../policy.yaml" jsonschema_description:"The policy under test, relative to this file."`
	AssumeEnrolled *FactorSet `json:"assume_enrolled,omitempty" jsonschema_description:"What a case's user has enrolled when its event has no user.enrolledFactors. Default: every factor."`
	EnabledFactors *FactorSet `json:"enabled_factors,omitempty" jsonschema_description:"The factors enabled on the tenant. Default: every factor."`
	Base           *Event     `json:"base,omitempty" jsonschema_description:"A partial post-login event under every case's event: mappings merge key by key, a value replaces, null removes the field."`
	Now            string     `json:"now,omitempty" jsonschema:"format=date-time,example=2026-03-10T15:00:00Z" jsonschema_description:"The time of the cases' logins (RFC 3339): a policy's now and the Action's clock. Default: when the tests start."`
	Cases          []Case     `json:"cases" jsonschema:"required" jsonschema_description:"The test cases."`
}

// JSONSchemaExtend titles the test file.
func (Test) JSONSchemaExtend(s *jsonschema.Schema) {
	s.Title = "mfapolicy policy tests"
	s.Description = "Unit tests of a policy: partial post-login events and the decision each must get, run through the compiled Action and the reference evaluator by mfapolicy test. See docs/testing.md."
}

// Case mirrors one test case.
type Case struct {
	Name           string     `json:"name" jsonschema:"required,minLength=1" jsonschema_description:"Unique; test output and --run use it."`
	Event          *Event     `json:"event,omitempty" jsonschema_description:"The case's partial post-login event, laid over base."`
	AssumeEnrolled *FactorSet `json:"assume_enrolled,omitempty" jsonschema_description:"Overrides the file's assume_enrolled for this case."`
	Now            string     `json:"now,omitempty" jsonschema:"format=date-time,example=2026-03-10T14:59:59.999Z" jsonschema_description:"Overrides the file's now for this case."`
	Want           Want       `json:"want" jsonschema:"required" jsonschema_description:"The decision the case must get; only the keys given are compared."`
}

// Want mirrors an expected decision.
type Want struct {
	Outcome string   `json:"outcome" jsonschema:"required" jsonschema_description:"The outcome: fail is a login Auth0 would fail (a challenge none of whose factors the user can use), error an Action that threw."`
	Factors []string `json:"factors,omitempty" jsonschema_description:"The factors offered, in order."`
	Rule    string   `json:"rule,omitempty" jsonschema:"example=(default)" jsonschema_description:"The deciding rule's id, or (default)."`
	Reason  string   `json:"reason,omitempty" jsonschema_description:"The deny reason."`
}

// JSONSchemaExtend adds the outcomes and factors of a decision.
func (Want) JSONSchemaExtend(s *jsonschema.Schema) {
	outcomes := make([]string, len(simulate.Outcomes))
	for i, o := range simulate.Outcomes {
		outcomes[i] = string(o)
	}
	prop(s, "outcome").Enum = anys(outcomes)
	prop(s, "factors").Items = &jsonschema.Schema{Type: "string", Enum: anys(simulate.AllFactors())}
}

// FactorSet is all, none, or a list of factor types.
type FactorSet struct{}

// JSONSchema lists the forms of a factor set.
func (FactorSet) JSONSchema() *jsonschema.Schema {
	return &jsonschema.Schema{OneOf: []*jsonschema.Schema{
		{Type: "string", Enum: []any{"all", "none"}},
		{Type: "array", Items: &jsonschema.Schema{Type: "string", Enum: anys(simulate.AllFactors())}},
	}}
}

// Event is a partial post-login event; its schema is the typed event
// model of package policy (event.go).
type Event struct{}

// JSONSchema refers to the event's definitions, added by Generate.
func (Event) JSONSchema() *jsonschema.Schema {
	return &jsonschema.Schema{Ref: "#/$defs/" + defName(policy.EventType)}
}

func prop(s *jsonschema.Schema, name string) *jsonschema.Schema {
	p, ok := s.Properties.Get(name)
	if !ok {
		panic("schema: no property " + name)
	}
	return p
}

// props is an object schema with one property, required when the last
// argument repeats its name.
func props(name string, p *jsonschema.Schema, required ...string) *jsonschema.Schema {
	s := &jsonschema.Schema{Properties: jsonschema.NewProperties(), Required: required}
	s.Properties.Set(name, p)
	return s
}

func anys(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
