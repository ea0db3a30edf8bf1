// Package templates holds the JavaScript that compiled policies are made
// of, as real ES module files embedded in the binary:
//
//   - runtime/*.js: the CEL runtime, one exported helper per CEL overload
//     id (add_int64, less_string, cidr_contains_ip_string, ...) plus the
//     value classes CelError and CelUint. Semantics follow
//     docs/semantics.md.
//   - action.js: the Action entry, which evaluates the compiled rules in
//     order and calls Auth0's post-login api.
//
// The compile package bundles these with esbuild, which keeps only the
// helpers a policy uses. This package has no Go logic beyond exposing the
// files:
//
//	src, err := fs.ReadFile(templates.FS, "runtime/net.js")
package templates
