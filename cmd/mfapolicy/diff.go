package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/mfapolicy/mfapolicy/diff"
	"github.com/mfapolicy/mfapolicy/internal/diag"
	"github.com/mfapolicy/mfapolicy/simulate"
)

type diffOptions struct {
	s *streams

	Base, Head     string
	Events         []string
	Format         string
	FailOn         string
	MaxChange      float64
	ShowPII        bool
	PIIKey         string
	Summary        string
	Examples       int
	Workers        int
	Timeout        time.Duration
	Strict         bool
	AssumeEnrolled []string
	EnabledFactors []string
}

func newDiffCmd(s *streams, runF func(*diffOptions) error) *cobra.Command {
	opts := &diffOptions{s: s}
	var assume, enabled string
	cmd := &cobra.Command{
		Use:   "diff BASE HEAD --events FILE...",
		Short: "Compare the decisions of two policies on recorded logins",
		Long: `Diff replays every recorded login through the compiled Actions of two
policies, reading each record once, and reports what changes: the
transition matrix (allow → challenge, ...), the rules responsible, the
users, applications and countries affected, example logins per change, and
how many changed decisions rest on missing data.

BASE and HEAD are policy files, or git:REF:PATH to read a policy from the
repository of the current directory (git show REF:PATH), for example
git:origin/main:policy.yaml.

A change is weakened when a login becomes less protected: a weaker outcome
(deny > challenge > enroll > allow) or a challenge whose weakest factor is
weaker (WebAuthn > push, OTP > phone, email > recovery code). A login that
went through and now fails (no usable factor) is locked out. See
docs/diff.md.

Markdown and GitHub annotations never show raw user ids or IP addresses:
user ids become keyed hashes (the key is random per report unless
--pii-key is given) and IPs their /24 or /48 network; --show-pii shows them.
Text and JSON, for your own terminal, show them.

Exit status: 0 when the check passes, 1 when it fails (--fail-on weakened,
the default: a weakened or locked-out login; any: any change; none: never;
--max-change PCT: more than PCT percent of logins change) or a policy has
errors, 2 on bad usage or unreadable input.`,
		Example: `  mfapolicy diff examples/policy.yaml examples/policy-v2.yaml --events examples/events.ndjson
  mfapolicy diff git:origin/main:policy.yaml policy.yaml --events logins.ndjson.gz --format markdown
  mfapolicy diff git:HEAD~1:policy.yaml policy.yaml --events logins.ndjson --format github --summary "$GITHUB_STEP_SUMMARY"`,
		Args: cobra.ExactArgs(2),
		RunE: func(_ *cobra.Command, args []string) error {
			opts.Base, opts.Head = args[0], args[1]
			if err := opts.validate(assume, enabled); err != nil {
				return err
			}
			return runF(opts)
		},
	}
	f := cmd.Flags()
	f.StringArrayVar(&opts.Events, "events", nil, "event file to replay (repeatable; - for standard input)")
	f.StringVar(&opts.Format, "format", "text", "report format: text, json, markdown or github (workflow annotations)")
	f.StringVar(&opts.FailOn, "fail-on", "weakened", "what fails the check: weakened, any or none")
	f.Float64Var(&opts.MaxChange, "max-change", -1, "also fail when more than this percentage of logins change decision")
	f.BoolVar(&opts.ShowPII, "show-pii", false, "show raw user ids and IP addresses in Markdown and annotations")
	f.StringVar(&opts.PIIKey, "pii-key", "", "key for the user id hashes (default: random per report)")
	f.StringVar(&opts.Summary, "summary", "", "also append the Markdown report to this file (for example $GITHUB_STEP_SUMMARY)")
	f.IntVar(&opts.Examples, "examples", 3, "example logins shown per transition")
	f.IntVar(&opts.Workers, "workers", 0, "JavaScript runtimes run in parallel (default: number of CPUs)")
	f.DurationVar(&opts.Timeout, "timeout", simulate.DefaultTimeout, "time limit of one login")
	f.BoolVar(&opts.Strict, "strict", false, "stop at the first malformed record")
	f.StringVar(&assume, "assume-enrolled", "all", "factors users are assumed to have enrolled when events do not say: all, none, or a list such as otp,phone")
	f.StringVar(&enabled, "enabled-factors", "all", "factors enabled on the tenant: all, or a list such as otp,push-notification")
	return cmd
}

