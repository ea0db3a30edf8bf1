package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/mfapolicy/mfapolicy/compile"
	"github.com/mfapolicy/mfapolicy/deploy"
	"github.com/mfapolicy/mfapolicy/tenant"
)

type deployOptions struct {
	s *streams

	Policy       string
	Code         string
	Name         string
	Runtime      string
	Position     deploy.Position
	DryRun       bool
	Format       string
	BuildTimeout time.Duration
	Creds        deploy.Credentials
}

// deployEnv names the environment variables deploy reads, as Auth0's own
// tools (auth0-deploy-cli, the Terraform provider) name them.
var deployEnv = struct{ domain, clientID, clientSecret, accessToken string }{
	"AUTH0_DOMAIN", "AUTH0_CLIENT_ID", "AUTH0_CLIENT_SECRET", "AUTH0_ACCESS_TOKEN",
}

func newDeployCmd(s *streams, runF func(*deployOptions) error) *cobra.Command {
	opts := &deployOptions{s: s}
	var position string
	var flagCreds deploy.Credentials
	cmd := &cobra.Command{
		Use:   "deploy [POLICY]",
		Short: "Create or update the Action on an Auth0 tenant, deploy it and bind it to post-login",
		Long: `Deploy compiles the policy and ships the Action to an Auth0 tenant through
the Management API:

  1. creates the Action if none has the policy's name, or updates its code,
     runtime and trigger (post-login v3) when they differ;
  2. waits until Auth0 has built it, then deploys it as a new version;
  3. binds it to the post-login trigger at --position, keeping every other
     Action's binding and their order, and reads everything back to verify.

When the policy has a tenant: section, deploy also makes the tenant's MFA
configuration match it, changing only what differs, in an order that never
leaves the tenant worse than both the old and the new configuration:
factors the section enables (and widened phone message types) before the
Action changes; narrowed message types and factors it disables once the
new Action is live; the MFA policy last. A policy without the section
makes no Guardian call at all.

Running the same deploy again changes nothing and says "up to date".
--dry-run prints the plan (create or update, a diff of code.js against the
deployed version, the bindings before and after, and the MFA changes in
order with a diff of the live tenant against the tenant: section) and
changes nothing. 'mfapolicy tenant diff POLICY' prints that MFA drift alone.
--code deploys a code.js that was compiled (and simulated) earlier,
byte for byte, under --name.

--position: first, last, or after:NAME (after the Action named NAME).
Without it, an Action already bound keeps its place and a new binding goes
last. Auth0 runs post-login Actions in order, and a challenge holds back
the Actions after it until the user passes it.

Credentials, from the environment or flags (flags win):
  AUTH0_DOMAIN          tenant domain, e.g. example.eu.auth0.com   (--domain)
  AUTH0_CLIENT_ID       machine-to-machine application             (--client-id)
  AUTH0_CLIENT_SECRET   its secret                                 (--client-secret)
  AUTH0_ACCESS_TOKEN    or a Management API token instead          (--access-token)
Prefer the environment for secrets: flags show in the process list.
Secrets are never printed.

The application needs these scopes of the Auth0 Management API
(Applications > APIs > Auth0 Management API > Machine To Machine Applications):
  read:actions     find the Action, read its versions and the bindings
  create:actions   create the Action and deploy versions
  update:actions   update the Action and write the post-login bindings
and, for a policy with a tenant: section:
  read:guardian_factors, update:guardian_factors   factors, message types
  read:mfa_policies, update:mfa_policies           the MFA policy
A missing scope is named in the error.

Rate limits (429) are retried, waiting as Retry-After or X-RateLimit-Reset
says. If a deploy stops part-way, the error says what state the tenant is
in (for example: code updated but not deployed) and, with a tenant:
section, which steps were done and which were not; running it again
finishes the job.

Exit status: 0 deployed, up to date, or plan printed; 1 the policy has
errors or the deploy failed; 2 bad usage, missing credentials or
unreadable input.`,
		Example: `  export AUTH0_DOMAIN=example.eu.auth0.com
  export AUTH0_CLIENT_ID=... AUTH0_CLIENT_SECRET=...

  # What would change (the Action, its binding, the MFA configuration)?
  mfapolicy deploy policy.yaml --dry-run

  # Deploy, running first in the post-login flow
  mfapolicy deploy policy.yaml --position first

  # Deploy the code.js that CI compiled and simulated, after another Action
  mfapolicy deploy --code out/code.js --name adaptive-mfa --position after:rate-limit

  # Machine-readable plan
  mfapolicy deploy policy.yaml --dry-run --format json`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.Policy = args[0]
			}
			if err := opts.validate(position); err != nil {
				return err
			}
			var err error
			if opts.Creds, err = checkedCredentials(flagCreds); err != nil {
				return err
			}
			return runF(opts)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&opts.DryRun, "dry-run", false, "print the plan and change nothing")
	f.StringVar(&position, "position", "", "where to bind: first, last or after:NAME (default: keep the current place; new bindings go last)")
	f.StringVar(&opts.Format, "format", "text", "output format: text or json")
	f.StringVar(&opts.Code, "code", "", "deploy this code.js instead of compiling a policy (needs --name)")
	f.StringVar(&opts.Name, "name", "", "Action name with --code")
	f.StringVar(&opts.Runtime, "runtime", "node22", "Node.js runtime with --code")
	f.DurationVar(&opts.BuildTimeout, "build-timeout", 2*time.Minute, "longest wait for Auth0 to build the Action")
	credentialFlags(f, &flagCreds)
	return cmd
}

