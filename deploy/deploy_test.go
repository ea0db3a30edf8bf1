package deploy_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/auth0/go-auth0/management"

	"github.com/mfapolicy/mfapolicy/deploy"
	"github.com/mfapolicy/mfapolicy/deploy/deploytest"
)

const (
	name    = "adaptive-mfa"
	oldCode = "exports.onExecutePostLogin = async () => {\n  // v1\n};\n"
	newCode = "exports.onExecutePostLogin = async () => {\n  // v2\n};\n"
)

// sleeper records the waits asked for and returns at once.
type sleeper struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (s *sleeper) sleep(_ context.Context, d time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.waits = append(s.waits, d)
	return nil
}

type env struct {
	t       *testing.T
	srv     *deploytest.Server
	m       *management.Management
	retries []deploy.Retry
	sleeps  *sleeper
	opts    deploy.Options
	now     time.Time
}

// newEnv starts a fake tenant and a real go-auth0 client that gets its
// token with client credentials, with waits that return at once.
func newEnv(t *testing.T) *env {
	t.Helper()
	e := &env{t: t, srv: deploytest.New(), sleeps: &sleeper{}, now: time.Unix(1_800_000_000, 0)}
	t.Cleanup(e.srv.Close)
	e.opts = deploy.Options{
		Build: deploy.Backoff{Initial: time.Millisecond, Max: 4 * time.Millisecond, Timeout: 20 * time.Millisecond},
		Sleep: e.sleeps.sleep,
	}
	e.connect(deploy.Credentials{Domain: e.srv.URL, ClientID: e.srv.ClientID, ClientSecret: e.srv.ClientSecret})
	return e
}

func (e *env) connect(c deploy.Credentials) {
	e.t.Helper()
	m, err := deploy.NewClient(context.Background(), c, deploy.ClientOptions{
		Retry:   deploy.RetryPolicy{Retries: 3, Initial: time.Millisecond, Max: 10 * time.Second, Sleep: e.sleeps.sleep, Now: func() time.Time { return e.now }},
		OnRetry: func(r deploy.Retry) { e.retries = append(e.retries, r) },
	})
	if err != nil {
		e.t.Fatal(err)
	}
	e.m = m
}

func action(code string) deploy.Action {
	return deploy.Action{Name: name, Code: []byte(code), Runtime: "node22"}
}

func (e *env) plan(a deploy.Action) *deploy.Plan {
	e.t.Helper()
	p, err := deploy.MakePlan(context.Background(), e.m, a, e.opts)
	if err != nil {
		e.t.Fatalf("plan: %v", err)
	}
	return p
}

func (e *env) deploy(a deploy.Action) (*deploy.Result, error) {
	e.t.Helper()
	p, err := deploy.MakePlan(context.Background(), e.m, a, e.opts)
	if err != nil {
		return nil, err
	}
	return deploy.Apply(context.Background(), e.m, p, nil)
}

func (e *env) mustDeploy(a deploy.Action) *deploy.Result {
	e.t.Helper()
	r, err := e.deploy(a)
	if err != nil {
		e.t.Fatalf("deploy: %v", err)
	}
	return r
}

func (e *env) wantBound(want ...string) {
	e.t.Helper()
	if got := e.srv.Bound(); strings.Join(got, ",") != strings.Join(want, ",") {
		e.t.Errorf("bound = %v, want %v", got, want)
	}
}

func (e *env) wantDeployed(code string, version int) {
	e.t.Helper()
	_, _, dc, v, ok := e.srv.Action(name)
	if !ok || dc != code || v != version {
		e.t.Errorf("deployed = version %d %q (exists %v), want version %d %q", v, dc, ok, version, code)
	}
}

func steps(r *deploy.Result) string {
	var s []string
	for _, st := range r.Steps {
		s = append(s, string(st.Kind))
	}
	return strings.Join(s, ",")
}

