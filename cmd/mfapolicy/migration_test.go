package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestMigrationExample diffs the legacy Rule of examples/migration against
// the policy that replaces it on the whole example corpus, through the real
// command line: every login must get the same decision (outcome, reason,
// factors), so `--fail-on any` passes.
func TestMigrationExample(t *testing.T) {
	var out, errb bytes.Buffer
	code := run([]string{"diff", "rule:../../examples/migration/rule.js", "../../examples/migration/policy.yaml",
		"--events", "../../examples/events.ndjson", "--fail-on", "any"},
		&streams{In: strings.NewReader(""), Out: &out, Err: &errb})
	if code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out.String(), errb.String())
	}
	if !strings.Contains(out.String(), "2997 logins replayed (3000 records read, 3 malformed): 0 changed (0.0%)") {
		t.Errorf("want no change on the 2997 example logins:\n%s", out.String())
	}
}