func (o *deployOptions) validate(position string) error {
	switch {
	case o.Policy != "" && o.Code != "":
		return usageErr("give a POLICY or --code, not both")
	case o.Policy == "" && o.Code == "":
		return usageErr("deploy needs a POLICY, or --code FILE.js with --name NAME")
	case o.Code != "" && o.Name == "":
		return usageErr("--code needs --name: the Action's name on the tenant")
	case o.Format != "text" && o.Format != "json":
		return usageErr("--format must be text or json, not %q", o.Format)
	case o.BuildTimeout <= 0:
		return usageErr("--build-timeout must be positive")
	}
	pos, err := deploy.ParsePosition(position)
	if err != nil {
		return usageErr("--position: %v", err)
	}
	o.Position = pos
	return nil
}

// credentialFlags registers the flags that override the credentials in
// the environment, for every command that calls the Management API.
func credentialFlags(f *pflag.FlagSet, c *deploy.Credentials) {
	f.StringVar(&c.Domain, "domain", "", "tenant domain (default $AUTH0_DOMAIN)")
	f.StringVar(&c.ClientID, "client-id", "", "client id (default $AUTH0_CLIENT_ID)")
	f.StringVar(&c.ClientSecret, "client-secret", "", "client secret (default $AUTH0_CLIENT_SECRET)")
	f.StringVar(&c.AccessToken, "access-token", "", "Management API token (default $AUTH0_ACCESS_TOKEN)")
}

// checkedCredentials resolves the credentials of a Management API command
// (credentials) and reports missing or contradictory ones as bad usage.
func checkedCredentials(flags deploy.Credentials) (deploy.Credentials, error) {
	c := credentials(flags)
	if err := c.Validate(); err != nil {
		return c, usageErr("%v", err)
	}
	return c, nil
}

// credentials fills each credential from its flag, or else from the
// environment. An access token given by flag wins over client
// credentials from the environment, and the other way round.
func credentials(flags deploy.Credentials) deploy.Credentials {
	pick := func(flag, env string) string {
		if flag != "" {
			return flag
		}
		return os.Getenv(env)
	}
	c := deploy.Credentials{
		Domain:       pick(flags.Domain, deployEnv.domain),
		ClientID:     pick(flags.ClientID, deployEnv.clientID),
		ClientSecret: pick(flags.ClientSecret, deployEnv.clientSecret),
		AccessToken:  pick(flags.AccessToken, deployEnv.accessToken),
	}
	switch {
	case flags.AccessToken != "":
		c.ClientID, c.ClientSecret = "", ""
	case flags.ClientID != "" || flags.ClientSecret != "":
		c.AccessToken = ""
	}
	return c
}

// deployReport is the JSON output of deploy. Plan and Result are the
// deploy package's stable types; Error is set when the deploy failed.
type deployReport struct {
	Domain   string         `json:"domain"`
	DryRun   bool           `json:"dry_run"`
	UpToDate bool           `json:"up_to_date"`
	Plan     *deploy.Plan   `json:"plan"`
	Result   *deploy.Result `json:"result"`
	Error    *reportError   `json:"error"`
}

