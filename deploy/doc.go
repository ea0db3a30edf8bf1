// Package deploy ships a compiled post-login Action to an Auth0 tenant
// through the Management API, safely and idempotently.
//
// A deploy is planned, then applied. MakePlan only reads: it finds the
// Action by name, compares its code, runtime and trigger with the ones
// given, diffs code.js against the deployed version, and merges the
// Action's binding into the post-login trigger's ordered list at the
// requested Position, keeping every other binding and its order. Apply
// then creates or updates the Action, waits (bounded) until its build is
// "built", deploys it, writes the full binding list back (Auth0's PATCH
// replaces the whole list) and reads everything back to verify. A plan
// with nothing to do is UpToDate, and Apply then changes nothing.
//
// With Options.Tenant (a policy's `tenant:` section as a tenant.Config),
// the plan also holds the drift of the tenant's MFA configuration, and
// Apply removes it around the Action: factors to enable (and widened
// phone message types) before the Action changes, narrowed message types
// and factors to disable once it is live, the MFA policy last. PlanTenant
// computes that drift alone. Without Options.Tenant no Guardian endpoint
// is called.
//
// The package takes the Action as data (name, code, runtime) and knows
// nothing of policies or the compiler. It never prints: Apply reports
// progress through a callback, and errors say what the tenant looks like
// after a failure part-way.
//
//	m, err := deploy.NewClient(ctx, deploy.Credentials{
//		Domain: "example.eu.auth0.com", ClientID: id, ClientSecret: secret,
//	}, deploy.ClientOptions{})
//	plan, err := deploy.MakePlan(ctx, m, deploy.Action{Name: "adaptive-mfa", Code: code, Runtime: "node22"},
//		deploy.Options{Position: deploy.Position{Kind: deploy.First}})
//	res, err := deploy.Apply(ctx, m, plan, func(s deploy.Step) { log.Print(s.Message) })
//
// The token needs the read:actions, create:actions and update:actions
// scopes of the Auth0 Management API, and with Options.Tenant
// read:guardian_factors and update:guardian_factors (and
// read:mfa_policies and update:mfa_policies when the MFA policy is
// managed).
//
// The client is the legacy github.com/auth0/go-auth0 v1 management package
// (pinned at v1.49.0). Its successor github.com/auth0/go-auth0/v3 is not
// used because the Go module proxy reachable here refuses it: `go list -m
// github.com/auth0/go-auth0/v3@latest` answers 403 "This module version is
// not available" (v3.0.0 alone downloaded; v3.1.0, v3.2.0 and the version
// list were refused). The v1 package calls the same documented endpoints.
//
// Package deploytest provides a local stand-in for the Management API
// endpoints used here, for tests.
package deploy
