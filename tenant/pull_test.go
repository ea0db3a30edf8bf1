package tenant_test

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/mfapolicy/mfapolicy/deploy"
	"github.com/mfapolicy/mfapolicy/tenant"
	"github.com/mfapolicy/mfapolicy/tenant/tenanttest"
)

// client is the real go-auth0 client, built as the command line builds
// it, against the fake Management API, with retries that do not wait.
func client(t *testing.T, s *tenanttest.Server, retries *int) deploy.ClientOptions {
	t.Helper()
	return deploy.ClientOptions{
		Retry: deploy.RetryPolicy{Retries: 3, Sleep: func(context.Context, time.Duration) error { return nil }},
		OnRetry: func(deploy.Retry) {
			if retries != nil {
				*retries++
			}
		},
	}
}

func pull(t *testing.T, s *tenanttest.Server, opts tenant.PullOptions, retries *int) (*tenant.PullResult, error) {
	t.Helper()
	ctx := context.Background()
	m, err := deploy.NewClient(ctx, deploy.Credentials{Domain: s.Domain(), AccessToken: s.Token}, client(t, s, retries))
	if err != nil {
		t.Fatal(err)
	}
	return tenant.Pull(ctx, m, opts)
}

func TestPull(t *testing.T) {
	s := tenanttest.New()
	defer s.Close()
	s.Enable("sms", "otp", "push-notification")
	s.SetPolicies("confidence-score")
	s.SetMessageTypes("sms", "voice")
	s.AddUser("auth0|1", "totp", "phone?")
	s.AddUser("auth0|2", "email")
	var many []string
	for i := 0; i < 7; i++ {
		many = append(many, "recovery-code", "push")
	}
	s.AddUser("auth0|3", many...)
	s.SetRoles("auth0|1", "support", "admin")
	s.SetRoles("auth0|3", "r7", "r6", "r5", "r4", "r3", "r2", "r1", "admin")
	s.SetMaxPage(3) // auth0|3 takes five pages of methods, three of roles
	s.RateLimit(4)  // every fourth request answers 429

	var retries int
	var progress []string
	res, err := pull(t, s, tenant.PullOptions{
		Domain: "example.eu.auth0.com",
		Users:  []string{"auth0|1", "auth0|2", "auth0|1", "auth0|3", "auth0|gone"},
		Progress: func(done, total int) {
			progress = append(progress, fmt.Sprintf("%d/%d", done, total))
		},
	}, &retries)
	if err != nil {
		t.Fatal(err)
	}
	f := res.File
	if got, _ := f.EnabledFactors(); !reflect.DeepEqual(got, []string{"otp", "phone", "push-notification"}) {
		t.Errorf("enabled %v", got)
	}
	if p, _ := f.MFAPolicy(); p != tenant.ConfidenceScore {
		t.Errorf("policy %q", p)
	}
	if !reflect.DeepEqual(f.PhoneMessageTypes, []string{"sms", "voice"}) {
		t.Errorf("message types %v", f.PhoneMessageTypes)
	}
	want := map[string][]string{
		"auth0|1": {"otp"},
		"auth0|2": {"email"},
		"auth0|3": {"recovery-code", "push-notification"},
	}
	if got := f.Enrolments(); !reflect.DeepEqual(got, want) {
		t.Errorf("enrolments\n got %v\nwant %v", got, want)
	}
	if len(f.Users["auth0|3"]) != 14 {
		t.Errorf("auth0|3 has %d methods, want all 14 pages' worth", len(f.Users["auth0|3"]))
	}
	wantRoles := map[string][]string{
		"auth0|1": {"admin", "support"},
		"auth0|2": {},
		"auth0|3": {"admin", "r1", "r2", "r3", "r4", "r5", "r6", "r7"},
	}
	if !reflect.DeepEqual(f.Roles, wantRoles) {
		t.Errorf("roles\n got %v\nwant %v", f.Roles, wantRoles)
	}
	if !reflect.DeepEqual(res.Unknown, []string{"auth0|gone"}) || res.Fetched != 4 {
		t.Errorf("unknown %v fetched %d", res.Unknown, res.Fetched)
	}
	if s.Limited() == 0 || retries != s.Limited() {
		t.Errorf("429s %d, retries %d: every rate-limited request is retried", s.Limited(), retries)
	}
	if got := strings.Join(progress, " "); got != "1/4 2/4 3/4 4/4" {
		t.Errorf("progress %s", got)
	}
	var pages int
	for _, r := range s.Requests() {
		if strings.Contains(r, "auth0%7C3/authentication-methods") && strings.Contains(r, "include_totals=true") {
			pages++
		}
	}
	if pages < 5 {
		t.Errorf("%d page requests for auth0|3, want at least 5:\n%s", pages, strings.Join(s.Requests(), "\n"))
	}
	pages = 0
	for _, r := range s.Requests() {
		if strings.Contains(r, "auth0%7C3/roles") && strings.Contains(r, "include_totals=true") {
			pages++
		}
	}
	if pages < 3 {
		t.Errorf("%d role page requests for auth0|3, want at least 3", pages)
	}
}

