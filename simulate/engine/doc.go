// Package engine makes and describes the JavaScript that the simulator
// runs: BundleAction and BundleRule turn a hand-written Action
// (TypeScript, ES modules, relative imports, npm dependencies declared
// beside it, npm.go) or a legacy Rule (rule.go, rules/adapter.js) into one
// CommonJS script with an inline source map (sourcemap.go), and the
// Node.js built-ins Actions commonly use are answered by the embedded
// shims (shims.go, shims/*.js). The names a bundle exports to its runner
// (BundledHandler, BundledPlain) and the namespace of its shims
// (ShimNamespace) are the contract with the goja runtime.
//
// engine never imports simulate or simulate/input: it knows bundles and
// JavaScript, not logins, readers or decisions.
package engine
