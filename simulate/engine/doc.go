// Package engine makes the JavaScript the simulator runs and the events
// it runs on, up to the goja runtime:
//
//   - BundleAction and BundleRule turn a hand-written Action (TypeScript,
//     ES modules, relative imports, npm dependencies declared beside it,
//     npm.go) or a legacy Rule (rule.go, rules/adapter.js) into one
//     CommonJS script with an inline source map (sourcemap.go); the
//     Node.js built-ins Actions commonly use are answered by the embedded
//     shims (shims.go, shims/*.js). The names a bundle exports to its
//     runner (BundledHandler, BundledPlain) and the namespace of its shims
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
// The runtime that runs a bundle on those events (runtime.go with its
// sandbox), the api recorder and the goja host functions the shims call
// are in package simulate.
//
// engine never imports simulate, nor simulate/input, which reads the
// logins: it knows bundles, JavaScript and JSON bytes (through
// simulate/internal/jsonscan), not readers, logins or decisions.
package engine