type reportError struct {
	Message string `json:"message"`
	Step    string `json:"step,omitempty"`
	State   string `json:"state,omitempty"`
	Status  int    `json:"status,omitempty"`
	// Done and Left name the steps done and not done, for a deploy that
	// also changes the tenant's MFA configuration.
	Done []string `json:"done,omitempty"`
	Left []string `json:"left,omitempty"`
}

func runDeploy(opts *deployOptions) error {
	action, mfa, err := opts.action()
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	m, err := deploy.NewClient(ctx, opts.Creds, deploy.ClientOptions{OnRetry: opts.retried, UserAgent: "mfapolicy"})
	if err != nil {
		return usageErr("%v", err)
	}
	rep := &deployReport{Domain: opts.Creds.Domain, DryRun: opts.DryRun}
	rep.Plan, err = deploy.MakePlan(ctx, m, action, deploy.Options{
		Position: opts.Position,
		Build:    deploy.Backoff{Timeout: opts.BuildTimeout},
		Tenant:   mfa,
	})
	if err == nil && !opts.DryRun {
		rep.Result, err = deploy.Apply(ctx, m, rep.Plan, opts.progress)
	}
	if rep.Plan != nil {
		rep.UpToDate = rep.Plan.UpToDate
	}
	if err != nil {
		rep.Error = failure(err)
	}
	if werr := opts.render(rep); werr != nil {
		return werr
	}
	return deployExit(err)
}

// action compiles the policy, or reads --code, and returns the policy's
// tenant: section (nil without one, and with --code).
func (o *deployOptions) action() (deploy.Action, *tenant.Config, error) {
	if o.Code != "" {
		code, err := os.ReadFile(o.Code)
		if err != nil {
			return deploy.Action{}, nil, inputErr(fmt.Errorf("--code: %w", unwrapPath(err)))
		}
		return deploy.Action{Name: o.Name, Code: code, Runtime: o.Runtime}, nil, nil
	}
	p, err := loadChecked(o.s, o.Policy)
	if err != nil {
		return deploy.Action{}, nil, err
	}
	res, err := compileChecked(o.s, p, compile.Options{})
	if err != nil {
		return deploy.Action{}, nil, err
	}
	return deploy.Action{Name: p.Name, Code: res.Code, Runtime: p.Runtime}, tenant.ConfigOf(p.Tenant), nil
}

func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %w", pe.Path, pe.Err)
	}
	return err
}

// deployExit maps a deploy error to the exit status: API failures and
// failures part-way are 1, a plan the tenant cannot satisfy as asked
// (for example after:NAME with no such binding) is bad usage, 2.
func deployExit(err error) error {
	if err == nil {
		return nil
	}
	var de *deploy.Error
	var ae *deploy.APIError
	if errors.As(err, &de) || errors.As(err, &ae) || errors.Is(err, context.Canceled) {
		return &exitError{code: exitFinding, err: err}
	}
	return &exitError{code: exitUsage, err: err}
}

func failure(err error) *reportError {
	e := &reportError{Message: err.Error(), Status: deploy.HTTPStatus(err)}
	var de *deploy.Error
	if errors.As(err, &de) {
		e.Message, e.Step, e.State, e.Done, e.Left = de.Err.Error(), string(de.Step), de.State, de.Done, de.Left
	}
	return e
}

// progress draws Apply's steps on a terminal only.
func (o *deployOptions) progress(s deploy.Step) {
	if o.s.ErrTTY {
		fmt.Fprintf(o.s.Err, "  %s\n", s.Message)
	}
}

func (o *deployOptions) retried(r deploy.Retry) {
	if o.s.ErrTTY {
		fmt.Fprintf(o.s.Err, "  %s %s: %d, retrying in %s\n", r.Method, r.Path, r.Status, r.Wait)
	}
}

func (o *deployOptions) render(rep *deployReport) error {
	if o.Format == "json" {
		return writeJSON(o.s.Out, rep)
	}
	printDeployText(o.s.Out, rep)
	return nil
}

