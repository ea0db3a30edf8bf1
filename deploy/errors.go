package deploy

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/auth0/go-auth0/management"
	"golang.org/x/oauth2"

	"github.com/mfapolicy/mfapolicy/tenant"
)

// This file holds the wording of every error the package returns.

// op is one Management API call deploy makes: what it is for, its
// endpoint, and the scope the token needs for it, per the endpoint's page
// under https://auth0.com/docs/api/management/v2/actions.
type op struct {
	what   string
	method string
	path   string
	scope  string
}

var (
	// https://auth0.com/docs/api/management/v2/actions/get-actions
	opFind = op{"look up the Action by name", "GET", "/api/v2/actions/actions", "read:actions"}
	// https://auth0.com/docs/api/management/v2/actions/get-action
	opRead = op{"read the Action", "GET", "/api/v2/actions/actions/{id}", "read:actions"}
	// https://auth0.com/docs/api/management/v2/actions/get-action-version
	opReadVersion = op{"read the deployed version of the Action", "GET", "/api/v2/actions/actions/{id}/versions/{versionId}", "read:actions"}
	// https://auth0.com/docs/api/management/v2/actions/post-action
	opCreate = op{"create the Action", "POST", "/api/v2/actions/actions", "create:actions"}
	// https://auth0.com/docs/api/management/v2/actions/patch-action
	opUpdate = op{"update the Action", "PATCH", "/api/v2/actions/actions/{id}", "update:actions"}
	// https://auth0.com/docs/api/management/v2/actions/post-deploy-action
	opDeploy = op{"deploy the Action", "POST", "/api/v2/actions/actions/{id}/deploy", "create:actions"}
	// https://auth0.com/docs/api/management/v2/actions/get-bindings
	opBindings = op{"read the post-login bindings", "GET", "/api/v2/actions/triggers/post-login/bindings", "read:actions"}
	// https://auth0.com/docs/api/management/v2/actions/patch-bindings
	opBind = op{"write the post-login bindings", "PATCH", "/api/v2/actions/triggers/post-login/bindings", "update:actions"}

	// The Guardian endpoints, under https://auth0.com/docs/api/management/v2/guardian:
	// get-factors, get-message-types, get-policies, put-message-types,
	// put-policies (put-factors-by-name is opFactor).
	opReadFactors      = op{"read the MFA factors", "GET", "/api/v2/guardian/factors", "read:guardian_factors"}
	opReadMessageTypes = op{"read the phone message types", "GET", "/api/v2/guardian/factors/phone/message-types", "read:guardian_factors"}
	opReadPolicies     = op{"read the MFA policy", "GET", "/api/v2/guardian/policies", "read:mfa_policies"}
	opMessageTypes     = op{"set the phone message types", "PUT", "/api/v2/guardian/factors/phone/message-types", "update:guardian_factors"}
	opPolicies         = op{"set the MFA policy", "PUT", "/api/v2/guardian/policies", "update:mfa_policies"}
)

// opFactor is PUT /api/v2/guardian/factors/{name} for one factor
// (https://auth0.com/docs/api/management/v2/guardian/put-factors-by-name).
func opFactor(f string, on bool) op {
	what := "enable the " + f + " factor"
	if !on {
		what = "disable the " + f + " factor"
	}
	return op{what, "PUT", "/api/v2/guardian/factors/" + tenant.GuardianFactor(f), "update:guardian_factors"}
}

func (o op) endpoint() string { return o.method + " " + o.path }

// APIError is a Management API call that failed: what deploy was doing,
// the endpoint, the HTTP status and Auth0's own message.
type APIError struct {
	// Op says what the call was for, for example "deploy the Action".
	Op string `json:"op"`
	// Endpoint is the method and path template, for example
	// "POST /api/v2/actions/actions/{id}/deploy".
	Endpoint string `json:"endpoint"`
	// Status is the HTTP status code; 0 when no response came back.
	Status int `json:"status"`
	// Scope is the scope the endpoint needs.
	Scope string `json:"scope"`
	// Message is Auth0's message, or the transport error.
	Message string `json:"message"`
	err     error
	// rerun is the command to run again; "" means deploy.
	rerun string
}

func (e *APIError) Unwrap() error { return e.err }

// Error reads as a sentence saying what failed and what to do.
func (e *APIError) Error() string {
	head := fmt.Sprintf("could not %s (%s)", e.Op, e.Endpoint)
	rerun := e.rerun
	if rerun == "" {
		rerun = "deploy"
	}
	var hint string
	switch {
	case e.Status == 0:
		return fmt.Sprintf("%s: %s", head, e.Message)
	case e.Status == http.StatusUnauthorized:
		hint = "the credentials were rejected: check AUTH0_DOMAIN, AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET, or that AUTH0_ACCESS_TOKEN has not expired"
	case e.Status == http.StatusForbidden:
		hint = fmt.Sprintf("the token lacks the %s scope: grant it to the application under Applications > APIs > Auth0 Management API > Machine To Machine Applications", e.Scope)
	case e.Status == http.StatusNotFound:
		hint = "not found: the Action or trigger may have been deleted meanwhile, or the domain is not an Auth0 tenant; run " + rerun + " again"
	case e.Status == http.StatusConflict:
		hint = "conflict: the tenant changed meanwhile (for example an Action with this name was created by someone else); run " + rerun + " again"
	case e.Status == http.StatusTooManyRequests:
		hint = "Auth0 is rate-limiting this tenant's Management API and did not recover within the retries allowed; wait a minute and run " + rerun + " again"
	case e.Status >= 500:
		hint = "Auth0 had a server error; check https://status.auth0.com and run " + rerun + " again"
	default:
		hint = "Auth0 refused the request"
	}
	msg := fmt.Sprintf("%s: %d %s: %s", head, e.Status, http.StatusText(e.Status), hint)
	if e.Message != "" {
		msg += fmt.Sprintf(" (Auth0 said: %s)", e.Message)
	}
	return msg
}

