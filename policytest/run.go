package policytest

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/mfapolicy/mfapolicy/compile"
	"github.com/mfapolicy/mfapolicy/internal/diag"
	"github.com/mfapolicy/mfapolicy/policy"
	"github.com/mfapolicy/mfapolicy/simulate"
	"github.com/mfapolicy/mfapolicy/simulate/input"
	"github.com/mfapolicy/mfapolicy/tenant"
)

// Options configure a test run.
type Options struct {
	// Filter, when set, runs only the cases whose name it matches.
	Filter *regexp.Regexp
	// Timeout is the time limit of one case in the simulator; 0 means one
	// second.
	Timeout time.Duration
	// Tenant is the tenant context every case is decided under. A case
	// whose event has neither user.enrolledFactors nor its own assumption
	// takes its user's enrolments from it, when the tenant knows the user.
	Tenant *simulate.Tenant
	// TenantFile is the file Tenant was read from, to name where it
	// differs from a policy's tenant: section (tenant.ForPolicy).
	TenantFile *tenant.File
}

// Run runs every test file and returns the report. A file that cannot be
// read or parsed, or whose policy has errors, is reported in its entry
// and the other files still run.
func Run(ctx context.Context, paths []string, opts Options) *Report {
	rep := &Report{Files: []*FileResult{}}
	for _, path := range paths {
		fr := runFile(ctx, path, opts)
		rep.Files = append(rep.Files, fr)
		rep.Passed += fr.Passed
		rep.Failed += fr.Failed
		rep.Skipped += fr.Skipped
		switch fr.Status {
		case StatusBadFile:
			rep.BadFiles++
		case StatusBadPolicy:
			rep.BadPolicies++
		}
	}
	return rep
}

func runFile(ctx context.Context, path string, opts Options) *FileResult {
	fr := &FileResult{File: path, Cases: []CaseResult{}}
	f, diags := Load(path)
	fr.Problems = diags
	if f == nil {
		fr.Status = StatusBadFile
		return fr
	}
	fr.Policy = f.PolicyPath
	p, pd := policy.Load(f.PolicyPath)
	for _, d := range pd {
		if d.Code == "unreadable" {
			fr.Status = StatusBadFile
			fr.Problems = append(fr.Problems, f.Source.New(diag.Error, f.PolicyPos, "no-policy", d.Message+" ("+f.PolicyPath+")",
				"the policy path is relative to the test file's directory"))
			return fr
		}
	}
	if pd.HasErrors() {
		fr.Status, fr.Problems = StatusBadPolicy, append(fr.Problems, pd.Errors()...)
		return fr
	}
	if p.Tenant != nil && f.EnabledFactors != nil {
		fr.Status = StatusBadFile
		fr.Problems = append(fr.Problems, f.Source.New(diag.Error, f.EnabledPos, "enabled-factors-with-section",
			fmt.Sprintf("enabled_factors: %s states the enabled factors in its tenant: section", f.PolicyPath),
			"remove enabled_factors, or point the test at a copy of the policy with another tenant: section"))
		return fr
	}
	opts.Tenant = tenant.ForPolicy(p, opts.Tenant, opts.TenantFile)
	if bad := checkRules(f, p); len(bad) > 0 {
		fr.Status, fr.Problems = StatusBadFile, append(fr.Problems, bad...)
		return fr
	}
	res, err := compile.Compile(p, compile.Options{})
	if err != nil {
		fr.Status = StatusBadPolicy
		fr.Problems = append(fr.Problems, asDiags(f.PolicyPath, err)...)
		return fr
	}
	if err := runCases(ctx, f, p, res, opts, fr); err != nil {
		fr.Status = StatusBadPolicy
		fr.Problems = append(fr.Problems, asDiags(f.PolicyPath, err)...)
		return fr
	}
	fr.Status = StatusOK
	if fr.Failed > 0 {
		fr.Status = StatusFail
	}
	fr.Coverage, fr.Uncovered = coverage(p, fr.Cases)
	return fr
}