func printDeployText(w io.Writer, rep *deployReport) {
	p := rep.Plan
	if p == nil {
		return // the error alone, on standard error
	}
	switch {
	case p.UpToDate && p.Tenant != nil:
		fmt.Fprintf(w, "%s and the MFA configuration are up to date on %s: nothing changed\n", p.Action, rep.Domain)
		return
	case p.UpToDate:
		fmt.Fprintf(w, "%s is up to date on %s: nothing changed\n", p.Action, rep.Domain)
		return
	case rep.DryRun:
		printPlan(w, rep.Domain, p)
		return
	}
	r := rep.Result
	if r == nil {
		return
	}
	width := 10
	for _, s := range r.Steps {
		width = max(width, len(s.Kind))
	}
	for _, s := range r.Steps {
		fmt.Fprintf(w, "%-*s %s\n", width, s.Kind, s.Message)
	}
	if rep.Error != nil {
		return // the error and the tenant's state, on standard error
	}
	switch {
	case r.Version != nil:
		fmt.Fprintf(w, "%s version %d is live on %s\n", p.Action, r.Version.Number, rep.Domain)
	case p.Tenant != nil && p.ActionUpToDate():
		fmt.Fprintf(w, "%s was up to date; the MFA configuration now matches the policy on %s\n", p.Action, rep.Domain)
		return
	default:
		fmt.Fprintf(w, "%s is bound on %s\n", p.Action, rep.Domain)
	}
	printBindings(w, "post-login bindings:", r.Bindings, p.Action)
}

func printPlan(w io.Writer, domain string, p *deploy.Plan) {
	fmt.Fprintf(w, "plan for %s on %s (dry run: nothing changed)\n", p.Action, domain)
	switch p.Operation {
	case deploy.Create:
		fmt.Fprintf(w, "  create   new Action, runtime %s, trigger %s %s\n", p.Runtime, deploy.Trigger, deploy.TriggerVersion)
	case deploy.Update:
		fmt.Fprintf(w, "  update   %s\n", strings.Join(p.Changes, ", "))
	default:
		fmt.Fprintf(w, "  action   unchanged\n")
	}
	switch {
	case p.Deploy && p.DeployedVersion != nil:
		fmt.Fprintf(w, "  deploy   a new version, replacing version %d\n", p.DeployedVersion.Number)
	case p.Deploy:
		fmt.Fprintf(w, "  deploy   a first version\n")
	default:
		fmt.Fprintf(w, "  deploy   no: version %d already runs this code\n", p.DeployedVersion.Number)
	}
	if p.Bind {
		fmt.Fprintf(w, "  bind     rewrite post-login bindings (position %s)\n", p.Position)
	} else {
		fmt.Fprintf(w, "  bind     no change\n")
	}
	for _, n := range p.Notes {
		fmt.Fprintf(w, "  note     %s\n", n)
	}
	if p.CodeDiff != "" {
		fmt.Fprintf(w, "\n%s", p.CodeDiff)
		if !strings.HasSuffix(p.CodeDiff, "\n") {
			fmt.Fprintln(w)
		}
	}
	fmt.Fprintln(w)
	printBindings(w, "post-login bindings before:", p.BindingsBefore, p.Action)
	printBindings(w, "post-login bindings after:", p.BindingsAfter, p.Action)
	if p.Tenant != nil {
		fmt.Fprintln(w)
		printTenantPlan(w, p.Tenant)
	}
}

// printTenantPlan prints the MFA changes in the order deploy makes them,
// then the drift as a diff of tenant: sections.
func printTenantPlan(w io.Writer, tp *deploy.TenantPlan) {
	if !tp.Drift() {
		fmt.Fprintln(w, "MFA configuration: matches the tenant: section, no change")
	} else {
		fmt.Fprintln(w, "MFA configuration changes, in order:")
		for _, c := range tp.Changes {
			when := "before the Action"
			if c.AfterAction {
				when = "after the Action is live"
			}
			fmt.Fprintf(w, "  %-15s %-20s %s -> %s  (%s; %s)\n", c.Step, c.Target, c.From, c.To, when, c.Endpoint)
		}
	}
	for _, n := range tp.Notes {
		fmt.Fprintf(w, "  note  %s\n", n)
	}
	if tp.Diff != "" {
		fmt.Fprintf(w, "\n%s", tp.Diff)
	}
}

func printBindings(w io.Writer, title string, list []deploy.Binding, ours string) {
	fmt.Fprintln(w, title)
	if len(list) == 0 {
		fmt.Fprintln(w, "  (none)")
	}
	for i, b := range list {
		mark := ""
		if b.ActionName == ours {
			mark = "  <-"
		}
		label := b.ActionName
		if b.DisplayName != "" && b.DisplayName != b.ActionName {
			label += fmt.Sprintf(" (%q)", b.DisplayName)
		}
		fmt.Fprintf(w, "  %d. %s%s\n", i+1, label, mark)
	}
}
