package deploy_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mfapolicy/mfapolicy/deploy"
	"github.com/mfapolicy/mfapolicy/deploy/deploytest"
)

// wantFailure checks the error's status, that its message has every part
// of want, and, for a failure part-way, the tenant state.
func wantFailure(t *testing.T, err error, status int, state string, want ...string) {
	t.Helper()
	if err == nil {
		t.Fatal("deploy succeeded, want a failure")
	}
	if got := deploy.HTTPStatus(err); got != status {
		t.Errorf("status = %d, want %d (%v)", got, status, err)
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error does not say %q:\n%v", w, err)
		}
	}
	if state == "" {
		return
	}
	var de *deploy.Error
	if !errors.As(err, &de) {
		t.Fatalf("error is not a *deploy.Error: %v", err)
	}
	if !strings.Contains(de.State, state) {
		t.Errorf("state = %q, want %q", de.State, state)
	}
}

func TestWrongClientSecret(t *testing.T) {
	e := newEnv(t)
	e.connect(deploy.Credentials{Domain: e.srv.URL, ClientID: e.srv.ClientID, ClientSecret: "wrong-secret-do-not-print"})
	_, err := e.deploy(action(newCode))
	wantFailure(t, err, 401, "", "could not get a Management API token (POST /oauth/token)", "AUTH0_CLIENT_SECRET")
	if strings.Contains(err.Error(), "wrong-secret-do-not-print") {
		t.Errorf("the error shows the secret: %v", err)
	}
}

func TestExpiredAccessToken(t *testing.T) {
	e := newEnv(t)
	e.connect(deploy.Credentials{Domain: e.srv.URL, AccessToken: "expired-token-do-not-print"})
	_, err := e.deploy(action(newCode))
	wantFailure(t, err, 401, "", "look up the Action by name", "AUTH0_ACCESS_TOKEN")
	if strings.Contains(err.Error(), "expired-token-do-not-print") {
		t.Errorf("the error shows the token: %v", err)
	}
}

func TestStaticAccessToken(t *testing.T) {
	e := newEnv(t)
	e.connect(deploy.Credentials{Domain: e.srv.URL, AccessToken: e.srv.Token})
	e.mustDeploy(action(newCode))
	for _, r := range e.srv.Requests() {
		if strings.Contains(r, "/oauth/token") {
			t.Errorf("a static token was exchanged: %s", r)
		}
	}
}

