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

	"github.com/mfapolicy/mfapolicy/deploy"
	"github.com/mfapolicy/mfapolicy/simulate"
	"github.com/mfapolicy/mfapolicy/simulate/input"
	"github.com/mfapolicy/mfapolicy/tenant"
)

type tenantPullOptions struct {
	s *streams

	Out     string
	Events  []string
	Rate    float64
	Refresh bool
	Section bool
	Creds   deploy.Credentials
}

func newTenantCmd(s *streams, runPull func(*tenantPullOptions) error, runDiff func(*tenantDiffOptions) error) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "tenant",
		Short: "Read the tenant context (MFA factors, policy, enrolments) that shapes every decision",
		Long: `The tenant context is what an Auth0 tenant adds to the Action's calls: the
MFA factors it enables, its MFA policy (never, all-applications or Adaptive
MFA's confidence-score) and the factors each user has enrolled. simulate,
diff, test, explain and check take it with --tenant FILE. See docs/tenant.md.

A policy's tenant: section states the factors, phone message types and MFA
policy as code: 'tenant diff POLICY' compares it with the live tenant,
'deploy' applies it, and 'tenant pull --section' prints the live
configuration as a section to paste.`,
	}
	cmd.AddCommand(newTenantPullCmd(s, runPull), newTenantDiffCmd(s, runDiff))
	return cmd
}

func newTenantPullCmd(s *streams, runF func(*tenantPullOptions) error) *cobra.Command {
	opts := &tenantPullOptions{s: s}
	var flagCreds deploy.Credentials
	cmd := &cobra.Command{
		Use:   "pull (-o tenant.json [--events FILE...] | --section [-o FILE])",
		Short: "Fetch the tenant's MFA factors, MFA policy and users' enrolments and roles through the Management API",
		Long: `Pull reads, through the Management API:

  GET /api/v2/guardian/factors                       enabled factors   (read:guardian_factors)
  GET /api/v2/guardian/factors/phone/message-types   sms and/or voice  (read:guardian_factors)
  GET /api/v2/guardian/policies                      the MFA policy    (read:mfa_policies)

and, with --events, for every user who appears in those events:

  GET /api/v2/users/{id}/authentication-methods      enrolled factors  (read:authentication_methods)
  GET /api/v2/users/{id}/roles                       role names        (read:roles)

page by page, at most --rate requests a second; rate-limited requests (429)
are retried as Retry-After or X-RateLimit-Reset says. Only the types of
the methods and the names of the roles are kept: no phone numbers,
addresses or keys. The roles become event.authorization.roles of the
logins simulate maps from tenant log records (logs carry no roles).

The output file is also the cache: users it already holds are not fetched
again (unless --refresh), so an interrupted pull, which still writes what
it fetched, resumes where it stopped when run again.

Credentials as for deploy: AUTH0_DOMAIN with AUTH0_CLIENT_ID and
AUTH0_CLIENT_SECRET, or AUTH0_ACCESS_TOKEN (or the matching flags).

Without the Management API, save what the Auth0 CLI prints and pass the
files to --tenant directly:
  auth0 api get "guardian/factors" > factors.json
  auth0 api get "guardian/policies" > policies.json

--section writes the live factors, phone message types (when phone is
enabled) and MFA policy instead, as a policy file's tenant: section to
paste, with a comment saying where they came from; without -o it prints
them. A factor a section cannot name (duo) is mentioned in the comment.
Adopting the section is then one command: once pasted, 'mfapolicy tenant
diff POLICY' reports no drift and 'mfapolicy deploy' keeps it so.

Exit status: 0 pulled; 1 the pull failed (what was fetched is written);
2 bad usage or missing credentials.`,
		Example: `  mfapolicy tenant pull -o tenant.json
  mfapolicy tenant pull -o tenant.json --events logs.ndjson --rate 2
  mfapolicy simulate policy.yaml --events logs.ndjson --tenant tenant.json

  # The live MFA configuration as a tenant: section, appended to the policy
  mfapolicy tenant pull --section >> policy.yaml`,
		Args: cobra.NoArgs,
		RunE: func(_ *cobra.Command, _ []string) error {
			switch {
			case opts.Section && (len(opts.Events) > 0 || opts.Refresh):
				return usageErr("--section writes the factors and MFA policy only: drop --events and --refresh")
			case opts.Out == "" && !opts.Section:
				return usageErr("tenant pull needs -o FILE (or --section to print a policy's tenant: section)")
			}
			if opts.Rate <= 0 {
				return usageErr("--rate must be positive")
			}
			var err error
			if opts.Creds, err = checkedCredentials(flagCreds); err != nil {
				return err
			}
			return runF(opts)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&opts.Out, "out", "o", "", "write the tenant context to this file (also read as the cache of users)")
	f.StringArrayVar(&opts.Events, "events", nil, "also fetch the enrolments of the users in this event file (repeatable; - for standard input)")
	f.Float64Var(&opts.Rate, "rate", 5, "at most this many user requests (methods or roles) a second")
	f.BoolVar(&opts.Refresh, "refresh", false, "fetch every user again, ignoring the ones the output file holds")
	f.BoolVar(&opts.Section, "section", false, "write the live factors and MFA policy as a policy's tenant: section (YAML) instead")
	credentialFlags(f, &flagCreds)
	return cmd
}

func runTenantPull(opts *tenantPullOptions) error {
	if opts.Section {
		return runTenantSection(opts)
	}
	users, err := eventUsers(opts.Events, opts.s.In)
	if err != nil {
		return err
	}
	known, knownRoles, err := opts.cached()
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	m, err := deploy.NewClient(ctx, opts.Creds, deploy.ClientOptions{UserAgent: "mfapolicy", OnRetry: opts.retried})
	if err != nil {
		return usageErr("%v", err)
	}
	popts := tenant.PullOptions{
		Domain: opts.Creds.Domain, Users: users, Known: known, KnownRoles: knownRoles,
		Interval: time.Duration(float64(time.Second) / opts.Rate),
	}
	if opts.s.ErrTTY {
		popts.Progress = func(done, total int) {
			fmt.Fprintf(opts.s.Err, "\r\x1b[Kusers: %d/%d", done, total)
		}
		defer fmt.Fprint(opts.s.Err, "\r\x1b[K")
	}
	res, err := tenant.Pull(ctx, m, popts)
	if res != nil {
		if werr := writeTenant(opts.Out, res.File); werr != nil {
			return inputErr(werr)
		}
		opts.report(res, len(users), err != nil)
	}
	if err != nil {
		return &exitError{code: exitFinding, err: err}
	}
	return nil
}

// runTenantSection writes the live MFA configuration as a tenant: section.
func runTenantSection(opts *tenantPullOptions) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	m, err := deploy.NewClient(ctx, opts.Creds, deploy.ClientOptions{UserAgent: "mfapolicy", OnRetry: opts.retried})
	if err != nil {
		return usageErr("%v", err)
	}
	res, err := tenant.Pull(ctx, m, tenant.PullOptions{Domain: opts.Creds.Domain})
	if err != nil {
		return &exitError{code: exitFinding, err: err}
	}
	b := tenant.SectionOf(res.File, "mfapolicy tenant pull --section")
	if opts.Out == "" {
		_, err := opts.s.Out.Write(b)
		return err
	}
	if err := os.WriteFile(opts.Out, b, 0o644); err != nil {
		return inputErr(fmt.Errorf("cannot write the tenant: section: %w", unwrapPath(err)))
	}
	fmt.Fprintf(opts.s.Err, "%s: the tenant: section of %s\n", opts.Out, opts.Creds.Domain)
	return nil
}

