package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/pflag"

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
