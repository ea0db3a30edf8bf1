package diff

import "github.com/mfapolicy/mfapolicy/policy"

// RuleFields maps each rule id of a checked policy to the event fields its
// condition reads (see policy.Policy.RuleFields). It is what
// simulate.Options.RuleFields takes to find decisions that rest on missing
// data.
func RuleFields(p *policy.Policy) map[string][]string { return p.RuleFields() }
