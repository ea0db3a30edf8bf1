package engine

import "strings"

// RuleWarningPrefix starts the note a login gets when its Rule used a shape
// that was never Auth0's API.
const RuleWarningPrefix = "Rule: "

// BundleRule turns a legacy Auth0 Rule, function (user, context, callback)
// { ... }, into a CommonJS post-login Action that Run replays: user and
// context are built from each post-login event as the Rules runtime built
// them, the secrets become the Rule's configuration object, and what the
// Rule leaves in context or passes to callback becomes the api call the
// Rules-to-Actions migration guide names for it (rules/adapter.js lists
// them). So context.multifactor = {provider: 'any'} is a challenge with
// the user's factors, exactly as api.multifactor.enable('any') is, and
// callback(new UnauthorizedError(msg)) is a deny with reason msg; any other
// error is an error, and a Rule that never calls callback is an error too
// (its Action never settles).
//
// Rules copied from MFA guides often use shapes that were never Auth0's
// API: context.connection.ip_country, context.multifactor.enable() and
// context.multifactor.addFactor({...}). They simulate as their authors
// meant (the login's country; requiring MFA), and every login that uses one
// carries a note starting with RuleWarningPrefix that names the real field
// or call; Warnings gathers them once per run.
//
// Relative imports, shims and npm dependencies are handled as BundleAction
// handles them.
func BundleRule(file string, opts BundleOptions) ([]byte, error) {
	var merged map[string]string
	if opts.Secrets != nil || opts.Configuration != nil {
		merged = map[string]string{}
		for k, v := range opts.Secrets {
			merged[k] = v
		}
		for k, v := range opts.Configuration {
			merged[k] = v
		}
	}
	cfg, err := secretsJSON(merged)
	if err != nil {
		return nil, err
	}
	if cfg == "null" {
		cfg = "{}"
	}
	glue := `module.exports = require("` + adapterImport + `")(require("` + entryImport + `"), ` + cfg + `);`
	return bundle(file, glue, true, opts)
}

// wrapRule makes a module of a Rule's source, a function expression. The
// Rules runtime's globals configuration, UnauthorizedError, auth0 and global
// are parameters, so the Rule sees them as it did. The wrapper opens on the
// Rule's first line so that line numbers in errors match the file.
func wrapRule(src string) string {
	body := strings.TrimPrefix(src, "\ufeff")
	body = strings.TrimRight(body, " \t\r\n;")
	return "module.exports = function (configuration, UnauthorizedError, auth0, global) { return (" + body + "\n); };\n"
}