// wrap turns an error from go-auth0 into an APIError for this call.
func (o op) wrap(err error) error {
	if err == nil {
		return nil
	}
	e := &APIError{Op: o.what, Endpoint: o.endpoint(), Scope: o.scope, err: err}
	var merr management.Error
	var rerr *oauth2.RetrieveError
	switch {
	case errors.As(err, &rerr):
		e.Endpoint = "POST /oauth/token"
		e.Op = "get a Management API token"
		e.Status = rerr.Response.StatusCode
		e.Message = strings.TrimSpace(rerr.ErrorDescription)
		if e.Message == "" {
			e.Message = rerr.ErrorCode
		}
	case errors.As(err, &merr):
		e.Status = merr.Status()
		e.Message = auth0Message(merr.Error())
	default:
		e.Message = err.Error()
	}
	return e
}

// CallError words the error of a Management API call made outside this
// package (logs pull, for one) as deploy words its own: what the call was
// for, its endpoint, the scope it needs when refused, and which command
// to run again. It returns nil for a nil err.
func CallError(what, method, path, scope, rerun string, err error) error {
	if err == nil {
		return nil
	}
	e := op{what, method, path, scope}.wrap(err).(*APIError)
	e.rerun = rerun
	return e
}

// auth0Message strips go-auth0's "403 Forbidden: " prefix from Auth0's
// message.
func auth0Message(s string) string {
	if _, rest, ok := strings.Cut(s, ": "); ok {
		return rest
	}
	return s
}

// HTTPStatus returns the status of the API error inside err, or 0.
func HTTPStatus(err error) int {
	var e *APIError
	if errors.As(err, &e) {
		return e.Status
	}
	return 0
}

// Error is a deploy that stopped part-way. State says, in words, what the
// tenant looks like now, so the user knows whether logins are affected and
// what to do; running the same deploy again always converges.
type Error struct {
	// Step is the step that failed.
	Step StepKind `json:"step"`
	// State describes the tenant after the failure.
	State string `json:"state"`
	// Err is the cause, usually an *APIError.
	Err error `json:"-"`
	// Done and Left name the steps carried out and the steps not done
	// (the failed one first), when the deploy also changes the tenant's
	// MFA configuration: for example "enable-factor phone", "deploy",
	// "disable-factor email", "mfa-policy".
	Done []string `json:"done,omitempty"`
	Left []string `json:"left,omitempty"`
}

func (e *Error) Error() string {
	msg := fmt.Sprintf("%v\ntenant state: %s", e.Err, e.State)
	if e.Done != nil || e.Left != nil {
		msg += fmt.Sprintf("\nsteps done: %s\nsteps not done: %s", stepList(e.Done), stepList(e.Left))
	}
	return msg
}

func stepList(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, ", ")
}

func (e *Error) Unwrap() error { return e.Err }

// MarshalJSON includes the cause's message.
func (e *Error) MarshalJSON() ([]byte, error) {
	type plain Error
	return json.Marshal(struct {
		*plain
		Message string `json:"message"`
	}{(*plain)(e), e.Err.Error()})
}

// Tenant states after a failure, worded for the user.
const (
	stateUnchanged       = "nothing was changed"
	stateCreatedOnly     = "the Action was created but not deployed or bound, so logins are unaffected; run deploy again"
	stateUpdatedOnly     = "code updated but not deployed: the previously deployed version still runs; run deploy again"
	stateUpdatedUnbound  = "code updated but not deployed; the Action is not bound to post-login, so logins are unaffected; run deploy again"
	stateDeployedUnbound = "the new version is deployed but not bound to post-login, so it does not run yet; run deploy again"
	stateDeployedBound   = "the new version is deployed and already runs at the Action's current place in post-login; its place was not changed; run deploy again"
	stateBindUnverified  = "the bindings were written but reading them back showed a different list; another change may have raced with this one; check the post-login flow and run deploy again"
	stateTenantBefore    = "the Action was not changed, so the previously deployed version still runs; the MFA changes made so far only enable factors or widen the phone message types, which takes nothing from it; run deploy again"
	stateTenantAfter     = "the Action's new version is live (or it was up to date already); the MFA changes after the failed one were not made, so factors the policy disables may still be enabled and the MFA policy may be the old one; run deploy again"
	stateUncertain       = "uncertain: Auth0 did not confirm the request to %s, which may or may not have taken effect; if it did not: %s"
)

// Messages for failures that are not API errors.
func errBuildTimeout(wait time.Duration, status string) error {
	return fmt.Errorf("the Action's build did not reach status \"built\" within %s (last status %q); Auth0 may be slow: run deploy again later", wait, status)
}

func errBuildFailed(msgs []string) error {
	if len(msgs) == 0 {
		return fmt.Errorf("Auth0 could not build the Action (status \"failed\")")
	}
	return fmt.Errorf("Auth0 could not build the Action (status \"failed\"): %s", strings.Join(msgs, "; "))
}

func errAfterNotBound(name string, bound []string) error {
	if len(bound) == 0 {
		return fmt.Errorf("--position after:%s: no Action is bound to post-login", name)
	}
	return fmt.Errorf("--position after:%s: no Action of that name is bound to post-login (bound: %s)", name, strings.Join(bound, ", "))
}

func errAfterSelf(name string) error {
	return fmt.Errorf("--position after:%s names the Action being deployed", name)
}

func errNameTaken(name string, n int) error {
	return fmt.Errorf("%d Actions are named %q on the tenant; rename or delete the extra ones", n, name)
}
