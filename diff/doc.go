// Package diff measures what a policy change does to real traffic: every
// recorded login is read once and replayed through the compiled Actions of
// two policies (the base and the head of a pull request), and the report
// gives the transition matrix, the kind of each change (weakened, locked
// out, tightened, restored, lateral), the rules responsible, the users,
// applications and countries affected, example logins, how many changed
// decisions rest on missing data, and a verdict for CI.
//
// It sits above policy, compile and simulate: policies are loaded and
// compiled here, and simulate.RunPair runs both Actions.
//
//	base, _ := diff.LoadSide(ctx, "git:origin/main:policy.yaml", "")
//	head, _ := diff.LoadSide(ctx, "policy.yaml", "")
//	rep, err := diff.Run(ctx, base, head, diff.Options{
//		Inputs:    []input.Input{input.FileInput("logins.ndjson", os.Stdin)},
//		FailOn:    "weakened",
//		MaxChange: -1,
//	})
//	if err != nil { ... }
//	diff.RenderMarkdown(os.Stdout, rep.Redact(diff.NewKey()))
//	if !rep.Verdict.Pass { os.Exit(1) }
//
// docs/diff.md defines the kinds of change, the factor strength order,
// the missing-data bucket and the JSON report.
package diff
