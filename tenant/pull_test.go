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
	s.SetMaxPage(3) // auth0|3 takes five pages
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
}

func TestPullResumesFromKnownUsers(t *testing.T) {
	s := tenanttest.New()
	defer s.Close()
	s.AddUser("auth0|2", "totp")
	known := map[string][]tenant.Method{"auth0|1": {{Type: "phone"}}}
	res, err := pull(t, s, tenant.PullOptions{Users: []string{"auth0|1", "auth0|2"}, Known: known}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Cached != 1 || res.Fetched != 1 {
		t.Errorf("cached %d fetched %d", res.Cached, res.Fetched)
	}
	for _, r := range s.Requests() {
		if strings.Contains(r, "auth0%7C1") {
			t.Errorf("a known user was fetched again: %s", r)
		}
	}
	if got := res.File.Enrolments(); !reflect.DeepEqual(got, map[string][]string{"auth0|1": {"phone"}, "auth0|2": {"otp"}}) {
		t.Errorf("enrolments %v", got)
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
	if waits != 2 {
		t.Errorf("%d waits between 3 user requests, want 2", waits)
	}
}
