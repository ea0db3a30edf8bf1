package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/mfapolicy/mfapolicy/analyze"
	"github.com/mfapolicy/mfapolicy/diff"
	"github.com/mfapolicy/mfapolicy/internal/diag"
	"github.com/mfapolicy/mfapolicy/internal/mdtext"
	"github.com/mfapolicy/mfapolicy/report"
	"github.com/mfapolicy/mfapolicy/simulate"
	"github.com/mfapolicy/mfapolicy/simulate/input"
	"github.com/mfapolicy/mfapolicy/tenant"
)

type diffOptions struct {
	s *streams

	Base, Head     string
	Events         []string
	Format         string
	Output         string
	FailOn         string
	MaxChange      float64
	ShowPII        bool
	PIIKey         string
	Summary        string
	Examples       int
	Workers        int
	Timeout        time.Duration
	Strict         bool
	Limits         input.Limits
	AssumeEnrolled []string
	EnabledFactors []string
	Tenant         []string
	GeoIP          string
	Exhaustive     bool
	Exact          bool
	Now            clockFlag
	VerifyEvery    int
	profile        profileFlags
	// enabledGiven is set when --enabled-factors was given.
	enabledGiven bool
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

When a policy has a tenant: section, each side runs under its own enabled
factors and MFA policy (over the users' enrolments both share), so a change
of the section alone is previewed too: every changed decision is put on
its cause (rules, factors, mfa-policy), and each factor turned off lists
the logins and users it locks out, per application. --enabled-factors
applies to a side without a section.

Markdown, HTML and GitHub annotations never show raw user ids or IP addresses:
user ids become keyed hashes (the key is random per report unless
--pii-key is given) and IPs their /24 or /48 network; --show-pii shows them.
Text and JSON, for your own terminal, show them.

--exhaustive also compares the two policies over every possible login
(countries, risk confidences, applications, ... as mfapolicy analyze
explores them), with one example login per changed region confirmed by
both compiled Actions; with --events it says which changed regions your
traffic never reached. --exhaustive works without --events too.

Exit status: 0 when the check passes, 1 when it fails (--fail-on weakened,
the default: a weakened or locked-out login; any: any change; none: never;
--max-change PCT: more than PCT percent of logins change) or a policy has
errors, 2 on bad usage or unreadable input, 3 when a login replayed in the
JavaScript engine did not make the calls of its decision class (see
mfapolicy simulate --help; --exact runs every login in the engine).`,
		Example: `  mfapolicy diff examples/policy.yaml examples/policy-v2.yaml --events examples/events.ndjson
  mfapolicy diff git:origin/main:policy.yaml policy.yaml --events logins.ndjson.gz --format markdown
  mfapolicy diff git:origin/main:policy.yaml policy.yaml --events logins.ndjson.gz --geoip GeoLite2-City.mmdb --tenant tenant.json
  mfapolicy diff git:HEAD~1:policy.yaml policy.yaml --events logins.ndjson --format github --summary "$GITHUB_STEP_SUMMARY"
  mfapolicy diff examples/policy.yaml examples/policy-v2.yaml --events examples/events.ndjson --format html -o diff.html
  mfapolicy diff examples/policy.yaml examples/policy-v2.yaml --exhaustive
  mfapolicy diff git:origin/main:policy.yaml policy.yaml --events logins.ndjson --fail-on weakened   # e.g. phone removed from tenant: factors`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.enabledGiven = cmd.Flags().Changed("enabled-factors")
			opts.Base, opts.Head = args[0], args[1]
			if err := opts.validate(assume, enabled); err != nil {
				return err
			}
			return opts.profile.wrap(func() error { return runF(opts) })
		},
	}
	f := cmd.Flags()
	f.StringArrayVar(&opts.Events, "events", nil, "event file to replay (repeatable; - for standard input)")
	f.StringVar(&opts.Format, "format", "text", "report format: text, json, markdown, github (workflow annotations) or html (one self-contained page with charts)")
	f.StringVarP(&opts.Output, "output", "o", "", "write the report to this file instead of standard output")
	f.StringVar(&opts.FailOn, "fail-on", "weakened", "what fails the check: weakened, any or none")
	f.Float64Var(&opts.MaxChange, "max-change", -1, "also fail when more than this percentage of logins change decision")
	f.BoolVar(&opts.ShowPII, "show-pii", false, "show raw user ids and IP addresses in Markdown, HTML and annotations")
	f.StringVar(&opts.PIIKey, "pii-key", "", "key for the user id hashes (default: random per report)")
	f.StringVar(&opts.Summary, "summary", "", "also append the Markdown report to this file (for example $GITHUB_STEP_SUMMARY)")
	f.IntVar(&opts.Examples, "examples", 3, "example logins shown per transition")
	f.IntVar(&opts.Workers, "workers", 0, "JavaScript runtimes run in parallel (default: number of CPUs)")
	f.DurationVar(&opts.Timeout, "timeout", simulate.DefaultTimeout, "time limit of one login")
	f.BoolVar(&opts.Strict, "strict", false, "stop at the first malformed record")
	replayModeFlags(f, &opts.Exact, &opts.VerifyEvery)
	nowFlag(f, &opts.Now, "logins that record none (each login's clock starts at its recorded time: the log's date, else its latest authentication method)")
	limitFlags(f, &opts.Limits)
	f.StringVar(&assume, "assume-enrolled", "all", "factors users are assumed to have enrolled when events do not say: all, none, or a list such as otp,phone")
	f.StringVar(&enabled, "enabled-factors", "all", enabledFlagHelp)
	addTenantFlag(f, &opts.Tenant)
	addGeoIPFlag(f, &opts.GeoIP)
	f.BoolVar(&opts.Exhaustive, "exhaustive", false, "also compare the policies over every possible login (works without --events)")
	opts.profile.register(cmd)
	return cmd
}