func TestMissingScopeIsNamed(t *testing.T) {
	tests := []struct {
		granted []string
		missing string
		state   string
		setup   func(*deploytest.Server)
	}{
		{[]string{deploytest.CreateActions, deploytest.UpdateActions}, "read:actions", "", nil},
		{[]string{deploytest.ReadActions, deploytest.UpdateActions}, "create:actions", "nothing was changed", nil},
		{[]string{deploytest.ReadActions, deploytest.CreateActions}, "update:actions", "not bound to post-login", nil},
		{[]string{deploytest.ReadActions, deploytest.CreateActions}, "update:actions", "nothing was changed", func(s *deploytest.Server) {
			s.AddAction(name, oldCode, "node22", true)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.missing+"/"+tc.state, func(t *testing.T) {
			e := newEnv(t)
			if tc.setup != nil {
				tc.setup(e.srv)
			}
			e.srv.SetScopes(tc.granted...)
			_, err := e.deploy(action(newCode))
			wantFailure(t, err, 403, tc.state, "lacks the "+tc.missing+" scope", "Insufficient scope")
		})
	}
}

func TestNotFound(t *testing.T) {
	e := newEnv(t)
	e.srv.AddAction(name, oldCode, "node22", true)
	e.srv.Fail(deploytest.RouteUpdateAction, 404, 1)
	_, err := e.deploy(action(newCode))
	wantFailure(t, err, 404, "nothing was changed", "could not update the Action (PATCH /api/v2/actions/actions/{id})", "may have been deleted")
}

func TestConflictOnCreate(t *testing.T) {
	e := newEnv(t)
	e.srv.Fail(deploytest.RouteCreateAction, 409, 1)
	_, err := e.deploy(action(newCode))
	wantFailure(t, err, 409, "nothing was changed", "could not create the Action", "conflict", "run deploy again")
}

func TestRateLimitThenSuccess(t *testing.T) {
	e := newEnv(t)
	e.srv.Fail(deploytest.RouteListActions, 429, 1, "Retry-After", "3")
	e.srv.Fail(deploytest.RouteCreateAction, 429, 1, "X-RateLimit-Reset", fmt.Sprint(e.now.Unix()+7))
	e.srv.Fail(deploytest.RouteUpdateBindings, 429, 1, "Retry-After", e.now.Add(2*time.Second).UTC().Format(http.TimeFormat))
	e.srv.Fail(deploytest.RouteReadBindings, 429, 1)
	e.mustDeploy(action(newCode))
	e.wantDeployed(newCode, 1)
	e.wantBound(name)
	var got []string
	for _, r := range e.retries {
		got = append(got, fmt.Sprintf("%s %d %s", r.Method, r.Status, r.Wait))
	}
	want := "GET 429 3s,GET 429 1ms,POST 429 7s,PATCH 429 2s"
	if strings.Join(got, ",") != want {
		t.Errorf("retries = %v, want %s", got, want)
	}
}

func TestRateLimitGivesUp(t *testing.T) {
	e := newEnv(t)
	e.srv.Fail(deploytest.RouteListActions, 429, 0)
	_, err := e.deploy(action(newCode))
	wantFailure(t, err, 429, "", "rate-limiting", "run deploy again")
	if n := len(e.srv.Requests()); n != 1+1+3 { // token, first try, 3 retries
		t.Errorf("%d requests, want 5: %v", n, e.srv.Requests())
	}
}

func TestRateLimitLongerThanAllowedIsNotWaited(t *testing.T) {
	e := newEnv(t)
	e.srv.Fail(deploytest.RouteListActions, 429, 1, "Retry-After", "3600")
	_, err := e.deploy(action(newCode))
	wantFailure(t, err, 429, "", "rate-limiting")
	if len(e.retries) != 0 {
		t.Errorf("waited for an hour: %v", e.retries)
	}
}

func TestServerErrors(t *testing.T) {
	t.Run("read retried", func(t *testing.T) {
		e := newEnv(t)
		e.srv.Fail(deploytest.RouteListActions, 503, 2)
		e.mustDeploy(action(newCode))
		if len(e.retries) != 2 {
			t.Errorf("retries = %v", e.retries)
		}
	})
	t.Run("read fails", func(t *testing.T) {
		e := newEnv(t)
		e.srv.Fail(deploytest.RouteReadBindings, 500, 0)
		_, err := e.deploy(action(newCode))
		wantFailure(t, err, 500, "", "could not read the post-login bindings", "server error")
	})
	t.Run("write not retried", func(t *testing.T) {
		e := newEnv(t)
		e.srv.AddAction(name, oldCode, "node22", true)
		e.srv.Fail(deploytest.RouteUpdateAction, 503, 1)
		_, err := e.deploy(action(newCode))
		wantFailure(t, err, 503, "uncertain: Auth0 did not confirm the request to update the Action", "server error")
		if len(e.retries) != 0 {
			t.Errorf("a write was retried: %v", e.retries)
		}
	})
}

func TestBuildNeverFinishes(t *testing.T) {
	e := newEnv(t)
	e.srv.AddAction(name, oldCode, "node22", true)
	e.srv.Bind(name)
	e.srv.SetBuildReads(-1)
	_, err := e.deploy(action(newCode))
	wantFailure(t, err, 0, "code updated but not deployed: the previously deployed version still runs; run deploy again",
		`did not reach status "built" within 20ms (last status "building")`)
	var total time.Duration
	for _, w := range e.sleeps.waits {
		total += w
	}
	if total != 20*time.Millisecond {
		t.Errorf("waited %v in %v, want 20ms in all", total, e.sleeps.waits)
	}
	e.wantDeployed(oldCode, 1)
}

func TestBuildFails(t *testing.T) {
	e := newEnv(t)
	e.srv.SetBuildReads(-2)
	_, err := e.deploy(action(newCode))
	wantFailure(t, err, 0, "created but not deployed or bound", `could not build the Action (status "failed")`)
}

// A failure between the update and the deploy leaves new code undeployed;
// the message says so, and running again finishes the job.
func TestFailureBetweenUpdateAndDeploy(t *testing.T) {
	e := newEnv(t)
	e.srv.AddAction("audit", "x", "node22", true)
	e.srv.AddAction(name, oldCode, "node22", true)
	e.srv.Bind(name, "audit")
	e.srv.Fail(deploytest.RouteDeployAction, 409, 1)
	_, err := e.deploy(action(newCode))
	wantFailure(t, err, 409, "code updated but not deployed: the previously deployed version still runs; run deploy again",
		"could not deploy the Action (POST /api/v2/actions/actions/{id}/deploy)")
	if code, _, dc, _, _ := e.srv.Action(name); code != newCode || dc != oldCode {
		t.Fatalf("draft %q deployed %q", code, dc)
	}
	r := e.mustDeploy(action(newCode))
	if steps(r) != "deploy,verify" {
		t.Errorf("second run steps = %s, want deploy,verify", steps(r))
	}
	e.wantDeployed(newCode, 2)
	e.wantBound(name, "audit")
}

func TestFailureBetweenDeployAndBind(t *testing.T) {
	e := newEnv(t)
	e.srv.Fail(deploytest.RouteUpdateBindings, 409, 1)
	_, err := e.deploy(action(newCode))
	wantFailure(t, err, 409, "deployed but not bound to post-login, so it does not run yet", "could not write the post-login bindings")
	e.mustDeploy(action(newCode))
	e.wantBound(name)
	e.wantDeployed(newCode, 1)
}

func TestMovedBindingFailure(t *testing.T) {
	e := newEnv(t)
	e.srv.AddAction("a", "x", "node22", true)
	e.srv.AddAction(name, oldCode, "node22", true)
	e.srv.Bind("a", name)
	e.opts.Position = deploy.Position{Kind: deploy.First}
	e.srv.Fail(deploytest.RouteUpdateBindings, 404, 1)
	_, err := e.deploy(action(newCode))
	wantFailure(t, err, 404, "deployed and already runs at the Action's current place", "could not write the post-login bindings")
}

func TestErrorJSON(t *testing.T) {
	e := newEnv(t)
	e.srv.Fail(deploytest.RouteCreateAction, 409, 1)
	_, err := e.deploy(action(newCode))
	var de *deploy.Error
	if !errors.As(err, &de) {
		t.Fatal(err)
	}
	b, jerr := de.MarshalJSON()
	if jerr != nil || !strings.Contains(string(b), `"step":"create"`) || !strings.Contains(string(b), `"message":"could not create`) {
		t.Errorf("json = %s, %v", b, jerr)
	}
}

func TestCredentials(t *testing.T) {
	c := deploy.Credentials{Domain: "t.eu.auth0.com", ClientID: "id", ClientSecret: "s3cret", AccessToken: "t0ken"}
	for _, s := range []string{c.String(), fmt.Sprintf("%v %+v %#v %s", c, c, c, c)} {
		if strings.Contains(s, "s3cret") || strings.Contains(s, "t0ken") {
			t.Errorf("credentials print their secrets: %s", s)
		}
	}
	tests := []struct {
		c    deploy.Credentials
		want string
	}{
		{deploy.Credentials{}, "AUTH0_DOMAIN"},
		{deploy.Credentials{Domain: "t.auth0.com"}, "AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET, or AUTH0_ACCESS_TOKEN"},
		{deploy.Credentials{Domain: "t.auth0.com", ClientID: "x"}, "AUTH0_CLIENT_SECRET is not"},
		{deploy.Credentials{Domain: "http://evil.example", AccessToken: "x"}, "only for localhost"},
		{deploy.Credentials{Domain: "t.auth0.com/api", AccessToken: "x"}, "not a host name"},
	}
	for _, tc := range tests {
		if err := tc.c.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Validate(%v) = %v, want %q", tc.c, err, tc.want)
		}
	}
	for _, ok := range []string{"t.eu.auth0.com", "https://t.eu.auth0.com/", "http://127.0.0.1:8080", "http://localhost:1"} {
		if err := (deploy.Credentials{Domain: ok, AccessToken: "x"}).Validate(); err != nil {
			t.Errorf("Validate(%s) = %v", ok, err)
		}
	}
}

func TestContextCancelStopsWaits(t *testing.T) {
	srv := deploytest.New()
	defer srv.Close()
	srv.Fail(deploytest.RouteListActions, 429, 0, "Retry-After", "5")
	m, err := deploy.NewClient(context.Background(), deploy.Credentials{Domain: srv.URL, AccessToken: srv.Token}, deploy.ClientOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = deploy.MakePlan(ctx, m, action(newCode), deploy.Options{})
	if err == nil || time.Since(start) > 2*time.Second {
		t.Errorf("err = %v after %v", err, time.Since(start))
	}
}

func TestRacedBindingsAreCaught(t *testing.T) {
	e := newEnv(t)
	e.srv.AddAction("a", "x", "node22", true)
	e.srv.Bind("a")
	e.srv.RaceBindings("a")
	_, err := e.deploy(action(newCode))
	wantFailure(t, err, 0, "reading them back showed a different list", "read back, the post-login bindings are [a], not [a, adaptive-mfa]")
	e.mustDeploy(action(newCode))
	e.wantBound("a", name)
}