func TestPullResumesFromKnownUsers(t *testing.T) {
	s := tenanttest.New()
	defer s.Close()
	s.AddUser("auth0|2", "totp")
	s.AddUser("auth0|4", "totp")
	s.SetRoles("auth0|4", "admin")
	known := map[string][]tenant.Method{"auth0|1": {{Type: "phone"}}, "auth0|4": {{Type: "email"}}}
	// auth0|4 was pulled before roles were: only its roles are fetched.
	knownRoles := map[string][]string{"auth0|1": {"ops"}}
	res, err := pull(t, s, tenant.PullOptions{Users: []string{"auth0|1", "auth0|2", "auth0|4"}, Known: known, KnownRoles: knownRoles}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Cached != 1 || res.Fetched != 2 {
		t.Errorf("cached %d fetched %d", res.Cached, res.Fetched)
	}
	for _, r := range s.Requests() {
		if strings.Contains(r, "auth0%7C1") || strings.Contains(r, "auth0%7C4/authentication-methods") {
			t.Errorf("something known was fetched again: %s", r)
		}
	}
	if got := res.File.Enrolments(); !reflect.DeepEqual(got, map[string][]string{"auth0|1": {"phone"}, "auth0|2": {"otp"}, "auth0|4": {"email"}}) {
		t.Errorf("enrolments %v", got)
	}
	if got := res.File.Roles; !reflect.DeepEqual(got, map[string][]string{"auth0|1": {"ops"}, "auth0|2": {}, "auth0|4": {"admin"}}) {
		t.Errorf("roles %v", got)
	}
}

func TestPullNamesMissingRolesScope(t *testing.T) {
	s := tenanttest.New()
	defer s.Close()
	s.AddUser("auth0|1", "totp")
	s.SetScopes(tenanttest.ReadFactors, tenanttest.ReadPolicy, tenanttest.ReadMethods)
	res, err := pull(t, s, tenant.PullOptions{Users: []string{"auth0|1"}}, nil)
	if err == nil || !strings.Contains(err.Error(), "needs the read:roles scope") {
		t.Fatalf("error %v, want the roles scope named", err)
	}
	// What was fetched is kept for the next run.
	if res == nil || len(res.File.Users["auth0|1"]) != 1 {
		t.Fatalf("result %+v", res)
	}
	// Any one of the scopes the page lists will do.
	s.SetScopes(tenanttest.ReadFactors, tenanttest.ReadPolicy, tenanttest.ReadMethods, tenanttest.ReadMembers)
	if _, err := pull(t, s, tenant.PullOptions{Users: []string{"auth0|1"}}, nil); err != nil {
		t.Fatal(err)
	}
}

func TestPullNamesMissingScope(t *testing.T) {
	s := tenanttest.New()
	defer s.Close()
	s.SetScopes(tenanttest.ReadFactors)
	_, err := pull(t, s, tenant.PullOptions{}, nil)
	if err == nil || !strings.Contains(err.Error(), "read:mfa_policies") {
		t.Errorf("error %v, want the missing scope named", err)
	}
}

func TestPullPacesUsers(t *testing.T) {
	s := tenanttest.New()
	defer s.Close()
	s.AddUser("a", "totp")
	s.AddUser("b", "totp")
	s.AddUser("c", "totp")
	var waits int
	_, err := pull(t, s, tenant.PullOptions{
		Users: []string{"a", "b", "c"}, Interval: time.Hour,
		Sleep: func(context.Context, time.Duration) error { waits++; return nil },
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Two requests a user (methods, roles): six requests, five waits.
	if waits != 5 {
		t.Errorf("%d waits between 6 user requests, want 5", waits)
	}
}
