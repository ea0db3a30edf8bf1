package tenant

import (
	"fmt"
	"strings"

	"github.com/mfapolicy/mfapolicy/internal/diag"
	"github.com/mfapolicy/mfapolicy/policy"
)

// Lint warns about what a policy asks that the tenant makes moot: rules
// that challenge or enroll with factors the tenant has not enabled (Auth0
// ignores them, and fails the login when none is left: post-login API
// object,
// https://auth0.com/docs/customize/actions/explore-triggers/signup-and-login-triggers/login-trigger/post-login-api-object),
// and, under the all-applications MFA policy, rules that allow (the tenant
// still requires MFA on those logins) or a policy whose every outcome
// already requires MFA (it only picks the factors).
//
// A policy with a tenant: section states the enabled factors and, when it
// has mfa_policy, the MFA policy itself: those win over f (ForPolicy), the
// policy package checks the rules against the section, and Lint leaves
// them alone rather than report the same problem twice.
func Lint(p *policy.Policy, f *File) diag.List {
	var out diag.List
	if enabled, ok := f.EnabledFactors(); ok && p.Tenant == nil {
		on := map[string]bool{}
		for _, e := range enabled {
			on[e] = true
		}
		each(p, func(what string, a policy.Action, pos diag.Pos) {
			if what == "on_error" && p.OnError.Pos.Line == 0 {
				return // not written in the file: the implicit fail-closed challenge
			}
			out = append(out, factorLint(p, f, on, what, a, pos)...)
		})
	}
	pol, ok := f.MFAPolicy()
	src := strings.Join(f.Sources, ", ")
	if p.Tenant != nil && p.Tenant.MFAPolicy != "" {
		pol, ok, src = Policy(p.Tenant.MFAPolicy), true, p.File
	}
	if ok && pol == AllApplications {
		out = append(out, allApplicationsLint(p, src)...)
	}
	return out
}

// each visits every rule's action, then the default's and on_error's.
func each(p *policy.Policy, fn func(what string, a policy.Action, pos diag.Pos)) {
	top := diag.Pos{File: p.File, Line: 1, Col: 1}
	for _, r := range p.Rules {
		fn(fmt.Sprintf("rule %q", r.ID), r.Action, at(r.Action.Pos, r.Pos))
	}
	fn("the default", p.Default, at(p.Default.Pos, top))
	fn("on_error", p.OnError, at(p.OnError.Pos, top))
}

func at(p, def diag.Pos) diag.Pos {
	if p.Line == 0 {
		return def
	}
	return p
}

func factorLint(p *policy.Policy, f *File, on map[string]bool, what string, a policy.Action, pos diag.Pos) diag.List {
	if a.Then != policy.Challenge && a.Then != policy.Enroll {
		return nil
	}
	var off []string
	for _, fc := range a.Factors {
		if !on[normalizeFactor(fc)] {
			off = append(off, fc)
		}
	}
	src := strings.Join(f.Sources, ", ")
	switch {
	case len(off) == 0:
		return nil
	case len(off) == len(a.Factors):
		return diag.List{p.Source.New(diag.Warning, pos, "factor-not-enabled",
			fmt.Sprintf("%s %ss with %s, none of which is enabled on the tenant (%s): Auth0 fails every login it decides", what, a.Then, strings.Join(off, ", "), src),
			"enable a factor on the tenant, or offer one it enables")}
	}
	return diag.List{p.Source.New(diag.Warning, pos, "factor-not-enabled",
		fmt.Sprintf("%s %ss with %s, not enabled on the tenant (%s): Auth0 ignores them", what, a.Then, strings.Join(off, ", "), src),
		"enable them on the tenant, or drop them from the rule")}
}

// allApplicationsLint: under all-applications every login the Action
// lets through is still challenged
// (https://auth0.com/docs/api/management/v2/guardian/put-policies).
func allApplicationsLint(p *policy.Policy, src string) diag.List {
	var out diag.List
	mfa := 0
	total := 0
	each(p, func(what string, a policy.Action, pos diag.Pos) {
		if what == "on_error" {
			return
		}
		total++
		switch a.Then {
		case policy.Allow:
			out = append(out, p.Source.New(diag.Warning, pos, "tenant-policy-overrides",
				fmt.Sprintf("%s allows, but the tenant's MFA policy all-applications (%s) still requires MFA on those logins", what, src),
				"only a change of the tenant's MFA policy (for example to confidence-score) lets these logins through without MFA"))
		case policy.Challenge, policy.Enroll:
			mfa++
		}
	})
	if mfa == total {
		out = append(out, p.Source.New(diag.Warning, diag.Pos{File: p.File, Line: 1, Col: 1}, "tenant-policy-overrides",
			fmt.Sprintf("every rule and the default ask for MFA, which the tenant's MFA policy all-applications (%s) already requires on every login: the policy only chooses the factors offered", src), ""))
	}
	return out
}
