// Package simulate replays recorded logins through an Auth0 post-login
// Action and reports what Auth0 would have done with each one.
//
// It owns the run: the workers, each with a goja runtime (engine.Runner)
// that runs the very JavaScript that is deployed, the derivation of a
// decision from the calls the Action made (following Auth0's documented
// behaviour, each rule citing its page), the tenant's MFA rules, replay by
// decision class, and the summary with its text, JSON and Markdown
// renderers.
//
// The package knows nothing of policies or CEL: it receives JavaScript
// bytes, for example a compiled policy's code.js, and for a compiled
// policy a Classifier from the layer above (internal/classify), with which
// it replays by decision class: each worker locates the fields the
// classifier reads in the record's bytes (input.Located), the classifier
// names each login's deciding rule, the Action runs in goja once per class
// and on a hashed sample of the rest, whose calls must match (classes.go,
// player.go).
//
// Below it, and never importing it:
//
//   - simulate/input: the event readers (NDJSON, JSON arrays, gzip,
//     post-login event objects and Auth0 tenant log records, with their
//     GeoIP and roles enrichment), the span locator and the projected
//     decoder that find and decode a record's fields, and the byte-level
//     derivation of event.user.multifactor (the assumption it states and
//     when a policy observes the field are multifactor.go's, here);
//   - simulate/engine: running a bundle on one login's event and
//     recording its api calls (Program, Runner.Exec, the recording api
//     object, the goja host functions of the shims, the sandbox facts);
//     BundleAction and BundleRule turn a hand-written Action (TypeScript,
//     ES modules, relative imports) or a legacy Rule into such bytes,
//     with shims for the Node.js built-ins Actions commonly use
//     (docs/actions.md), and its Decoder builds each login's event in
//     goja from the record's bytes, only the part its ReadPlan names;
//   - simulate/internal/jsonscan: the JSON scanner that the event decoder
//     (engine) and the projected decoder and span locator (input) share;
//     simulate/internal/factor: the "push" alias of factor names that
//     the log import (input) and the api recorder (engine) share.
//
// input and engine never import each other. Here, a login's path enters
// engine once per Action it runs in goja (Runner.Exec) and comes back
// with an engine.Execution: the calls, the commands that bear on the
// outcome, console, notes and sandbox facts, from which this package
// derives the decision (decision.go) and counts the summary.
//
//	sum, err := simulate.Run(ctx, simulate.Options{
//		Code:     code,
//		CodeName: "code.js",
//		Inputs:   []input.Input{input.FileInput("events.ndjson", os.Stdin)},
//		OnDecision: func(d simulate.Decision) error {
//			return enc.Encode(d) // input order, even with many workers
//		},
//	})
//	if err != nil { ... }
//	simulate.RenderText(os.Stdout, sum)
package simulate
