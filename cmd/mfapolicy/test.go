package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"time"

	"github.com/spf13/cobra"

	"github.com/mfapolicy/mfapolicy/policytest"
	"github.com/mfapolicy/mfapolicy/simulate"
)

type testOptions struct {
	s *streams

	Files   []string
	Format  string
	Run     string
	Verbose bool
	Timeout time.Duration
	Tenant  []string

	filter *regexp.Regexp
}

func newTestCmd(s *streams, runF func(*testOptions) error) *cobra.Command {
	opts := &testOptions{s: s}
	cmd := &cobra.Command{
		Use:   "test TESTFILE|DIR...",
		Short: "Run policy unit tests: partial events and the decisions they must get",
		Long: `Test runs YAML test files. Each names a policy (relative to the test file)
and lists cases: a partial post-login event, laid over the file's base
event, and the decision it must get (outcome, and optionally factors, rule
and reason). Every case runs through the compiled Action in the simulator,
exactly as simulate replays logins, and through the reference evaluator
(cel-go); a case whose two evaluations disagree fails on its own. A
directory runs every *_test.yaml file in it.

The report shows each failing case with its decision as a diff (-want
+got), and which rules no case reaches. See docs/testing.md.

Exit status: 0 when every case passes, 1 when one fails or a policy has
errors, 2 when a test file cannot be read or is malformed.`,
		Example: `  mfapolicy test examples/tests/policy_test.yaml
  mfapolicy test tests/ --run 'admin' -v
  mfapolicy test tests/ --format junit > junit.xml`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			opts.Files = args
			if err := opts.validate(); err != nil {
				return err
			}
			return runF(opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Format, "format", "text", "output format: text, json or junit")
	f.StringVar(&opts.Run, "run", "", "run only the cases whose name matches this regular expression")
	f.BoolVarP(&opts.Verbose, "verbose", "v", false, "list passing cases too (text format)")
	f.DurationVar(&opts.Timeout, "timeout", simulate.DefaultTimeout, "time limit of one case in the simulator")
	addTenantFlag(f, &opts.Tenant)
	return cmd
}

func (o *testOptions) validate() error {
	switch o.Format {
	case "text", "json", "junit":
	default:
		return usageErr("--format must be text, json or junit, not %q", o.Format)
	}
	if o.Timeout <= 0 {
		return usageErr("--timeout must be positive")
	}
	if o.Run != "" {
		re, err := regexp.Compile(o.Run)
		if err != nil {
			return usageErr("--run: %v", err)
		}
		o.filter = re
	}
	return nil
}

func runTest(opts *testOptions) error {
	files, err := testFiles(opts.Files)
	if err != nil {
		return err
	}
	tctx, tf, err := loadTenant(opts.s.Err, opts.Tenant)
	if err != nil {
		return err
	}
	ctx := opts.s.context()
	rep := policytest.Run(ctx, files, policytest.Options{Filter: opts.filter, Timeout: opts.Timeout, Tenant: tctx, TenantFile: tf})
	if err := interrupted(ctx, fmt.Sprintf("%d passed and %d failed cases; the run is incomplete and no report was printed", rep.Passed, rep.Failed)); err != nil {
		return err
	}
	switch opts.Format {
	case "json":
		err = policytest.RenderJSON(opts.s.Out, rep)
	case "junit":
		err = policytest.RenderJUnit(opts.s.Out, rep)
	default:
		err = policytest.RenderText(opts.s.Out, rep, opts.Verbose)
	}
	if err != nil {
		return err
	}
	switch {
	case rep.BadFiles > 0:
		return &exitError{code: exitUsage}
	case rep.Failed > 0 || rep.BadPolicies > 0:
		return errFindings
	}
	return nil
}

// testFiles expands directories into their *_test.yaml files, sorted.
func testFiles(args []string) ([]string, error) {
	var out []string
	for _, a := range args {
		info, err := os.Stat(a)
		if err != nil || !info.IsDir() {
			out = append(out, a) // a missing file is reported in the run
			continue
		}
		matches, err := filepath.Glob(filepath.Join(a, "*_test.yaml"))
		if err != nil {
			return nil, inputErr(err)
		}
		if len(matches) == 0 {
			return nil, usageErr("%s: no *_test.yaml files in the directory", a)
		}
		sort.Strings(matches)
		out = append(out, matches...)
	}
	return out, nil
}