func (o *diffOptions) validate(assume, enabled string) error {
	switch {
	case len(o.Events) == 0 && !o.Exhaustive:
		return usageErr("diff needs at least one --events FILE (- for standard input), or --exhaustive")
	case o.Exhaustive && (o.Format == "github" || o.Format == "html"):
		return usageErr("--exhaustive reports as text, json or markdown")
	case o.Exhaustive && o.Output != "":
		return usageErr("--exhaustive reports on standard output; --output is not supported with it")
	case o.Format != "text" && o.Format != "json" && o.Format != "markdown" && o.Format != "github" && o.Format != "html":
		return usageErr("--format must be text, json, markdown, github or html, not %q", o.Format)
	case o.FailOn != "weakened" && o.FailOn != "any" && o.FailOn != "none":
		return usageErr("--fail-on must be weakened, any or none, not %q", o.FailOn)
	case o.MaxChange > 100:
		return usageErr("--max-change is a percentage, at most 100")
	case o.Examples < 0 || o.Workers < 0:
		return usageErr("--examples and --workers must not be negative")
	case o.Timeout <= 0:
		return usageErr("--timeout must be positive")
	case o.VerifyEvery < 1:
		return usageErr("--verify-every must be at least 1 (1 verifies every login)")
	}
	if err := validateLimits(o.Limits); err != nil {
		return err
	}
	var err error
	o.AssumeEnrolled, o.EnabledFactors, err = replayFlags(o.Events, assume, enabled)
	return err
}

