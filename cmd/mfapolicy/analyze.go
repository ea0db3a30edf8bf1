package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/mfapolicy/mfapolicy/analyze"
	"github.com/mfapolicy/mfapolicy/compile"
	"github.com/mfapolicy/mfapolicy/policy"
	"github.com/mfapolicy/mfapolicy/simulate"
	"github.com/mfapolicy/mfapolicy/simulate/input"
)

type analyzeOptions struct {
	s *streams

	Policy  string
	Against string
	Format  string
	FailOn  string
}

func newAnalyzeCmd(s *streams, runF func(*analyzeOptions) error) *cobra.Command {
	opts := &analyzeOptions{s: s}
	cmd := &cobra.Command{
		Use:   "analyze POLICY [--against BASE]",
		Short: "Find dead rules and the decision for every possible login, without events",
		Long: `Analyze explores every login the policy can see, with no recorded events:
each country (and none), each risk confidence (and none), the applications,
connections, roles and thresholds the rules name, the CIDR ranges they test,
and whether geoip or the risk assessment is there at all. Conditions it
cannot decide exactly (a regular expression, a metadata value) are treated
symbolically, so the analysis never calls a rule dead that a login reaches.

It reports the rules that can never decide (shadowed by earlier rules, with
their names, or never true), the rules reached only when data is missing,
and the decision of every region of the login space. Every region and
finding comes with an example login, checked with the reference evaluator
and replayed through the compiled Action.

With --against BASE it compares the decisions of BASE and POLICY on every
possible login instead, and reports each region whose decision changes,
weakened, tightened or lateral as mfapolicy diff classifies changes.

Exit status: 0 when nothing is found, 1 when a rule is dead (or, with
--against, when --fail-on is met: weakened by default, any, or none), when
an example is decided differently by the compiled Action, or when a policy
has errors; 2 on bad usage or unreadable input.`,
		Example: `  mfapolicy analyze examples/policy.yaml
  mfapolicy analyze examples/analyze/shadowed.yaml --format json
  mfapolicy analyze policy.yaml --against git-main-policy.yaml`,
		Args: cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			opts.Policy = args[0]
			switch {
			case opts.Format != "text" && opts.Format != "json":
				return usageErr("--format must be text or json, not %q", opts.Format)
			case opts.FailOn != "weakened" && opts.FailOn != "any" && opts.FailOn != "none":
				return usageErr("--fail-on must be weakened, any or none, not %q", opts.FailOn)
			}
			return runF(opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Against, "against", "", "compare with this base policy over every possible login")
	f.StringVar(&opts.Format, "format", "text", "output format: text or json")
	f.StringVar(&opts.FailOn, "fail-on", "weakened", "with --against, exit 1 on: weakened, any (change) or none")
	return cmd
}

func runAnalyze(opts *analyzeOptions) error {
	p, err := loadChecked(opts.s, opts.Policy)
	if err != nil {
		return err
	}
	if opts.Against != "" {
		return runAnalyzeDiff(opts, p)
	}
	rep, err := analyze.Analyze(p)
	if err != nil {
		return inputErr(fmt.Errorf("%s: %w", opts.Policy, err))
	}
	res, err := compileChecked(opts.s, p, compile.Options{})
	if err != nil {
		return err
	}
	if rep.Simulation, err = replay(p, res.Code, rep.Examples(), false); err != nil {
		return err
	}
	if opts.Format == "json" {
		err = analyze.RenderJSON(opts.s.Out, rep)
	} else {
		err = analyze.RenderText(opts.s.Out, rep)
	}
	if err != nil {
		return err
	}
	if rep.Dead > 0 || len(rep.Simulation.Disagreements) > 0 {
		return errFindings
	}
	return nil
}

func runAnalyzeDiff(opts *analyzeOptions, head *policy.Policy) error {
	base, err := loadChecked(opts.s, opts.Against)
	if err != nil {
		return err
	}
	rep, err := analyze.Diff(base, head)
	if err != nil {
		return inputErr(err)
	}
	baseRes, err := compileChecked(opts.s, base, compile.Options{})
	if err != nil {
		return err
	}
	headRes, err := compileChecked(opts.s, head, compile.Options{})
	if err != nil {
		return err
	}
	if err := confirmDiff(rep, base, head, baseRes.Code, headRes.Code); err != nil {
		return err
	}
	if opts.Format == "json" {
		err = analyze.RenderDiffJSON(opts.s.Out, rep)
	} else {
		err = analyze.RenderDiffText(opts.s.Out, rep)
	}
	if err != nil {
		return err
	}
	failed := opts.FailOn == "weakened" && rep.Weakened > 0 || opts.FailOn == "any" && len(rep.Changes) > 0
	if failed || len(rep.Simulation.Disagreements) > 0 {
		return errFindings
	}
	return nil
}

// replay runs the example logins through the policy compiled as it would
// be deployed, and checks that each is decided by the rule the analysis
// names (in the base policy when base is set).
func replay(p *policy.Policy, code []byte, exs []analyze.Example, base bool) (*analyze.Simulation, error) {
	sim := &analyze.Simulation{Examples: len(exs)}
	if len(exs) == 0 {
		return sim, nil
	}
	var buf bytes.Buffer
	for _, ex := range exs {
		line, err := json.Marshal(ex.Event)
		if err != nil {
			return nil, err
		}
		buf.Write(append(line, '\n'))
	}
	var got []simulate.Decision
	_, err := simulate.Run(context.Background(), simulate.Options{
		Code: code, CodeName: p.File, Workers: 1,
		// An example without enrolledFactors has none, as the policy reads
		// it; the simulator's default assumption (all) is for tenant logs.
		AssumeEnrolled: []string{},
		Inputs:         []input.Input{input.ReaderInput("examples", &buf)},
		OnDecision:     func(d simulate.Decision) error { got = append(got, d); return nil },
	})
	if err != nil {
		return nil, fmt.Errorf("replaying the examples of %s: %w", p.File, err)
	}
	for i, ex := range exs {
		want := ex.Decision
		if base {
			want = *ex.Base
		}
		if i < len(got) && got[i].Rule == want.Rule && (got[i].Error != "") == want.OnError {
			sim.Agreed++
			continue
		}
		d := simulate.Decision{}
		if i < len(got) {
			d = got[i]
		}
		sim.Disagreements = append(sim.Disagreements, fmt.Sprintf("%s: %s: the compiled Action decided by rule %q (%s %s), the analysis by %q",
			p.File, ex.What, d.Rule, d.Outcome, d.Error, want.Rule))
	}
	return sim, nil
}

// confirmDiff replays the example logins of a diff over every possible
// login through both compiled Actions: each must be decided as stated.
func confirmDiff(rep *analyze.DiffReport, base, head *policy.Policy, baseCode, headCode []byte) error {
	exs := rep.Examples()
	sb, err := replay(base, baseCode, exs, true)
	if err != nil {
		return err
	}
	sh, err := replay(head, headCode, exs, false)
	if err != nil {
		return err
	}
	rep.Simulation = &analyze.Simulation{Examples: sh.Examples, Agreed: min(sb.Agreed, sh.Agreed),
		Disagreements: append(sb.Disagreements, sh.Disagreements...)}
	return nil
}
