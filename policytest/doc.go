// Package policytest runs policy unit tests: YAML files that name a policy
// and list cases, each a partial post-login event and the decision it must
// get. Every case runs through the compiled Action in the simulator (the
// code that is deployed) and through the policy's reference evaluator
// (cel-go); a case fails when the decision differs from the expectation,
// and also when the two evaluators disagree. The result records which
// rules no case reached.
//
// One result type, three views: RenderText (like go test), RenderJSON and
// RenderJUnit. docs/testing.md documents the file format.
//
//	rep := policytest.Run(ctx, []string{"tests/policy_test.yaml"}, policytest.Options{})
//	policytest.RenderText(os.Stdout, rep, false)
//	if rep.BadFiles > 0 { os.Exit(2) }
//	if rep.Failed > 0 || rep.BadPolicies > 0 { os.Exit(1) }
package policytest