func (o *diffOptions) validate(assume, enabled string) error {
	switch {
	case len(o.Events) == 0:
		return usageErr("diff needs at least one --events FILE (- for standard input)")
	case o.Format != "text" && o.Format != "json" && o.Format != "markdown" && o.Format != "github":
		return usageErr("--format must be text, json, markdown or github, not %q", o.Format)
	case o.FailOn != "weakened" && o.FailOn != "any" && o.FailOn != "none":
		return usageErr("--fail-on must be weakened, any or none, not %q", o.FailOn)
	case o.MaxChange > 100:
		return usageErr("--max-change is a percentage, at most 100")
	case o.Examples < 0 || o.Workers < 0:
		return usageErr("--examples and --workers must not be negative")
	case o.Timeout <= 0:
		return usageErr("--timeout must be positive")
	}
	stdin := 0
	for _, e := range o.Events {
		if e == "-" {
			stdin++
		}
	}
	if stdin > 1 {
		return usageErr("--events - may be given only once")
	}
	var err error
	if o.AssumeEnrolled, err = simulate.ParseFactorList(assume); err != nil {
		return usageErr("--assume-enrolled: %v", err)
	}
	if o.EnabledFactors, err = simulate.ParseFactorList(enabled); err != nil {
		return usageErr("--enabled-factors: %v", err)
	}
	return nil
}

func runDiff(opts *diffOptions) error {
	ctx := context.Background()
	base, err := loadDiffSide(ctx, opts, opts.Base)
	if err != nil {
		return err
	}
	head, err := loadDiffSide(ctx, opts, opts.Head)
	if err != nil {
		return err
	}
	var inputs []simulate.Input
	for _, e := range opts.Events {
		if e != "-" {
			if _, err := os.Stat(e); err != nil {
				return inputErr(fmt.Errorf("cannot read events: %w", err))
			}
		}
		inputs = append(inputs, simulate.FileInput(e, opts.s.In))
	}
	dopts := diff.Options{
		Inputs: inputs, Workers: opts.Workers, Timeout: opts.Timeout, Strict: opts.Strict,
		AssumeEnrolled: opts.AssumeEnrolled, EnabledFactors: opts.EnabledFactors,
		Examples: opts.Examples, FailOn: opts.FailOn, MaxChange: opts.MaxChange,
	}
	if opts.s.ErrTTY {
		bar := &progress{w: opts.s.Err, start: time.Now()}
		dopts.Progress = bar.update
		defer bar.clear()
	}
	rep, err := diff.Run(ctx, base, head, dopts)
	if err != nil {
		return inputErr(err)
	}
	private := rep
	if !opts.ShowPII {
		key := []byte(opts.PIIKey)
		if opts.PIIKey == "" {
			key = diff.NewKey()
		}
		private = rep.Redact(key)
	}
	if opts.Summary != "" {
		if err := appendMarkdown(opts.Summary, private); err != nil {
			return inputErr(err)
		}
	}
	switch opts.Format {
	case "json":
		err = diff.RenderJSON(opts.s.Out, rep)
	case "markdown":
		err = diff.RenderMarkdown(opts.s.Out, private)
	case "github":
		err = diff.RenderGitHub(opts.s.Out, private)
	default:
		err = diff.RenderText(opts.s.Out, rep)
	}
	if err != nil {
		return err
	}
	if !rep.Verdict.Pass {
		return errFindings
	}
	return nil
}

// loadDiffSide loads one policy; its errors are printed and exit 1, as
// check does; an unreadable file or a failed git show exits 2.
func loadDiffSide(ctx context.Context, opts *diffOptions, spec string) (*diff.Side, error) {
	side, err := diff.LoadSide(ctx, spec, "")
	if err == nil {
		return side, nil
	}
	var dl diag.List
	if errors.As(err, &dl) {
		dl.Print(opts.s.Err, 50)
		return nil, errFindings
	}
	return nil, inputErr(err)
}

func appendMarkdown(path string, rep *diff.Report) error {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return fmt.Errorf("cannot write the summary: %w", err)
	}
	if err := diff.RenderMarkdown(f, rep); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
