package policytest

import (
	"github.com/mfapolicy/mfapolicy/internal/diag"
	"github.com/mfapolicy/mfapolicy/policy"
	"github.com/mfapolicy/mfapolicy/simulate"
)

// Report is the result of running test files: one entry per file, and the
// totals the exit status follows. Renderers only format it.
type Report struct {
	Files  []*FileResult `json:"files"`
	Passed int           `json:"passed"`
	Failed int           `json:"failed"`
	// Skipped counts the cases --run left out.
	Skipped int `json:"skipped"`
	// BadFiles counts test files that could not be read or parsed (exit
	// 2); BadPolicies the files whose policy has errors (exit 1).
	BadFiles    int `json:"bad_files"`
	BadPolicies int `json:"bad_policies"`
}

// FileResult is one test file's result.
type FileResult struct {
	File   string `json:"file"`
	Policy string `json:"policy,omitempty"`
	// Status is "ok", "fail", "bad-test-file" or "bad-policy".
	Status string `json:"status"`
	// Problems are the test file's or the policy's diagnostics.
	Problems diag.List    `json:"problems,omitempty"`
	Cases    []CaseResult `json:"cases"`
	Passed   int          `json:"passed"`
	Failed   int          `json:"failed"`
	Skipped  int          `json:"skipped"`
	// Coverage lists every rule of the policy with how many cases it
	// decided, in policy order, then the default.
	Coverage []RuleHits `json:"coverage,omitempty"`
	// Uncovered names the rules no case that ran reached.
	Uncovered []string `json:"uncovered,omitempty"`
}

// The statuses of a FileResult.
const (
	StatusOK        = "ok"
	StatusFail      = "fail"
	StatusBadFile   = "bad-test-file"
	StatusBadPolicy = "bad-policy"
)

// CaseResult is one case's outcome.
type CaseResult struct {
	Name string   `json:"name"`
	Pos  diag.Pos `json:"position"`
	Pass bool     `json:"pass"`
	Want Want     `json:"want"`
	// Got is the compiled Action's decision in the simulator.
	Got Got `json:"got"`
	// Reference is the reference evaluator's decision.
	Reference policy.Decision `json:"reference"`
	// Mismatches name each compared field that differs, "want X, got Y";
	// Disagreement says how the two evaluators differ, if they do.
	Mismatches   []Mismatch `json:"mismatches,omitempty"`
	Disagreement string     `json:"disagreement,omitempty"`
	// Notes are the simulator's notes on the decision (ignored factors...).
	Notes []string `json:"notes,omitempty"`
}

// Got is the decision a case received.
type Got struct {
	Outcome simulate.Outcome `json:"outcome"`
	Factors []string         `json:"factors,omitempty"`
	// Rule is the deciding rule id, or "(default)".
	Rule   string `json:"rule"`
	Reason string `json:"reason,omitempty"`
	Error  string `json:"error,omitempty"`
}

// Mismatch is one compared field that differs.
type Mismatch struct {
	Field string `json:"field"`
	Want  string `json:"want"`
	Got   string `json:"got"`
}

// RuleHits is how many cases one rule decided.
type RuleHits struct {
	Rule string   `json:"rule"`
	Pos  diag.Pos `json:"position"`
	Hits int      `json:"hits"`
}
