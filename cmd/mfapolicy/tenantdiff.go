package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"

	"github.com/spf13/cobra"

	"github.com/mfapolicy/mfapolicy/deploy"
	"github.com/mfapolicy/mfapolicy/tenant"
)

type tenantDiffOptions struct {
	s *streams

	Policy string
	Format string
	Creds  deploy.Credentials
}

func newTenantDiffCmd(s *streams, runF func(*tenantDiffOptions) error) *cobra.Command {
	opts := &tenantDiffOptions{s: s}
	var flagCreds deploy.Credentials
	cmd := &cobra.Command{
		Use:   "diff POLICY",
		Short: "Compare the live tenant's MFA configuration with the policy's tenant: section",
		Long: `Diff reads the tenant's MFA factors, and its phone message types and MFA
policy when the section states them:

  GET /api/v2/guardian/factors                       (read:guardian_factors)
  GET /api/v2/guardian/factors/phone/message-types   (read:guardian_factors)
  GET /api/v2/guardian/policies                      (read:mfa_policies)

and prints the drift from the policy's tenant: section: the changes
'mfapolicy deploy' would make, in the order it makes them, and a diff of
the live tenant against the section. It changes nothing. Run it on a
schedule to catch edits made in the dashboard.

Credentials as for deploy: AUTH0_DOMAIN with AUTH0_CLIENT_ID and
AUTH0_CLIENT_SECRET, or AUTH0_ACCESS_TOKEN (or the matching flags).

Exit status: 0 no drift; 1 drift, a policy with errors, or a failed
Management API call; 2 bad usage, missing credentials, or a policy
without a tenant: section.`,
		Example: `  # Scheduled drift check: fails when the tenant no longer matches the file
  mfapolicy tenant diff policy.yaml

  # Machine-readable drift
  mfapolicy tenant diff policy.yaml --format json

  # Adopt the live configuration instead: print it as a tenant: section
  mfapolicy tenant pull --section`,
		Args: cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			opts.Policy = args[0]
			if opts.Format != "text" && opts.Format != "json" {
				return usageErr("--format must be text or json, not %q", opts.Format)
			}
			var err error
			if opts.Creds, err = checkedCredentials(flagCreds); err != nil {
				return err
			}
			return runF(opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Format, "format", "text", "output format: text or json")
	credentialFlags(f, &flagCreds)
	return cmd
}

// tenantDiffReport is the JSON output of tenant diff.
type tenantDiffReport struct {
	Domain string             `json:"domain"`
	Policy string             `json:"policy"`
	Drift  bool               `json:"drift"`
	Plan   *deploy.TenantPlan `json:"plan"`
}

func runTenantDiff(opts *tenantDiffOptions) error {
	p, err := loadChecked(opts.s, opts.Policy)
	if err != nil {
		return err
	}
	want := tenant.ConfigOf(p.Tenant)
	if want == nil {
		return usageErr("%s has no tenant: section to compare; 'mfapolicy tenant pull --section' prints the live one to paste", opts.Policy)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	m, err := deploy.NewClient(ctx, opts.Creds, deploy.ClientOptions{UserAgent: "mfapolicy"})
	if err != nil {
		return usageErr("%v", err)
	}
	tp, err := deploy.PlanTenant(ctx, m, *want)
	if err != nil {
		return deployExit(err)
	}
	rep := tenantDiffReport{Domain: opts.Creds.Domain, Policy: opts.Policy, Drift: tp.Drift(), Plan: tp}
	if opts.Format == "json" {
		if err := writeJSON(opts.s.Out, rep); err != nil {
			return err
		}
	} else {
		if tp.Drift() {
			fmt.Fprintf(opts.s.Out, "%s differs from the tenant: section of %s\n", rep.Domain, opts.Policy)
		} else {
			fmt.Fprintf(opts.s.Out, "%s matches the tenant: section of %s\n", rep.Domain, opts.Policy)
		}
		printTenantPlan(opts.s.Out, tp)
	}
	if tp.Drift() {
		return errFindings
	}
	return nil
}