// checkRules reports expected rule ids the policy does not have.
func checkRules(f *File, p *policy.Policy) diag.List {
	ids := []string{DefaultRule}
	for _, r := range p.Rules {
		ids = append(ids, r.ID)
	}
	var out diag.List
	for _, c := range f.Cases {
		if c.Want.Rule == "" || slices.Contains(ids, c.Want.Rule) {
			continue
		}
		hint := "rules: " + strings.Join(ids, ", ")
		if s := diag.Suggest(c.Want.Rule, ids); s != "" {
			hint = fmt.Sprintf("did you mean %q?", s)
		}
		out = append(out, f.Source.New(diag.Error, c.Want.RulePos, "unknown-rule",
			fmt.Sprintf("case %q expects rule %q, which %s does not have", c.Name, c.Want.Rule, f.PolicyPath), hint))
	}
	return out
}

func asDiags(file string, err error) diag.List {
	if dl, ok := err.(diag.List); ok {
		return dl
	}
	return diag.List{{Pos: diag.Pos{File: file}, Severity: diag.Error, Code: "compile", Message: err.Error()}}
}

// runCases replays the selected cases through the compiled Action in one
// simulator run, evaluates each with the reference evaluator, and compares.
func runCases(ctx context.Context, f *File, p *policy.Policy, res *compile.Result, opts Options, fr *FileResult) error {
	var selected []Case
	var events []map[string]any
	var lines [][]byte
	for _, c := range f.Cases {
		if opts.Filter != nil && !opts.Filter.MatchString(c.Name) {
			fr.Skipped++
			continue
		}
		assumed := f.AssumeEnrolled
		if c.AssumeEnrolled != nil {
			assumed = c.AssumeEnrolled
		} else if tl, ok := tenantEnrolled(opts.Tenant, c.Event); ok {
			assumed = tl
		}
		if assumed == nil {
			assumed = simulate.AllFactors()
		}
		ev := withMultifactor(withEnrolled(c.Event, assumed))
		data, err := json.Marshal(ev)
		if err != nil {
			return fmt.Errorf("%s: case %q: %w", c.Pos, c.Name, err)
		}
		lines = append(lines, append(data, '\n'))
		selected = append(selected, c)
		events = append(events, ev)
	}
	if len(selected) == 0 {
		return nil
	}
	// The cases run at their own times: one simulator run per time, in the
	// order the times first appear.
	now := time.Now().UTC()
	at := make([]time.Time, len(selected))
	var times []time.Time
	for i, c := range selected {
		at[i] = cmp.Or(c.Now, f.Now, now)
		if !slices.Contains(times, at[i]) {
			times = append(times, at[i])
		}
	}
	got := make([]simulate.Decision, len(selected))
	for _, t := range times {
		var buf bytes.Buffer
		var idx []int
		for i := range selected {
			if at[i].Equal(t) {
				buf.Write(lines[i])
				idx = append(idx, i)
			}
		}
		n := 0
		_, err := simulate.Run(ctx, simulate.Options{
			Code: res.Code, CodeName: f.PolicyPath, Rules: res.Rules, Workers: 1, Timeout: opts.Timeout, Strict: true,
			AssumeEnrolled: f.AssumeEnrolled, EnabledFactors: f.EnabledFactors, Tenant: opts.Tenant, Now: t, FixedNow: true,
			Inputs: []input.Input{input.ReaderInput(f.Path, &buf)},
			OnDecision: func(d simulate.Decision) error {
				if n < len(idx) {
					got[idx[n]] = d
				}
				n++
				return nil
			},
		})
		if err != nil {
			return err
		}
		if n != len(idx) {
			return fmt.Errorf("the simulator made %d decisions for %d cases", n, len(idx))
		}
	}
	for i, c := range selected {
		cr := judge(c, got[i], p.EvaluateAt(jsonValue(events[i]), at[i]))
		if cr.Pass {
			fr.Passed++
		} else {
			fr.Failed++
		}
		fr.Cases = append(fr.Cases, cr)
	}
	return nil
}

