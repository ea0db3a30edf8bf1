// Package policy owns the mfapolicy policy file: loading the YAML with the
// line and column of every node, the typed CEL environment of Auth0's
// post-login event, type-checking each rule's condition, the domain lints
// (factor names, risk confidences, country codes, unreachable rules...),
// and the reference evaluator that runs the rules with cel-go.
//
// The reference evaluator is the oracle of the project: the JavaScript
// Action that package compile emits must decide every event exactly as
// (*Policy).Evaluate does. docs/semantics.md is the contract both follow,
// including what missing data and run-time errors mean; docs/policy.md
// documents the file format, the event fields, the supported functions
// and every diagnostic code.
//
// Loading never stops at the first problem: Load and Parse return every
// diagnostic they find, sorted, each with its file:line:col and the source
// line to print under it. A policy is usable when none is an error.
//
//	p, diags := policy.Parse("policy.yaml", []byte(`
//	name: adaptive-mfa
//	rules:
//	  - id: abroad
//	    when: event.request.geoip.countryCode != 'US'
//	    then: challenge
//	    factors: [otp]
//	default: allow
//	`))
//	if diags.HasErrors() {
//		diags.Print(os.Stderr, 20)
//		return
//	}
//	var event any
//	_ = json.Unmarshal([]byte(`{"request": {"geoip": {"countryCode": "FR"}}}`), &event)
//	d := p.Evaluate(event) // {Rule: "abroad", Outcome: "challenge", Factors: ["otp"]}
package policy
