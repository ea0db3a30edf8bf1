package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/pflag"

	"github.com/mfapolicy/mfapolicy/policy"
	"github.com/mfapolicy/mfapolicy/simulate"
	"github.com/mfapolicy/mfapolicy/tenant"
)

// tenantFlagHelp is the help of --tenant on every command that takes it.
const tenantFlagHelp = "tenant context: a file from `mfapolicy tenant pull`, or saved `auth0 api get \"guardian/factors\"` / `\"guardian/policies\"` output (repeatable; merged)"

// addTenantFlag registers the repeatable --tenant flag.
func addTenantFlag(f *pflag.FlagSet, paths *[]string) {
	f.StringArrayVar(paths, "tenant", nil, tenantFlagHelp)
}

// loadTenant reads the --tenant files into the simulator's tenant context;
// nil without any. The file's warnings go to w.
func loadTenant(w io.Writer, paths []string) (*simulate.Tenant, *tenant.File, error) {
	if len(paths) == 0 {
		return nil, nil, nil
	}
	f, err := tenant.Load(paths...)
	if err != nil {
		return nil, nil, inputErr(err)
	}
	for _, m := range f.Warnings() {
		fmt.Fprintf(w, "warning: %s: %s\n", strings.Join(f.Sources, ", "), m)
	}
	return simulationTenant(f), f, nil
}

// simulationTenant hands the simulator the tenant context as data.
func simulationTenant(f *tenant.File) *simulate.Tenant {
	t := &simulate.Tenant{Name: strings.Join(f.Sources, "+"), Users: f.Enrolments(), Roles: f.Roles}
	if p, ok := f.MFAPolicy(); ok {
		t.Policy = string(p)
	}
	if en, ok := f.EnabledFactors(); ok {
		t.Enabled = en
	}
	return t
}

// enabledFlagHelp is the help of --enabled-factors on every command that
// takes it.
const enabledFlagHelp = "factors enabled on the tenant: all, or a list such as otp,push-notification; only for a policy without a tenant: section, which states them itself"

// policyTenant is the tenant context policy p is simulated under: its
// tenant: section over the --tenant context (tenant.ForPolicy). An
// explicit --enabled-factors would contradict the section, which is the
// complete set: it is refused rather than silently ignored or obeyed. The
// differences between --tenant and the section go to w as warnings too.
func policyTenant(w io.Writer, p *policy.Policy, tctx *simulate.Tenant, tf *tenant.File, enabledGiven bool) (*simulate.Tenant, error) {
	if p == nil || p.Tenant == nil {
		return tctx, nil
	}
	if enabledGiven {
		return nil, usageErr("--enabled-factors: %s states the enabled factors in its tenant: section; edit the section (or a copy of the policy) instead", p.File)
	}
	t := tenant.ForPolicy(p, tctx, tf)
	for _, d := range t.Differences {
		fmt.Fprintf(w, "warning: tenant context differs, the policy wins: %s\n", d)
	}
	return t, nil
}
