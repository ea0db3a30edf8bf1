// Package analyze explores every login a policy can see, without events.
//
// The rules of an adaptive-MFA policy mostly read fields with few values
// that matter: the country (about 250 codes, or none), the risk confidence
// (four values, or none), the application, connection and roles the policy
// names, a few booleans and thresholds, and whether an object such as geoip
// is there at all. The analysis lowers each rule's checked CEL condition to
// these finite dimensions, each partitioned into classes of values the
// rules cannot tell apart (every country the policy does not name behaves
// like every other one). A condition it cannot decide over these classes,
// such as a regular expression or a metadata value, becomes a symbolic
// dimension of its own, free to be true, false or (when it can) an error
// independently of everything else. That over-approximates the logins that
// exist, so the analysis is sound: it never calls a rule dead that some
// login reaches.
//
// The space is explored as a decision tree: a rule is evaluated over a
// whole cube of classes at once, and the cube is split only along a
// dimension the rule reads when the rule can be both true and false there.
// Each leaf is a cube with one deciding rule. Leaves give the dead rules
// (with the earlier rules that shadow them), the rules reached only when
// data is missing, and the decision of every region; every region comes
// with an example login confirmed by the reference evaluator,
// (*policy.Policy).Evaluate.
//
//	p, diags := policy.Load("policy.yaml")
//	if diags.HasErrors() { ... }
//	rep, err := analyze.Analyze(p)
//	if err != nil { ... }
//	analyze.RenderText(os.Stdout, rep) // rep.Dead counts the dead rules
//
// Diff compares two policies the same way, over a space that both refine.
package analyze
