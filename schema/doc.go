// Package schema generates the JSON Schemas of mfapolicy's files, the
// policy file (docs/policy.md) and the policy test file (docs/testing.md),
// from Go types that mirror them, so that editors with a YAML language
// server complete and check them while they are typed. The generated
// schemas are committed next to this file (policy.schema.json,
// test.schema.json); `mfapolicy schema policy|test` prints them, and a
// test fails when the committed files fall behind the types.
//
// The schemas are a typing aid: `mfapolicy check` and `mfapolicy test`
// remain the authority (CEL conditions are checked only there).
//
//	data, err := schema.Generate(schema.PolicyFile)
package schema