// cached reads the users' methods and roles the output file already
// holds.
func (o *tenantPullOptions) cached() (map[string][]tenant.Method, map[string][]string, error) {
	if o.Refresh {
		return nil, nil, nil
	}
	f, err := tenant.Load(o.Out)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, usageErr("%v (use --refresh to overwrite it)", err)
	}
	return f.Users, f.Roles, nil
}

func (o *tenantPullOptions) retried(r deploy.Retry) {
	fmt.Fprintf(o.s.Err, "rate-limited (%d) on %s %s: retrying in %s\n", r.Status, r.Method, r.Path, r.Wait.Round(time.Millisecond))
}

// report says what was pulled, on standard error.
func (o *tenantPullOptions) report(res *tenant.PullResult, users int, partial bool) {
	f := res.File
	w := o.s.Err
	policy, _ := f.MFAPolicy()
	enabled, _ := f.EnabledFactors()
	fmt.Fprintf(w, "%s: MFA policy %s; factors enabled: %s\n", o.Out, policy, orNone(enabled))
	if users > 0 || len(f.Users) > 0 {
		fmt.Fprintf(w, "%s: %d users, %d with roles (%d fetched, %d kept from the previous pull, %d not on the tenant)\n",
			o.Out, len(f.Users), len(f.Roles), res.Fetched, res.Cached, len(res.Unknown))
	}
	if partial {
		fmt.Fprintf(w, "%s: the pull stopped part-way; run it again to fetch the rest\n", o.Out)
	}
}

func orNone(list []string) string {
	if len(list) == 0 {
		return "none"
	}
	return strings.Join(list, ", ")
}

// eventUsers lists the user ids of the logins in the event files, in
// order of first appearance.
func eventUsers(paths []string, stdin io.Reader) ([]string, error) {
	var ids []string
	seen := map[string]bool{}
	for _, p := range paths {
		in := input.FileInput(p, stdin)
		rc, err := in.Open()
		if err != nil {
			return nil, inputErr(fmt.Errorf("cannot read events: %w", err))
		}
		rd := input.NewReader(in.Name, rc)
		for {
			it, err := rd.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				rc.Close()
				return nil, inputErr(fmt.Errorf("cannot read events: %w", err))
			}
			if id := simulate.UserID(it.Event); it.Kind == input.ItemEvent && id != "" && !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
		rc.Close()
	}
	return ids, nil
}

// writeTenant writes the file through a temporary file, so that an
// interrupted write never leaves half a cache.
func writeTenant(path string, f *tenant.File) error {
	b, err := tenant.Marshal(f)
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return fmt.Errorf("cannot write the tenant context: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("cannot write the tenant context: %w", err)
	}
	return nil
}
