package deploy_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/mfapolicy/mfapolicy/deploy"
	"github.com/mfapolicy/mfapolicy/deploy/deploytest"
	"github.com/mfapolicy/mfapolicy/internal/guardianfake"
	"github.com/mfapolicy/mfapolicy/tenant"
)

// swapTenant is a live tenant that offers otp, phone (sms only) and
// email under the policy all-applications, running the old Action; the
// file turns email off, webauthn-platform on, adds voice and moves to
// confidence-score.
func swapTenant(t *testing.T) *env {
	e := newEnv(t)
	e.srv.AddAction(name, oldCode, "node22", true)
	e.srv.Bind(name)
	e.srv.Guardian(func(g *guardianfake.Guardian) {
		g.Enable("otp", "sms", "email")
		g.SetPolicies("all-applications")
		g.SetMessageTypes("sms")
	})
	e.opts.Tenant = &tenant.Config{
		Factors:           []string{"webauthn-platform", "otp", "phone"},
		PhoneMessageTypes: []string{"sms", "voice"},
		MFAPolicy:         "confidence-score",
	}
	return e
}

// writes returns the requests that changed the tenant, with the
// Action's id replaced by {id}.
func writes(e *env) []string {
	var out []string
	for _, w := range e.srv.Writes() {
		if strings.HasPrefix(w, "PATCH /api/v2/actions/actions/") {
			w = "PATCH /api/v2/actions/actions/{id}"
		}
		if strings.HasPrefix(w, "POST /api/v2/actions/actions/") && strings.HasSuffix(w, "/deploy") {
			w = "POST /api/v2/actions/actions/{id}/deploy"
		}
		out = append(out, w)
	}
	return out
}

