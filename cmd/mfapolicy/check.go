package main

import (
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/mfapolicy/mfapolicy/internal/diag"
	"github.com/mfapolicy/mfapolicy/policy"
)

type checkOptions struct {
	s        *streams
	Policies []string
	Format   string
}

func newCheckCmd(s *streams, runF func(*checkOptions) error) *cobra.Command {
	opts := &checkOptions{s: s}
	cmd := &cobra.Command{
		Use:   "check POLICY...",
		Short: "Type-check and lint policies",
		Long: `Check loads each policy, type-checks every rule's CEL condition against
Auth0's post-login event, and runs the lints: unknown factors, risk
confidences and country codes, unreachable rules, missing factors or
reasons. Errors name file:line:col and show the offending line.

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
	for _, path := range opts.Policies {
		p, diags := policy.Load(path)
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
		enc := json.NewEncoder(opts.s.Out)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
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
