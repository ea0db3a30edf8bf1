package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/mfapolicy/mfapolicy/analyze"
	"github.com/mfapolicy/mfapolicy/compile"
	"github.com/mfapolicy/mfapolicy/internal/diag"
	"github.com/mfapolicy/mfapolicy/policy"
	"github.com/mfapolicy/mfapolicy/tenant"
)

type checkOptions struct {
	s        *streams
	Policies []string
	Format   string
	Tenant   []string
}

func newCheckCmd(s *streams, runF func(*checkOptions) error) *cobra.Command {
	opts := &checkOptions{s: s}
	cmd := &cobra.Command{
		Use:   "check POLICY...",
		Short: "Type-check and lint policies",
		Long: `Check loads each policy, type-checks every rule's CEL condition against
Auth0's post-login event, and runs the lints: unknown factors, risk
confidences and country codes, unreachable rules, missing factors or
reasons. It then compiles the policy, so that anything the compiler
refuses is reported here too, and warns about dead rules: rules that no
possible login reaches (shadowed by earlier rules, or never true), each
with an example login that the compiled Action confirms. Auth0's limits
are checked on the compiled Action: its size (under 100 kB) and the
challenge/enroll commands of one login (at most 4). Errors name
file:line:col and show the offending line.

With --tenant (see docs/tenant.md), check also warns about rules that
challenge or enroll with factors the tenant has not enabled, and about
rules the tenant's MFA policy makes moot (under all-applications, an
allow still ends in MFA).

Exit status: 0 when no policy has errors (warnings allowed), 1 when one
has, 2 when a file cannot be read.`,
		Example: `  mfapolicy check examples/policy.yaml
  mfapolicy check --format json policies/*.yaml`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			opts.Policies = args
			if opts.Format != "text" && opts.Format != "json" {
				return usageErr("--format must be text or json, not %q", opts.Format)
			}
			return runF(opts)
		},
	}
	cmd.Flags().StringVar(&opts.Format, "format", "text", "output format: text or json")
	addTenantFlag(cmd.Flags(), &opts.Tenant)
	return cmd
}

// checkReport is the JSON output of check, one entry per policy file.
type checkReport struct {
	Files    []checkFile `json:"files"`
	Errors   int         `json:"errors"`
	Warnings int         `json:"warnings"`
}

type checkFile struct {
	File        string    `json:"file"`
	OK          bool      `json:"ok"`
	Rules       int       `json:"rules"`
	Diagnostics diag.List `json:"diagnostics"`
}

func runCheck(opts *checkOptions) error {
	rep := checkReport{Files: []checkFile{}}
	unreadable := false
	_, tf, err := loadTenant(opts.s.Err, opts.Tenant)
	if err != nil {
		return err
	}
	for _, path := range opts.Policies {
		p, diags := policy.Load(path)
		if p != nil && !diags.HasErrors() {
			more, err := deepCheck(p)
			if err != nil {
				return err
			}
			diags = append(diags, more...)
			if tf != nil {
				diags = append(diags, tenant.Lint(p, tf)...)
			}
			diags.Sort()
		}
		f := checkFile{File: path, OK: !diags.HasErrors(), Diagnostics: diags}
		if f.Diagnostics == nil {
			f.Diagnostics = diag.List{}
		}
		if p != nil {
			f.Rules = len(p.Rules)
		}
		for _, d := range diags {
			if d.Code == "unreadable" {
				unreadable = true
			}
			if d.Severity == diag.Error {
				rep.Errors++
			} else {
				rep.Warnings++
			}
		}
		rep.Files = append(rep.Files, f)
	}
	if opts.Format == "json" {
		if err := writeJSON(opts.s.Out, rep); err != nil {
			return err
		}
	} else {
		printCheckText(opts.s, rep)
	}
	switch {
	case unreadable:
		return &exitError{code: exitUsage}
	case rep.Errors > 0:
		return errFindings
	}
	return nil
}

// deepCheck compiles a policy that loaded cleanly and analyses it over
// every possible login: compile errors, and a warning for each dead rule
// with a witness login replayed through the compiled Action.
func deepCheck(p *policy.Policy) (diag.List, error) {
	res, err := compile.Compile(p, compile.Options{})
	if err != nil {
		var dl diag.List
		if errors.As(err, &dl) {
			return dl, nil
		}
		return nil, err
	}
	limits := compile.Limits(p, res)
	rep, err := analyze.Analyze(p)
	if err != nil {
		// The analysis has limits (classes per dimension, regions); a
		// policy beyond them is still a valid policy.
		return append(limits, p.Source.New(diag.Warning, diag.Pos{File: p.File, Line: 1, Col: 1}, "analysis-skipped",
			"dead rules were not looked for: "+err.Error(), "")), nil
	}
	out := limits
	var witnesses []analyze.Example
	var rules []*policy.Rule
	for i, rr := range rep.Rules {
		if rr.Status == analyze.Reachable {
			continue
		}
		r := p.Rules[i]
		msg := fmt.Sprintf("rule %q can never decide: its condition is never true", r.ID)
		hint := "remove it, or fix its condition"
		if rr.Status == analyze.Shadowed {
			msg = fmt.Sprintf("rule %q can never decide: every login it matches is decided earlier by %s", r.ID, strings.Join(rr.ShadowedBy, ", "))
			hint = "move it above the rules that shadow it, or narrow them"
			if rr.Example != nil && rr.ExampleDecision != nil {
				ev, _ := json.Marshal(rr.Example)
				hint += "; for example " + string(ev)
				witnesses = append(witnesses, analyze.Example{What: "rule " + r.ID, Event: rr.Example, Decision: *rr.ExampleDecision})
			}
		}
		rules = append(rules, r)
		out = append(out, p.Source.New(diag.Warning, r.Pos, "dead-rule", msg, hint))
	}
	if len(witnesses) > 0 {
		sim, err := replay(p, res.Code, witnesses, false)
		if err != nil {
			return nil, err
		}
		for _, d := range sim.Disagreements {
			out = append(out, p.Source.New(diag.Error, diag.Pos{File: p.File}, "simulator-disagrees",
				"the compiled Action does not confirm the analysis: "+d, "please report this"))
		}
	}
	return out, nil
}

func printCheckText(s *streams, rep checkReport) {
	for _, f := range rep.Files {
		f.Diagnostics.Print(s.Out, 50)
		if f.OK {
			fmt.Fprintf(s.Out, "%s: ok (%d rules)\n", f.File, f.Rules)
		}
	}
	if rep.Errors+rep.Warnings > 0 {
		fmt.Fprintf(s.Out, "%d error(s), %d warning(s)\n", rep.Errors, rep.Warnings)
	}
}
