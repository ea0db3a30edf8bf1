package main

import (
	"strconv"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/mfapolicy/mfapolicy/tenant/tenanttest"
)

type guardianKey struct{}

// TestTenantScripts runs the scripts in testdata/script/tenant, each
// against its own fake Management API (guardian and authentication-methods
// endpoints), whose address and token are in AUTH0_DOMAIN and
// AUTH0_ACCESS_TOKEN.
func TestTenantScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script/tenant",
		Setup: func(e *testscript.Env) error {
			srv := tenanttest.New()
			e.Defer(srv.Close)
			e.Setenv("AUTH0_DOMAIN", srv.URL)
			e.Setenv("AUTH0_ACCESS_TOKEN", srv.Token)
			e.Values[guardianKey{}] = srv
			return nil
		},
		Cmds: map[string]func(*testscript.TestScript, bool, []string){"guardian": cmdGuardian},
	})
}

// cmdGuardian sets up the script's fake tenant:
//
//	guardian enable NAME...          enable guardian/factors by name
//	guardian policy [NAME]           set the MFA policy ([] without NAME)
//	guardian types TYPE...           set the phone message types
//	guardian user ID TYPE...         give a user authentication methods
//	guardian roles ID NAME...        give a user (added with user) roles
//	guardian page N                  cap every page at N items
//	guardian ratelimit N             answer every N-th request 429
//	guardian limited N               assert N requests were answered 429
func cmdGuardian(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) == 0 {
		ts.Fatalf("usage: guardian enable|policy|user|page|ratelimit|limited ...")
	}
	srv := ts.Value(guardianKey{}).(*tenanttest.Server)
	num := func() int {
		if len(args) != 2 {
			ts.Fatalf("guardian %s N", args[0])
		}
		n, err := strconv.Atoi(args[1])
		ts.Check(err)
		return n
	}
	switch args[0] {
	case "enable":
		srv.Enable(args[1:]...)
	case "policy":
		srv.SetPolicies(args[1:]...)
	case "types":
		srv.SetMessageTypes(args[1:]...)
	case "user":
		srv.AddUser(args[1], args[2:]...)
	case "roles":
		srv.SetRoles(args[1], args[2:]...)
	case "page":
		srv.SetMaxPage(num())
	case "ratelimit":
		srv.RateLimit(num())
	case "limited":
		if got, want := srv.Limited(), num(); got != want {
			ts.Fatalf("%d requests rate-limited, want %d", got, want)
		}
	default:
		ts.Fatalf("unknown guardian command %q", args[0])
	}
}