func runDiff(opts *diffOptions) error {
	ctx := opts.s.context()
	base, err := loadDiffSide(ctx, opts, opts.Base)
	if err != nil {
		return err
	}
	head, err := loadDiffSide(ctx, opts, opts.Head)
	if err != nil {
		return err
	}
	var exhaustive *analyze.DiffReport
	if opts.Exhaustive {
		if exhaustive, err = exhaustiveDiff(base, head, opts); err != nil {
			return err
		}
		if len(opts.Events) == 0 {
			return renderExhaustive(opts, nil, exhaustive)
		}
	}
	inputs, err := eventInputs(opts.s, opts.Events)
	if err != nil {
		return err
	}
	bt, ht, split, err := diffTenants(opts, base, head)
	if err != nil {
		return err
	}
	geo, err := openGeoIP(opts.GeoIP)
	if err != nil {
		return err
	}
	defer geo.Close()
	enabled := opts.EnabledFactors
	if !opts.enabledGiven {
		enabled = nil // every factor, as the simulator's default; the report says so
	}
	dopts := diff.Options{
		Inputs: inputs, Workers: opts.Workers, Timeout: opts.Timeout, Strict: opts.Strict, Limits: opts.Limits,
		AssumeEnrolled: opts.AssumeEnrolled, EnabledFactors: enabled, Tenant: bt, HeadTenant: ht, SplitTenant: split, GeoIP: geo,
		Examples: opts.Examples, FailOn: opts.FailOn, MaxChange: opts.MaxChange,
		Exact: opts.Exact, VerifyEvery: opts.VerifyEvery, Now: opts.Now.given(), OnClassesOff: collectForEngine,
	}
	bar := newProgress(opts.s, "diffing")
	dopts.Progress = bar.update
	defer bar.clear()
	var read int64
	progress := dopts.Progress
	dopts.Progress = func(n int64) {
		read = n
		if progress != nil {
			progress(n)
		}
	}
	// A policy that reads `now` has its logins run in goja, each at its
	// own time (internal/classify), as --exact does.
	collectForReplay(opts.Exact || readsNow(base) || readsNow(head))
	rep, err := diff.Run(ctx, base, head, dopts)
	if err := interrupted(ctx, fmt.Sprintf("about %d records read; the run is incomplete and no report was written", read)); err != nil {
		return err
	}
	if err != nil {
		return replayErr(err)
	}
	if rep.Replayed == 0 && rep.Malformed > 0 && rep.Malformed == rep.Read {
		return usageErr("no login could be read from the events: all %d records are malformed (mfapolicy simulate lists them)", rep.Malformed)
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
	if exhaustive != nil {
		if opts.Format == "markdown" {
			rep = private
		}
		return renderExhaustive(opts, rep, exhaustive)
	}
	if err := writeReport(opts, func(w io.Writer) error {
		switch opts.Format {
		case "json":
			return diff.RenderJSON(w, rep)
		case "markdown":
			return diff.RenderMarkdown(w, private)
		case "github":
			return diff.RenderGitHub(w, private)
		case "html":
			return report.Diff(w, private)
		}
		return diff.RenderText(w, rep)
	}); err != nil {
		return err
	}
	if !rep.Verdict.Pass {
		return errFindings
	}
	return nil
}

// diffTenants gives each side the tenant context its policy's tenant:
// section makes of the shared --tenant context; split is false when
// neither policy has a section (both then share bt, as before). --enabled-factors
// stands for the tenant of a side without a section: it is refused only
// when both have one, since it would then describe neither.
func diffTenants(opts *diffOptions, base, head *diff.Side) (bt, ht *simulate.Tenant, split bool, err error) {
	tctx, tf, err := loadTenant(opts.s.Err, opts.Tenant)
	if err != nil {
		return nil, nil, false, err
	}
	hasSection := func(s *diff.Side) bool { return s.Policy != nil && s.Policy.Tenant != nil }
	if !hasSection(base) && !hasSection(head) {
		return tctx, nil, false, nil
	}
	both := hasSection(base) && hasSection(head) && opts.enabledGiven
	if bt, err = sideTenant(opts, base, tctx, tf, both); err != nil {
		return nil, nil, false, err
	}
	if ht, err = sideTenant(opts, head, tctx, tf, both); err != nil {
		return nil, nil, false, err
	}
	return bt, ht, true, nil
}

func sideTenant(opts *diffOptions, s *diff.Side, tctx *simulate.Tenant, tf *tenant.File, refuse bool) (*simulate.Tenant, error) {
	if s.Policy == nil {
		return tctx, nil
	}
	return policyTenant(opts.s.Err, s.Policy, tctx, tf, refuse)
}

// writeReport renders the report to --output, else to standard output.
func writeReport(opts *diffOptions, render func(io.Writer) error) error {
	if opts.Output == "" {
		return render(opts.s.Out)
	}
	f, err := createAtomic(opts.Output)
	if err != nil {
		return inputErr(fmt.Errorf("cannot write the report: %w", err))
	}
	if err := render(f); err != nil {
		f.Abort()
		return inputErr(fmt.Errorf("cannot write the report to %s: %w; %s was left as it was", opts.Output, err, opts.Output))
	}
	if err := f.Commit(); err != nil {
		return inputErr(fmt.Errorf("cannot write the report to %s: %w; %s was left as it was", opts.Output, err, opts.Output))
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

// exhaustiveDiff compares the policies over every possible login, confirms
// each example login with both compiled Actions, and counts how many
// recorded logins (from event files, not standard input) fall in each
// changed region.
func exhaustiveDiff(base, head *diff.Side, opts *diffOptions) (*analyze.DiffReport, error) {
	rep, err := analyze.Diff(base.Policy, head.Policy)
	if err != nil {
		return nil, inputErr(err)
	}
	if err := confirmDiff(rep, base.Policy, head.Policy, base.Code.Code, head.Code.Code); err != nil {
		return nil, err
	}
	if len(opts.Events) == 0 || len(rep.Changes) == 0 {
		return rep, nil
	}
	seen := make([]int64, len(rep.Changes))
	for _, e := range opts.Events {
		if e == "-" {
			return rep, nil // standard input cannot be read twice
		}
		if err := countInRegions(e, rep.Changes, seen); err != nil {
			return nil, inputErr(err)
		}
	}
	for i := range rep.Changes {
		rep.Changes[i].Seen = &seen[i]
	}
	return rep, nil
}

func countInRegions(path string, changes []analyze.Change, seen []int64) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("cannot read events: %w", err)
	}
	defer f.Close()
	rd := input.NewReader(path, f)
	for {
		it, err := rd.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if it.Kind != input.ItemEvent {
			continue
		}
		var ev map[string]any
		if json.Unmarshal(it.Event.JSON, &ev) != nil {
			continue
		}
		for i, c := range changes {
			if c.Contains(ev) {
				seen[i]++
			}
		}
	}
}

// exhaustiveReport is the JSON of diff --exhaustive: the recorded-traffic
// report (absent without --events) and the every-login report.
type exhaustiveReport struct {
	Events     *diff.Report        `json:"events,omitempty"`
	Exhaustive *analyze.DiffReport `json:"exhaustive"`
}

func renderExhaustive(opts *diffOptions, rep *diff.Report, ex *analyze.DiffReport) error {
	var err error
	switch opts.Format {
	case "json":
		err = writeJSON(opts.s.Out, exhaustiveReport{Events: rep, Exhaustive: ex})
	case "markdown":
		if rep != nil {
			if err = diff.RenderMarkdown(opts.s.Out, rep); err != nil {
				return err
			}
		}
		// The regions name applications and roles from the policies: a
		// fence longer than any of their backquote runs keeps them code.
		var text strings.Builder
		if err = analyze.RenderDiffText(&text, ex); err == nil {
			_, err = fmt.Fprintf(opts.s.Out, "\n### Every possible login\n\n%s", mdtext.CodeBlock(text.String()))
		}
	default:
		if rep != nil {
			if err = diff.RenderText(opts.s.Out, rep); err != nil {
				return err
			}
			fmt.Fprintf(opts.s.Out, "\nEvery possible login:\n")
		}
		err = analyze.RenderDiffText(opts.s.Out, ex)
	}
	if err != nil {
		return err
	}
	failed := opts.FailOn == "weakened" && ex.Weakened > 0 || opts.FailOn == "any" && len(ex.Changes) > 0
	if failed || (rep != nil && !rep.Verdict.Pass) || len(ex.Simulation.Disagreements) > 0 {
		return errFindings
	}
	return nil
}

// readsNow tells whether a side is a policy that reads `now`.
func readsNow(s *diff.Side) bool {
	return s.Policy != nil && s.Policy.ReadsNow()
}
