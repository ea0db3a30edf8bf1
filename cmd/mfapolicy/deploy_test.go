package main

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"io"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

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
func TestDeployScripts(t *testing.T) { runTenantScripts(t, "testdata/script/deploy") }

// TestLogsScripts runs the logs pull scripts in testdata/script/logs
// against the same fake Management API, which serves the tenant's logs.
func TestLogsScripts(t *testing.T) { runTenantScripts(t, "testdata/script/logs") }

func runTenantScripts(t *testing.T, dir string) {
	testscript.Run(t, testscript.Params{
		Dir: dir,
		Setup: func(e *testscript.Env) error {
			srv := deploytest.New()
			srv.SetBuildReads(0)
			e.Defer(srv.Close)
			e.Setenv("AUTH0_DOMAIN", srv.URL)
			e.Setenv("AUTH0_CLIENT_ID", srv.ClientID)
			e.Setenv("AUTH0_CLIENT_SECRET", srv.ClientSecret)
			e.Setenv("TENANT_TOKEN", srv.Token)
			e.Setenv("TENANT_SECRET", srv.ClientSecret)
			e.Setenv("TENANT_DOMAIN", srv.URL)
			e.Values[tenantKey{}] = srv
			return nil
		},
		Cmds: map[string]func(*testscript.TestScript, bool, []string){"tenant": cmdTenant, "mmdb": cmdMMDB},
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
//	tenant logins N DATE                N successful logins a minute apart from DATE
//	tenant failafter ROUTE AFTER STATUS TIMES [HEADER VALUE]...
//	tenant recover                      drop every injected failure
//	tenant queries FILE                 write the queries to /api/v2/logs so far
//	                                    to FILE, one a line, log ids as their number
//	tenant pulled FILE N|some           assert FILE (NDJSON, .gz too) holds the
//	                                    logins 1..N (some: 1..n, n > 0), in order, each once
//	tenant stallafter ROUTE N           hang the requests to ROUTE after the next N
//	tenant waitfor N                    wait until N requests to /api/v2/logs came
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
	case "logins":
		at, err := time.Parse(time.RFC3339, a[1])
		ts.Check(err)
		srv.AddLogins(atoi(a[0]), at)
	case "failafter":
		srv.FailAfter(strings.ReplaceAll(a[0], "_", " "), atoi(a[1]), atoi(a[2]), atoi(a[3]), a[4:]...)
	case "recover":
		srv.Recover()
	case "queries":
		var b strings.Builder
		for _, q := range srv.LogQueries() {
			b.WriteString(shortLogIDs(q) + "\n")
		}
		ts.Check(os.WriteFile(ts.MkAbs(a[0]), []byte(b.String()), 0o644))
	case "pulled":
		n := -1
		if a[1] != "some" {
			n = atoi(a[1])
		}
		checkPulled(ts, a[0], n)
	case "stallafter":
		srv.StallAfter(strings.ReplaceAll(a[0], "_", " "), atoi(a[1]))
	case "waitfor":
		for deadline := time.Now().Add(time.Minute); len(srv.LogQueries()) < atoi(a[0]); time.Sleep(10 * time.Millisecond) {
			if time.Now().After(deadline) {
				ts.Fatalf("%d requests to /api/v2/logs after a minute, want %s", len(srv.LogQueries()), a[0])
			}
		}
	default:
		ts.Fatalf("unknown tenant command %q", cmd)
	}
}

// shortLogIDs shows a logs query with each log id as its number in the
// fake's sequence (deploytest.LogID), so that scripts can match it.
func shortLogIDs(q string) string {
	v, err := url.ParseQuery(q)
	if err != nil {
		return q
	}
	if from := v.Get("from"); from != "" {
		n, err := strconv.Atoi(strings.TrimLeft(strings.TrimPrefix(from, "90020261201"), "0"))
		if err == nil && deploytest.LogID(n) == from {
			v.Set("from", "#"+strconv.Itoa(n))
		}
	}
	s, _ := url.QueryUnescape(v.Encode())
	return s
}

// checkPulled asserts that an NDJSON file, gzip-compressed when its name
// ends in .gz, holds the fake's logs 1..n in order, each once; n < 0
// accepts any n > 0.
func checkPulled(ts *testscript.TestScript, name string, n int) {
	f, err := os.Open(ts.MkAbs(name))
	ts.Check(err)
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(name, ".gz") {
		zr, err := gzip.NewReader(f)
		ts.Check(err)
		r = zr
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 1<<20)
	i := 0
	for ; sc.Scan(); i++ {
		var rec struct {
			LogID string `json:"log_id"`
		}
		ts.Check(json.Unmarshal(sc.Bytes(), &rec))
		if want := deploytest.LogID(i + 1); rec.LogID != want {
			ts.Fatalf("%s: record %d is log %s, want %s", name, i+1, rec.LogID, want)
		}
	}
	ts.Check(sc.Err())
	if i != n && (n >= 0 || i == 0) {
		ts.Fatalf("%s holds %d logs, want %d", name, i, n)
	}
	ts.Logf("%s holds logs 1..%d", name, i)
}