func TestTenantSafeOrder(t *testing.T) {
	e := swapTenant(t)
	r := e.mustDeploy(action(newCode))
	want := []string{
		"PUT /api/v2/guardian/factors/webauthn-platform",
		"PUT /api/v2/guardian/factors/phone/message-types",
		"PATCH /api/v2/actions/actions/{id}",
		"POST /api/v2/actions/actions/{id}/deploy",
		"PUT /api/v2/guardian/factors/email",
		"PUT /api/v2/guardian/policies",
	}
	if got := writes(e); !slices.Equal(got, want) {
		t.Errorf("writes:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
	if got := steps(r); got != "enable-factor,message-types,update,wait-build,deploy,verify,disable-factor,mfa-policy" {
		t.Errorf("steps = %s", got)
	}
	factors, policies, types := guardian(e)
	if !slices.Equal(factors, []string{"sms", "otp", "webauthn-platform"}) || !slices.Equal(policies, []string{"confidence-score"}) || !slices.Equal(types, []string{"sms", "voice"}) {
		t.Errorf("tenant after deploy: factors %v, policies %v, message types %v", factors, policies, types)
	}
	e.wantDeployed(newCode, 2)

	// A second run reads and changes nothing.
	before := len(e.srv.Writes())
	p := e.plan(action(newCode))
	if !p.UpToDate || p.Tenant.Drift() || p.Tenant.Diff != "" {
		t.Errorf("second plan: up to date %v, changes %v, diff %q", p.UpToDate, p.Tenant.Changes, p.Tenant.Diff)
	}
	e.mustDeploy(action(newCode))
	if got := e.srv.Writes()[before:]; len(got) != 0 {
		t.Errorf("a second deploy wrote %v", got)
	}
}

func TestTenantNarrowingMessageTypesWaits(t *testing.T) {
	e := newEnv(t)
	e.srv.Guardian(func(g *guardianfake.Guardian) { g.Enable("sms"); g.SetMessageTypes("sms", "voice") })
	e.opts.Tenant = &tenant.Config{Factors: []string{"phone"}, PhoneMessageTypes: []string{"sms"}}
	e.mustDeploy(action(newCode))
	w := writes(e)
	if len(w) == 0 || w[len(w)-1] != "PUT /api/v2/guardian/factors/phone/message-types" {
		t.Errorf("narrowing the message types is not the last write: %v", w)
	}
	if _, _, types := guardian(e); !slices.Equal(types, []string{"sms"}) {
		t.Errorf("message types = %v", types)
	}
}

func TestTenantOnlyDriftLeavesActionAlone(t *testing.T) {
	e := newEnv(t)
	e.srv.AddAction(name, newCode, "node22", true)
	e.srv.Bind(name)
	e.srv.Guardian(func(g *guardianfake.Guardian) { g.Enable("otp", "email") })
	e.opts.Tenant = &tenant.Config{Factors: []string{"otp"}, MFAPolicy: "never"}
	r := e.mustDeploy(action(newCode))
	if got := writes(e); !slices.Equal(got, []string{"PUT /api/v2/guardian/factors/email"}) {
		t.Errorf("writes = %v", got)
	}
	if steps(r) != "disable-factor" {
		t.Errorf("steps = %s", steps(r))
	}
}

func TestTenantUnmanagedKeysAreNotRead(t *testing.T) {
	e := newEnv(t)
	e.opts.Tenant = &tenant.Config{Factors: []string{"otp"}}
	e.mustDeploy(action(newCode))
	for _, r := range e.srv.Requests() {
		if strings.Contains(r, "message-types") || strings.Contains(r, "policies") {
			t.Errorf("read or wrote a key the file does not manage: %s", r)
		}
	}
}

func TestNoTenantSectionMakesNoGuardianCall(t *testing.T) {
	e := newEnv(t)
	e.srv.Guardian(func(g *guardianfake.Guardian) { g.Enable("otp", "sms") })
	r := e.mustDeploy(action(newCode))
	for _, req := range e.srv.Requests() {
		if strings.Contains(req, "/guardian/") {
			t.Errorf("a deploy without tenant: called %s", req)
		}
	}
	if steps(r) != "create,wait-build,deploy,bind,verify" {
		t.Errorf("steps = %s", steps(r))
	}
}

func TestTenantDryRunChangesNothing(t *testing.T) {
	e := swapTenant(t)
	p := e.plan(action(newCode))
	if len(e.srv.Writes()) != 0 {
		t.Errorf("planning wrote %v", e.srv.Writes())
	}
	var got []string
	for _, c := range p.Tenant.Changes {
		got = append(got, c.String()+" "+c.Endpoint)
	}
	want := []string{
		"enable-factor webauthn-platform PUT /api/v2/guardian/factors/webauthn-platform",
		"message-types PUT /api/v2/guardian/factors/phone/message-types",
		"disable-factor email PUT /api/v2/guardian/factors/email",
		"mfa-policy PUT /api/v2/guardian/policies",
	}
	if !slices.Equal(got, want) {
		t.Errorf("changes:\n  %s", strings.Join(got, "\n  "))
	}
	for _, line := range []string{"--- live tenant", "+++ policy file", "-    - email", "+    - webauthn-platform", "+    - voice", "-  mfa_policy: all-applications", "+  mfa_policy: confidence-score"} {
		if !strings.Contains(p.Tenant.Diff, line+"\n") {
			t.Errorf("diff lacks %q:\n%s", line, p.Tenant.Diff)
		}
	}
}

func TestTenantPhoneUsesSMSEndpoint(t *testing.T) {
	e := newEnv(t)
	e.opts.Tenant = &tenant.Config{Factors: []string{"phone", "push-notification", "recovery-code", "webauthn-roaming"}}
	e.mustDeploy(action(newCode))
	factors, _, _ := guardian(e)
	if !slices.Equal(factors, []string{"sms", "push-notification", "webauthn-roaming", "recovery-code"}) {
		t.Errorf("enabled = %v", factors)
	}
}

func TestTenantFailureMidwayStops(t *testing.T) {
	e := swapTenant(t)
	e.srv.Fail(deploytest.RouteUpdateFactor, 500, 0)
	// The enable of webauthn-platform is the first write: nothing else
	// may follow it.
	_, err := e.deploy(action(newCode))
	wantFailure(t, err, 500, "the Action was not changed", "could not enable the webauthn-platform factor (PUT /api/v2/guardian/factors/webauthn-platform)", "server error",
		"steps done: none", "steps not done: enable-factor webauthn-platform, message-types, update, deploy, bind, verify, disable-factor email, mfa-policy")
	if got := writes(e); !slices.Equal(got, []string{"PUT /api/v2/guardian/factors/webauthn-platform"}) {
		t.Errorf("writes after the failure: %v", got)
	}
	e.wantDeployed(oldCode, 1)
}

func TestTenantFailureAfterActionNamesStepsLeft(t *testing.T) {
	e := swapTenant(t)
	e.srv.Fail(deploytest.RouteUpdatePolicies, 500, 1)
	_, err := e.deploy(action(newCode))
	wantFailure(t, err, 500, "the Action's new version is live", "could not set the MFA policy (PUT /api/v2/guardian/policies)",
		"steps done: enable-factor webauthn-platform, message-types, update, deploy, bind, verify, disable-factor email", "steps not done: mfa-policy")
	var de *deploy.Error
	if !errors.As(err, &de) || de.Step != deploy.StepMFAPolicy || !slices.Equal(de.Left, []string{"mfa-policy"}) {
		t.Errorf("error = %#v", de)
	}
	e.wantDeployed(newCode, 2)

	// Running again finishes the job: the policy alone is left to write.
	before := len(e.srv.Writes())
	e.mustDeploy(action(newCode))
	if got := e.srv.Writes()[before:]; !slices.Equal(got, []string{"PUT /api/v2/guardian/policies"}) {
		t.Errorf("the second run wrote %v", got)
	}
}

func TestTenantReadNeedsScope(t *testing.T) {
	e := newEnv(t)
	e.srv.SetScopes(deploytest.ReadActions, deploytest.CreateActions, deploytest.UpdateActions)
	e.opts.Tenant = &tenant.Config{Factors: []string{"otp"}}
	_, err := deploy.PlanTenant(context.Background(), e.m, *e.opts.Tenant)
	wantFailure(t, err, 403, "", "read:guardian_factors")
}

// guardian reads the fake tenant's enabled factors, policy list and
// phone message types.
func guardian(e *env) (factors, policies, types []string) {
	e.srv.Guardian(func(g *guardianfake.Guardian) {
		factors, policies, types = g.Enabled(), g.Policies(), g.MessageTypes()
	})
	return
}

func TestTenantWritesAreRetriedWhenRateLimited(t *testing.T) {
	e := swapTenant(t)
	e.srv.Fail(deploytest.RouteUpdateFactor, 429, 2, "Retry-After", "0")
	e.srv.Fail(deploytest.RouteReadFactors, 503, 1)
	e.mustDeploy(action(newCode))
	if len(e.retries) != 3 {
		t.Errorf("retries = %+v, want 3", e.retries)
	}
	if factors, _, _ := guardian(e); !slices.Equal(factors, []string{"sms", "otp", "webauthn-platform"}) {
		t.Errorf("enabled = %v", factors)
	}
}
