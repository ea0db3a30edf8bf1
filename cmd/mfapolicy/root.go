package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/mfapolicy/mfapolicy/internal/buildinfo"
	"github.com/mfapolicy/mfapolicy/simulate"
)

// Exit codes, as DESIGN promises scripts: 0 ok, 1 a finding, 2 bad usage or
// unreadable input; 3 a replay whose decision classes and goja disagreed
// (a fidelity bug in mfapolicy, never a finding about the policy).
const (
	exitOK       = 0
	exitFinding  = 1
	exitUsage    = 2
	exitFidelity = 3
)

// exitError carries an exit code out of a cobra RunE. A command that has
// already printed its findings returns errFindings.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return ""
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// usageErr reports bad usage or unreadable input (exit 2).
func usageErr(format string, args ...any) error {
	return &exitError{code: exitUsage, err: fmt.Errorf(format, args...)}
}

// inputErr wraps an error reading input (exit 2).
func inputErr(err error) error { return &exitError{code: exitUsage, err: err} }

// replayErr wraps an error of a replay: exit 3 for a divergence between
// the decision classes and goja, else exit 2 (a broken Action, an
// unreadable file, a failed write or, with --strict, a malformed record).
func replayErr(err error) error {
	var de *simulate.DivergenceError
	if errors.As(err, &de) {
		return &exitError{code: exitFidelity, err: err}
	}
	return inputErr(err)
}

// errFindings says the findings were printed already (exit 1).
var errFindings = &exitError{code: exitFinding}

func newRootCmd(s *streams) *cobra.Command {
	root := &cobra.Command{
		Use:   "mfapolicy",
		Short: "Type-check, compile and simulate adaptive-MFA policies for Auth0",
		Long: `mfapolicy turns adaptive-MFA rules written in CEL into an Auth0 post-login
Action, and replays recorded logins through that exact Action to show who
would be challenged, enrolled, denied or let through before it is deployed.`,
		Example: `  mfapolicy check examples/policy.yaml
  mfapolicy compile examples/policy.yaml -o out
  mfapolicy simulate examples/policy.yaml --events examples/events.ndjson`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetIn(s.In)
	root.SetOut(s.Out)
	root.SetErr(s.Err)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return &exitError{code: exitUsage, err: err}
	})
	root.AddCommand(
		newCheckCmd(s, runCheck),
		newCompileCmd(s, runCompile),
		newSimulateCmd(s, runSimulate),
		newDeployCmd(s, runDeploy),
		newTestCmd(s, runTest),
		newDiffCmd(s, runDiff),
		newExplainCmd(s, runExplain),
		newAnalyzeCmd(s, runAnalyze),
		newTenantCmd(s, runTenantPull, runTenantDiff),
		newLogsCmd(s, runLogsPull),
		newSchemaCmd(s, runSchema),
		newVersionCmd(s, runVersion),
	)
	// --version prints what the version command prints.
	root.Version = buildinfo.Read().Text()
	root.SetVersionTemplate("{{.Version}}")
	return root
}

// run executes the command line args and returns the process exit code.
func run(args []string, s *streams) int {
	ctx, stop := signalContext()
	defer stop()
	out := &watchedWriter{w: s.Out}
	ws := *s
	ws.Out, ws.ctx = out, ctx
	root := newRootCmd(&ws)
	root.SetArgs(args)
	err := root.Execute()
	if oerr := out.outputError(); oerr != nil {
		fmt.Fprintf(s.Err, "mfapolicy: %v\n", oerr)
		return exitUsage
	}
	if err == nil {
		return exitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintf(s.Err, "mfapolicy: %v\n", ee.err)
		}
		return ee.code
	}
	// cobra's own errors (unknown command, bad arguments) are usage errors.
	fmt.Fprintf(s.Err, "mfapolicy: %v\n", err)
	return exitUsage
}