// jsonValue is ev as encoding/json decodes it (numbers as float64), the
// form the reference evaluator takes.
func jsonValue(ev map[string]any) any {
	data, _ := json.Marshal(ev)
	var v any
	_ = json.Unmarshal(data, &v)
	return v
}

// judge compares one decision with the expectation and with the reference
// evaluator.
func judge(c Case, d simulate.Decision, ref policy.Decision) CaseResult {
	g := Got{Outcome: d.Outcome, Factors: d.Factors, Rule: ruleName(d.Rule), Reason: d.Reason, Error: d.Error}
	cr := CaseResult{Name: c.Name, Pos: c.Pos, Want: c.Want, Got: g, Reference: ref, Notes: d.Notes}
	w := c.Want
	if w.Outcome != g.Outcome {
		cr.Mismatches = append(cr.Mismatches, Mismatch{"outcome", string(w.Outcome), string(g.Outcome)})
	}
	if w.HasFactors && list(w.Factors) != list(g.Factors) {
		cr.Mismatches = append(cr.Mismatches, Mismatch{"factors", list(w.Factors), list(g.Factors)})
	}
	if w.Rule != "" && w.Rule != g.Rule {
		cr.Mismatches = append(cr.Mismatches, Mismatch{"rule", w.Rule, g.Rule})
	}
	if w.Reason != "" && w.Reason != g.Reason {
		cr.Mismatches = append(cr.Mismatches, Mismatch{"reason", w.Reason, g.Reason})
	}
	cr.Disagreement = disagreement(d, ref)
	cr.Pass = len(cr.Mismatches) == 0 && cr.Disagreement == ""
	return cr
}

// disagreement describes how the compiled Action and the reference
// evaluator differ on one event, or returns "".
func disagreement(d simulate.Decision, ref policy.Decision) string {
	for _, n := range d.Notes {
		if strings.HasPrefix(n, "inconsistent:") {
			return "the Action's decide(event) and its calls disagree: " + strings.TrimPrefix(n, "inconsistent: ")
		}
	}
	switch {
	case d.Outcome == simulate.Error && d.Rule == "" && ref.Error == "":
		return fmt.Sprintf("the compiled Action failed (%s) but the reference evaluator decided %s by %s", d.Error, ref.Outcome, ruleName(ref.Rule))
	case d.Rule != ref.Rule:
		return fmt.Sprintf("the compiled Action decided by %s, the reference evaluator (cel-go) by %s", ruleName(d.Rule), ruleName(ref.Rule))
	case (d.Error != "") != (ref.Error != ""):
		return fmt.Sprintf("rule %s: the compiled Action reports error %q, the reference evaluator %q", ruleName(d.Rule), d.Error, ref.Error)
	}
	return ""
}

func ruleName(id string) string {
	if id == "" {
		return DefaultRule
	}
	return id
}

func list(fs []string) string { return "[" + strings.Join(fs, ", ") + "]" }

// coverage counts the cases each rule decided, in policy order, and lists
// the rules no case reached.
func coverage(p *policy.Policy, cases []CaseResult) ([]RuleHits, []string) {
	hits := map[string]int{}
	for _, c := range cases {
		hits[c.Got.Rule]++
	}
	var out []RuleHits
	var uncovered []string
	for _, r := range p.Rules {
		out = append(out, RuleHits{Rule: r.ID, Pos: r.Pos, Hits: hits[r.ID]})
		if hits[r.ID] == 0 {
			uncovered = append(uncovered, r.ID)
		}
	}
	out = append(out, RuleHits{Rule: DefaultRule, Pos: p.Default.Pos, Hits: hits[DefaultRule]})
	return out, uncovered
}

// tenantEnrolled returns the enrolments the tenant context holds for the
// case's user (event.user.user_id).
func tenantEnrolled(t *simulate.Tenant, ev map[string]any) ([]string, bool) {
	if t == nil || t.Users == nil {
		return nil, false
	}
	user, _ := ev["user"].(map[string]any)
	id, _ := user["user_id"].(string)
	list, ok := t.Users[id]
	return list, ok
}
