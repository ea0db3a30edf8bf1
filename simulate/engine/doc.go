// Package engine runs a bundle on one login's event and records its api
// calls, and makes the JavaScript and the events it runs on:
//
//   - Program (CompileAction) is an Action compiled once; Runner
//     (runtime.go) is one goja runtime with it loaded, whose Exec runs
//     onExecutePostLogin(event, api) on one login under the time limit
//     and the memory watch, with the recording api object (api.go: Call,
//     Command, checked as Auth0 documents each method), the Go host
//     functions the shims call (host.go) and the login's sandbox facts
//     (facts.go: what the run assumed, which hosts it was refused). What
//     a run lends every login (the clock's start, the HTTP fixtures) is a
//     SandboxConfig, built by simulate from its Options.
//   - BundleAction and BundleRule turn a hand-written Action (TypeScript,
//     ES modules, relative imports, npm dependencies declared beside it,
//     npm.go) or a legacy Rule (rule.go, rules/adapter.js) into one
//     CommonJS script with an inline source map (sourcemap.go); the
//     Node.js built-ins Actions commonly use are answered by the embedded
//     shims (shims.go, shims/*.js). The names a bundle exports to the
//     Runner (BundledHandler, BundledPlain) and the namespace of its shims
//     (ShimNamespace) are the contract with the runtime.
//   - ReadPlan (readplan.go) is the part of an event a compiled policy can
//     observe, PlanFor finds it in the compiled code, HandlerPlan in a
//     hand-written handler's source (handlerplan.go), and ProtoWatch
//     tells when Object.prototype could observe more than the plan.
//   - Decoder (eventvalue.go) builds a login's event in goja from the
//     record's bytes as JSON.parse would, only the planned part of it;
//     BuildWithJSONParse is the reference it is tested against.
//   - MemoryWatch (memory.go) stops the login whose Action makes the Go
//     heap grow past the limit: goja has no heap limit of its own.
//   - HTTPFixtures (http.go) answer the requests an Action makes through
//     the fetch and http shims (InstallHTTP); the Action has no network.
//   - Clock (clock.go) is a login's virtual clock and Node.js timers
//     (InstallClock), and Await runs them until the handler settles;
//     ErrorText and ValueText (jsvalue.go) say what was thrown, and where.
//
// What the calls mean (the decision, Auth0's checks, the tenant's rules),
// the classes, the summary and the runs are package simulate's.
//
// engine never imports simulate, nor simulate/input, which reads the
// logins: it knows bundles, JavaScript, JSON bytes (through
// simulate/internal/jsonscan) and the calls an Action makes, not
// readers, logins or decisions. Of the module it imports only
// simulate/internal/jsonscan and simulate/internal/factor.
package engine
