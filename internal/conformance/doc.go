// Package conformance runs cel-spec's own conformance tests (the
// tests/simple/testdata/*.textproto files of the cel.dev/expr module)
// through mfapolicy: each test becomes a one-rule policy that is checked,
// compiled, and decided by the cel-go reference evaluator, by the compiled
// code.js in goja (the simulator) and by the same code.js in Node.js. A
// test is accepted and right, rejected when the policy is checked or
// compiled (with a documented reason), or wrong; the test fails on any
// wrong answer. docs/cel-support.md shows the counts per file.
package conformance
