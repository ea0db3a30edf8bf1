package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/mfapolicy/mfapolicy/compile"
)

type compileOptions struct {
	s      *streams
	Policy string
	Out    string
	Format string
	Minify bool
}

func newCompileCmd(s *streams, runF func(*compileOptions) error) *cobra.Command {
	opts := &compileOptions{s: s}
	cmd := &cobra.Command{
		Use:   "compile POLICY -o DIR",
		Short: "Compile a policy into an Auth0 post-login Action",
		Long: `Compile checks the policy and writes the Action that enforces it:
DIR/code.js (the Action's code, with each rule's id and condition in a
comment above its code) and DIR/action.json (name, runtime, trigger).

--format deploy-cli writes auth0-deploy-cli's directory layout
(actions/NAME.json, actions/NAME/code.js, triggers/triggers.json), with
'#' and '@' escaped so keyword replacement cannot alter policy text.
--format terraform writes main.tf (auth0_action, auth0_trigger_action)
next to code.js.

A policy's tenant: section is written too: with deploy-cli as
guardian/factors/NAME.json (every factor, enabled or not; phone is "sms"),
guardian/policies.json and guardian/phoneFactorMessageTypes.json (each only
when the section states it); with terraform as an auth0_guardian resource
(a variable "mfa_policy" stands for a policy the section does not state,
as the provider requires one). See docs/deploy.md.

Exit status: 0 on success, 1 when the policy has errors, 2 on bad usage.`,
		Example: `  mfapolicy compile examples/policy.yaml -o out
  mfapolicy compile examples/policy.yaml -o tenant --format deploy-cli
  mfapolicy compile examples/policy.yaml -o infra --format terraform`,
		Args: cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			opts.Policy = args[0]
			if opts.Out == "" {
				return usageErr("compile needs an output directory: -o DIR")
			}
			ok := false
			for _, f := range compile.Formats {
				ok = ok || string(f) == opts.Format
			}
			if !ok {
				return usageErr("--format must be action, deploy-cli or terraform, not %q", opts.Format)
			}
			return runF(opts)
		},
	}
	cmd.Flags().StringVarP(&opts.Out, "out", "o", "", "output directory")
	cmd.Flags().StringVar(&opts.Format, "format", "action", "layout: action, deploy-cli or terraform")
	cmd.Flags().BoolVar(&opts.Minify, "minify", false, "minify code.js")
	return cmd
}

func runCompile(opts *compileOptions) error {
	p, err := loadChecked(opts.s, opts.Policy)
	if err != nil {
		return err
	}
	res, err := compileChecked(opts.s, p, compile.Options{Minify: opts.Minify})
	if err != nil {
		return err
	}
	limits := compile.Limits(p, res)
	limits.Print(opts.s.Err, 50)
	if limits.HasErrors() {
		return errFindings
	}
	files, err := res.Files(p.Name, compile.Format(opts.Format))
	if err != nil {
		return err
	}
	for _, rel := range compile.SortedPaths(files) {
		path := filepath.Join(opts.Out, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return inputErr(err)
		}
		if err := os.WriteFile(path, files[rel], 0o644); err != nil {
			return inputErr(err)
		}
		fmt.Fprintf(opts.s.Out, "wrote %s (%d bytes)\n", path, len(files[rel]))
	}
	if len(res.Fields) > 0 {
		fmt.Fprintf(opts.s.Out, "rules read: %s\n", strings.Join(res.Fields, ", "))
	}
	return nil
}
