package main

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/mfapolicy/mfapolicy/deploy/deploytest"
	"github.com/mfapolicy/mfapolicy/internal/guardianfake"
)

type tenantKey struct{}

// actionID matches the ids the fake gives Actions.
var actionID = regexp.MustCompile(`a\d{4}-0000-4000-8000-\d{12}`)

func commaList(l []string) string {
	if len(l) == 0 {
		return "-"
	}
	return strings.Join(l, ",")
}

// TestDeployScripts runs the deploy scripts in testdata/script/deploy, each
// against its own fake Management API, whose address and client
// credentials are in AUTH0_DOMAIN, AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET.
// They live in a folder of their own because they need that tenant.
func TestDeployScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script/deploy",
		Setup: func(e *testscript.Env) error {
			srv := deploytest.New()
			srv.SetBuildReads(0)
			e.Defer(srv.Close)
			e.Setenv("AUTH0_DOMAIN", srv.URL)
			e.Setenv("AUTH0_CLIENT_ID", srv.ClientID)
			e.Setenv("AUTH0_CLIENT_SECRET", srv.ClientSecret)
			e.Setenv("TENANT_TOKEN", srv.Token)
			e.Setenv("TENANT_DOMAIN", srv.URL)
			e.Values[tenantKey{}] = srv
			return nil
		},
		Cmds: map[string]func(*testscript.TestScript, bool, []string){"tenant": cmdTenant},
	})
}

// cmdTenant sets up and inspects the script's fake tenant:
//
//	tenant action NAME FILE [RUNTIME]   add a deployed Action with FILE's code
//	tenant bind NAME...                 set the post-login bindings
//	tenant bound NAME...                assert the post-login bindings
//	tenant deployed NAME VERSION FILE   assert the deployed version and code
//	tenant writes N                     assert the number of writes so far
//	tenant fail ROUTE STATUS TIMES [HEADER VALUE]...
//	tenant scopes SCOPE...              grant only these scopes
//	tenant build N                      reads before a build is done; -1 never
//	tenant factors NAME...              enable guardian/factors (sms, otp, ...)
//	tenant mfapolicy [NAME]             set the MFA policy ([] without NAME)
//	tenant types TYPE...                set the phone message types
//	tenant guardian FACTORS POLICIES TYPES
//	                                    assert the Guardian state: comma lists, - for none
//	tenant log PATTERN...               assert the writes so far, in order ({id} for an id)
//	tenant noguardian                   assert no Guardian endpoint was called
func cmdTenant(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("unsupported: ! tenant")
	}
	if len(args) == 0 {
		ts.Fatalf("usage: tenant action|bind|bound|deployed|writes|fail|scopes|build ...")
	}
	srv := ts.Value(tenantKey{}).(*deploytest.Server)
	atoi := func(s string) int {
		n, err := strconv.Atoi(s)
		ts.Check(err)
		return n
	}
	switch cmd, a := args[0], args[1:]; cmd {
	case "action":
		rt := "node22"
		if len(a) > 2 {
			rt = a[2]
		}
		srv.AddAction(a[0], ts.ReadFile(a[1]), rt, true)
	case "bind":
		srv.Bind(a...)
	case "bound":
		if got := srv.Bound(); strings.Join(got, " ") != strings.Join(a, " ") {
			ts.Fatalf("bound %v, want %v", got, a)
		}
	case "deployed":
		_, _, code, v, ok := srv.Action(a[0])
		if !ok || v != atoi(a[1]) || code != ts.ReadFile(a[2]) {
			ts.Fatalf("%s: deployed version %d (exists %v), want %s with %s's code", a[0], v, ok, a[1], a[2])
		}
	case "writes":
		if w := srv.Writes(); len(w) != atoi(a[0]) {
			ts.Fatalf("writes %v, want %s", w, a[0])
		}
	case "fail":
		srv.Fail(strings.ReplaceAll(a[0], "_", " "), atoi(a[1]), atoi(a[2]), a[3:]...)
	case "scopes":
		srv.SetScopes(a...)
	case "build":
		srv.SetBuildReads(atoi(a[0]))
	case "factors":
		srv.Guardian(func(g *guardianfake.Guardian) { g.Enable(a...) })
	case "mfapolicy":
		srv.Guardian(func(g *guardianfake.Guardian) { g.SetPolicies(a...) })
	case "types":
		srv.Guardian(func(g *guardianfake.Guardian) { g.SetMessageTypes(a...) })
	case "guardian":
		var got []string
		srv.Guardian(func(g *guardianfake.Guardian) {
			got = []string{commaList(g.Enabled()), commaList(g.Policies()), commaList(g.MessageTypes())}
		})
		if strings.Join(got, " ") != strings.Join(a, " ") {
			ts.Fatalf("guardian %v, want %v", got, a)
		}
	case "log":
		got := srv.Writes()
		for i := range got {
			got[i] = actionID.ReplaceAllString(got[i], "{id}")
		}
		if strings.Join(got, "\n") != strings.Join(a, "\n") {
			ts.Fatalf("writes:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(a, "\n  "))
		}
	case "noguardian":
		for _, r := range srv.Requests() {
			if strings.Contains(r, "/guardian/") {
				ts.Fatalf("called %s", r)
			}
		}
	default:
		ts.Fatalf("unknown tenant command %q", cmd)
	}
}