func TestFirstDeploy(t *testing.T) {
	e := newEnv(t)
	e.srv.AddAction("rate-limit", "x", "node22", true)
	e.srv.Bind("rate-limit")
	p := e.plan(action(newCode))
	if p.Operation != deploy.Create || !p.Deploy || !p.Bind || p.UpToDate {
		t.Fatalf("plan = %+v, want create, deploy, bind", p)
	}
	if !strings.Contains(p.CodeDiff, "+  // v2") || !strings.Contains(p.CodeDiff, "--- deployed (none)") {
		t.Errorf("code diff:\n%s", p.CodeDiff)
	}
	r, err := deploy.Apply(context.Background(), e.m, p, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := steps(r); got != "create,wait-build,deploy,bind,verify" {
		t.Errorf("steps = %s", got)
	}
	e.wantDeployed(newCode, 1)
	e.wantBound("rate-limit", name)
	if r.Version == nil || r.Version.Number != 1 || r.ActionID == "" {
		t.Errorf("result = %+v", r)
	}
	if reqs := strings.Join(e.srv.Requests(), "\n"); !strings.HasPrefix(reqs, "POST /oauth/token") {
		t.Errorf("first request is not the client-credentials token:\n%s", reqs)
	}
}

func TestUpdateKeepsPlaceAndOthers(t *testing.T) {
	e := newEnv(t)
	for _, n := range []string{"rate-limit", "audit"} {
		e.srv.AddAction(n, "x", "node22", true)
	}
	e.srv.AddAction(name, oldCode, "node22", true)
	e.srv.Bind("rate-limit", name, "audit")
	p := e.plan(action(newCode))
	if p.Operation != deploy.Update || strings.Join(p.Changes, ",") != "code" || !p.Deploy || p.Bind {
		t.Fatalf("plan = %+v, want update code, deploy, no bind", p)
	}
	if !strings.Contains(p.CodeDiff, "-  // v1\n+  // v2") || p.DeployedVersion.Number != 1 {
		t.Errorf("diff against version %v:\n%s", p.DeployedVersion, p.CodeDiff)
	}
	r, err := deploy.Apply(context.Background(), e.m, p, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := steps(r); got != "update,wait-build,deploy,verify" {
		t.Errorf("steps = %s", got)
	}
	e.wantDeployed(newCode, 2)
	e.wantBound("rate-limit", name, "audit")
}

func TestRuntimeOnlyChange(t *testing.T) {
	e := newEnv(t)
	e.srv.AddAction(name, newCode, "node18", true)
	e.srv.Bind(name)
	p := e.plan(action(newCode))
	if p.Operation != deploy.Update || strings.Join(p.Changes, ",") != "runtime" || p.CodeDiff != "" {
		t.Fatalf("plan = %+v", p)
	}
	e.mustDeploy(action(newCode))
	if _, rt, _, v, _ := e.srv.Action(name); rt != "node22" || v != 2 {
		t.Errorf("runtime %s version %d", rt, v)
	}
}

func TestRedeployIsNoOp(t *testing.T) {
	e := newEnv(t)
	e.mustDeploy(action(newCode))
	writes := len(e.srv.Writes())
	p := e.plan(action(newCode))
	if !p.UpToDate || p.Operation != deploy.NoChange || p.Deploy || p.Bind || p.CodeDiff != "" {
		t.Fatalf("second plan = %+v, want up to date", p)
	}
	r, err := deploy.Apply(context.Background(), e.m, p, nil)
	if err != nil || !r.UpToDate || len(r.Steps) != 0 {
		t.Fatalf("apply = %+v, %v", r, err)
	}
	if w := e.srv.Writes(); len(w) != writes {
		t.Errorf("an up-to-date deploy wrote: %v", w[writes:])
	}
	e.wantDeployed(newCode, 1)
}

func TestDryRunChangesNothing(t *testing.T) {
	e := newEnv(t)
	for _, n := range []string{"a", "b"} {
		e.srv.AddAction(n, "x", "node22", true)
	}
	e.srv.AddAction(name, oldCode, "node22", true)
	e.srv.Bind("a", name, "b")
	opts := e.opts
	opts.Position = deploy.Position{Kind: deploy.First}
	p, err := deploy.MakePlan(context.Background(), e.m, action(newCode), opts)
	if err != nil {
		t.Fatal(err)
	}
	if w := e.srv.Writes(); len(w) != 0 {
		t.Errorf("planning wrote: %v", w)
	}
	if got := bindingNames(p.BindingsBefore); got != "a,adaptive-mfa,b" {
		t.Errorf("before = %s", got)
	}
	if got := bindingNames(p.BindingsAfter); got != "adaptive-mfa,a,b" {
		t.Errorf("after = %s", got)
	}
	if p.CodeDiff == "" || !p.Bind || !p.Deploy {
		t.Errorf("plan = %+v", p)
	}
	e.wantDeployed(oldCode, 1)
}

func bindingNames(list []deploy.Binding) string {
	var s []string
	for _, b := range list {
		s = append(s, b.ActionName)
	}
	return strings.Join(s, ",")
}

func TestPositions(t *testing.T) {
	tests := []struct {
		pos        string
		bound      []string // before; "" for ours when bound
		want       string
		wantErr    string
		wantChange bool
	}{
		{pos: "", bound: []string{"a", "b"}, want: "a,b,adaptive-mfa", wantChange: true},
		{pos: "", bound: []string{"a", name, "b"}, want: "a,adaptive-mfa,b"},
		{pos: "first", bound: []string{"a", "b"}, want: "adaptive-mfa,a,b", wantChange: true},
		{pos: "first", bound: []string{"a", name, "b"}, want: "adaptive-mfa,a,b", wantChange: true},
		{pos: "first", bound: []string{name, "a", "b"}, want: "adaptive-mfa,a,b"},
		{pos: "last", bound: []string{"a", name, "b"}, want: "a,b,adaptive-mfa", wantChange: true},
		{pos: "last", bound: []string{"a", "b"}, want: "a,b,adaptive-mfa", wantChange: true},
		{pos: "last", bound: []string{"a", "b", name}, want: "a,b,adaptive-mfa"},
		{pos: "after:a", bound: []string{"a", "b", "c"}, want: "a,adaptive-mfa,b,c", wantChange: true},
		{pos: "after:b", bound: []string{name, "a", "b", "c"}, want: "a,b,adaptive-mfa,c", wantChange: true},
		{pos: "after:c", bound: []string{"a", name, "b", "c"}, want: "a,b,c,adaptive-mfa", wantChange: true},
		{pos: "after:a", bound: []string{"a", name, "b"}, want: "a,adaptive-mfa,b"},
		{pos: "after:zzz", bound: []string{"a", "b"}, wantErr: "no Action of that name is bound to post-login (bound: a, b)"},
		{pos: "after:" + name, bound: []string{"a"}, wantErr: "names the Action being deployed"},
	}
	for _, tc := range tests {
		t.Run(tc.pos+"/"+strings.Join(tc.bound, ","), func(t *testing.T) {
			e := newEnv(t)
			for _, n := range []string{"a", "b", "c"} {
				e.srv.AddAction(n, "x", "node22", true)
			}
			e.srv.AddAction(name, newCode, "node22", true)
			e.srv.Bind(tc.bound...)
			pos, err := deploy.ParsePosition(tc.pos)
			if err != nil {
				t.Fatal(err)
			}
			e.opts.Position = pos
			r, err := e.deploy(action(newCode))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				if len(e.srv.Writes()) != 0 {
					t.Errorf("a refused position wrote: %v", e.srv.Writes())
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			e.wantBound(strings.Split(tc.want, ",")...)
			if r.UpToDate == tc.wantChange {
				t.Errorf("up to date = %v, want %v", r.UpToDate, !tc.wantChange)
			}
			if tc.wantChange && steps(r) != "bind,verify" {
				t.Errorf("steps = %s, want bind,verify only", steps(r))
			}
		})
	}
}

func TestParsePosition(t *testing.T) {
	for _, bad := range []string{"middle", "after:", "after: ", "FIRST"} {
		if _, err := deploy.ParsePosition(bad); err == nil {
			t.Errorf("ParsePosition(%q) accepted", bad)
		}
	}
	p, err := deploy.ParsePosition("after:rate-limit")
	if err != nil || p.Kind != deploy.After || p.After != "rate-limit" || p.String() != "after:rate-limit" {
		t.Errorf("got %+v, %v", p, err)
	}
}

func TestBindingsArePaginated(t *testing.T) {
	e := newEnv(t)
	e.srv.SetPerPage(2)
	others := []string{"a", "b", "c", "d", "e"}
	for _, n := range others {
		e.srv.AddAction(n, "x", "node22", true)
	}
	e.srv.Bind(others...)
	e.mustDeploy(action(newCode))
	e.wantBound("a", "b", "c", "d", "e", name)
}

func TestUndeployedDraftIsDeployed(t *testing.T) {
	e := newEnv(t)
	e.srv.AddAction(name, oldCode, "node22", true)
	e.srv.Bind(name)
	e.srv.SetDraft(name, newCode)
	p := e.plan(action(newCode))
	if p.Operation != deploy.NoChange || !p.Deploy || p.UpToDate {
		t.Fatalf("plan = %+v, want deploy of the existing draft", p)
	}
	e.mustDeploy(action(newCode))
	e.wantDeployed(newCode, 2)
}

func TestUndeployedEditsAreNoted(t *testing.T) {
	e := newEnv(t)
	e.srv.AddAction(name, oldCode, "node22", true)
	e.srv.SetDraft(name, "// edited in the dashboard\n")
	p := e.plan(action(newCode))
	if len(p.Notes) != 1 || !strings.Contains(p.Notes[0], "undeployed edits") {
		t.Errorf("notes = %v", p.Notes)
	}
}

func TestProgressIsReported(t *testing.T) {
	e := newEnv(t)
	e.srv.SetBuildReads(2)
	p := e.plan(action(newCode))
	var got []deploy.Step
	if _, err := deploy.Apply(context.Background(), e.m, p, func(s deploy.Step) { got = append(got, s) }); err != nil {
		t.Fatal(err)
	}
	if len(got) != 6 || got[1].Kind != deploy.StepWaitBuild || !strings.Contains(got[1].Message, `"building"`) {
		t.Errorf("progress = %+v", got)
	}
}

func TestActionErrorsAreTyped(t *testing.T) {
	e := newEnv(t)
	_, err := deploy.MakePlan(context.Background(), e.m, deploy.Action{Name: name, Runtime: "node22"}, e.opts)
	if err == nil || !strings.Contains(err.Error(), "no code") {
		t.Errorf("err = %v", err)
	}
	var ae *deploy.APIError
	if errors.As(err, &ae) {
		t.Errorf("a local error is an APIError")
	}
}
