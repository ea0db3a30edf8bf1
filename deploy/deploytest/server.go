// Package deploytest is a local stand-in for the parts of the Auth0
// Management API that packages deploy and logs call, for tests:
// client-credentials tokens, Actions (list by name, create, read, update,
// deploy, versions), trigger bindings (paginated read, full-replacement
// write), the Guardian MFA configuration (factors, phone message types,
// MFA policy; shared with tenanttest through internal/guardianfake) and
// tenant logs (checkpoint and date-search paging, logs.go), with the
// documented paths, payloads and scopes, and failures that tests inject.
//
// Payloads follow the examples on the endpoints' pages under
// https://auth0.com/docs/api/management/v2/actions. Where the pages do not
// say (the exact wording of a 409 or of deploying an unbuilt Action), the
// server uses the wording Auth0's own tools match on, as noted.
package deploytest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"

	"github.com/mfapolicy/mfapolicy/internal/guardianfake"
)

// Scopes the Action endpoints need.
const (
	ReadActions   = "read:actions"
	CreateActions = "create:actions"
	UpdateActions = "update:actions"
	// ReadLogs is the scope of GET /api/v2/logs
	// (https://auth0.com/docs/api/management/v2/logs/get-logs).
	ReadLogs = "read:logs"
)

// Scopes the Guardian endpoints need
// (https://auth0.com/docs/api/management/v2/guardian).
const (
	ReadFactors    = "read:guardian_factors"
	UpdateFactors  = "update:guardian_factors"
	ReadPolicies   = "read:mfa_policies"
	UpdatePolicies = "update:mfa_policies"
)

// Server is a fake Management API. Create it with New; it is safe for
// concurrent use.
type Server struct {
	*httptest.Server

	// ClientID and ClientSecret are the credentials /oauth/token accepts.
	ClientID, ClientSecret string
	// Token is the access token the server issues and accepts.
	Token string

	mu       sync.Mutex
	scopes   map[string]bool
	actions  []*action
	bindings []*binding
	failures []*failure
	guardian *guardianfake.Guardian
	log      []string
	seq      int
	// buildReads is how many reads of an Action report "building" after
	// each change before it reports "built"; -1 never builds, -2 fails.
	buildReads int
	perPage    int
	clock      time.Time
	race       []string
	logs       []tenantLog
	logQueries []string
	stalls     map[string]int // route: requests to let through before hanging
}

// New starts a fake Management API with every Action and Guardian scope
// and read:logs granted, and the Guardian defaults of a new tenant (no
// factor enabled, MFA policy never, phone message type sms). Close it when
// done.
func New() *Server {
	s := &Server{
		ClientID: "test-client-id", ClientSecret: "test-client-secret", Token: "test-access-token",
		scopes: map[string]bool{
			ReadActions: true, CreateActions: true, UpdateActions: true,
			ReadFactors: true, UpdateFactors: true, ReadPolicies: true, UpdatePolicies: true,
			ReadLogs: true,
		},
		guardian:   guardianfake.New(),
		buildReads: 1, perPage: 20,
		clock: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
	}
	s.Server = httptest.NewServer(s.routes())
	return s
}

// Domain is the server's address as deploy takes it: http://127.0.0.1:PORT.
func (s *Server) Domain() string { return s.URL }

// SetScopes replaces the scopes granted to the token.
func (s *Server) SetScopes(scopes ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.scopes = map[string]bool{}
	for _, sc := range scopes {
		s.scopes[sc] = true
	}
}

// SetBuildReads sets how many reads of a changed Action report status
// "building" before "built". -1: the build never finishes. -2: it fails.
func (s *Server) SetBuildReads(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.buildReads = n
}

// SetPerPage sets the largest page the list endpoints return, whatever
// per_page asks, so that tests exercise pagination.
func (s *Server) SetPerPage(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.perPage = n
}

// Fail makes the next times requests matching route ("PATCH
// /api/v2/actions/actions/{id}", as listed by Routes) answer status with
// an Auth0-style error body and the given headers; times 0 means always.
func (s *Server) Fail(route string, status, times int, header ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	h := http.Header{}
	for i := 0; i+1 < len(header); i += 2 {
		h.Set(header[i], header[i+1])
	}
	s.failures = append(s.failures, &failure{route: route, status: status, left: times, always: times == 0, header: h})
}

// FailAfter is Fail from the request to route after the next after
// requests to it on: FailAfter(RouteLogs, 2, 429, 1) rate-limits the
// third page.
func (s *Server) FailAfter(route string, after, status, times int, header ...string) {
	s.Fail(route, status, times, header...)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failures[len(s.failures)-1].skip = after
}

// Recover drops every failure injected by Fail, FailAfter and
// StallAfter.
func (s *Server) Recover() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failures, s.stalls = nil, nil
}

// StallAfter makes the requests to route after the next after hang, as
// an unresponsive server does, until the client gives up (a minute at
// most), so that tests can interrupt a client at a known point.
func (s *Server) StallAfter(route string, after int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stalls == nil {
		s.stalls = map[string]int{}
	}
	s.stalls[route] = after
}

// stall hangs the request if route is stalled, letting go of the lock
// (held by the caller) meanwhile.
func (s *Server) stall(route string, r *http.Request) {
	n, ok := s.stalls[route]
	if !ok {
		return
	}
	if n > 0 {
		s.stalls[route] = n - 1
		return
	}
	s.mu.Unlock()
	defer s.mu.Lock()
	select {
	case <-r.Context().Done():
	case <-time.After(time.Minute):
	}
}

// RaceBindings makes the next write of the bindings be overtaken at once
// by another writer that binds the named Actions, as a colleague's
// concurrent deploy might.
func (s *Server) RaceBindings(names ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.race = append([]string{}, names...)
}

// Requests lists the requests served so far as "METHOD /path".
func (s *Server) Requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.log...)
}

// Writes lists the requests so far that could change the tenant (all but
// GET and the token endpoint).
func (s *Server) Writes() []string {
	var w []string
	for _, r := range s.Requests() {
		if !strings.HasPrefix(r, "GET ") && !strings.HasPrefix(r, "POST /oauth/token") {
			w = append(w, r)
		}
	}
	return w
}

// Guardian runs f on the tenant's MFA configuration (factors by their
// guardian/factors names, MFA policy list, phone message types) under the
// server's lock, to set it up or read it.
func (s *Server) Guardian(f func(g *guardianfake.Guardian)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(s.guardian)
}

// AddAction puts an Action on the tenant, deployed when deployed is true,
// and returns its id.
func (s *Server) AddAction(name, code, runtime string, deployed bool) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.newAction(name, code, runtime, []trigger{{ID: "post-login", Version: "v3"}})
	a.Status = "built"
	if deployed {
		s.deploy(a)
	}
	return a.ID
}

// SetDraft changes an Action's code without deploying it, as an edit in
// the dashboard's editor would.
func (s *Server) SetDraft(name, code string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if a := s.byName(name); a != nil {
		a.Code = code
		a.AllChangesDeployed = false
	}
}

// Bind replaces the post-login bindings with the named Actions, in order.
func (s *Server) Bind(names ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.bindings = nil
	for _, n := range names {
		if a := s.byName(n); a != nil {
			s.bindings = append(s.bindings, s.newBinding(a, n))
		}
	}
}

// Bound lists the names of the Actions bound to post-login, in order.
func (s *Server) Bound() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []string{}
	for _, b := range s.bindings {
		out = append(out, b.Action.Name)
	}
	return out
}

// Action returns a copy of the named Action: its draft code, runtime,
// deployed code and version number (0 when never deployed).
func (s *Server) Action(name string) (code, runtime, deployedCode string, version int, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.byName(name)
	if a == nil {
		return "", "", "", 0, false
	}
	if a.DeployedVersion != nil {
		deployedCode, version = a.DeployedVersion.Code, a.DeployedVersion.Number
	}
	return a.Code, a.Runtime, deployedCode, version, true
}

func (s *Server) nextID(prefix string) string {
	s.seq++
	return fmt.Sprintf("%s%04d-0000-4000-8000-%012d", prefix, s.seq, s.seq)
}

func (s *Server) now() string {
	s.clock = s.clock.Add(time.Second)
	return s.clock.Format("2006-01-02T15:04:05.000Z")
}

func (s *Server) byName(name string) *action {
	for _, a := range s.actions {
		if a.Name == name {
			return a
		}
	}
	return nil
}

func (s *Server) byID(id string) *action {
	for _, a := range s.actions {
		if a.ID == id {
			return a
		}
	}
	return nil
}

type failure struct {
	route  string
	status int
	left   int
	skip   int // requests to let through first
	always bool
	header http.Header
}

// injected returns the failure to answer route with, if any. Every
// failure still waiting for its turn counts the request.
func (s *Server) injected(route string) *failure {
	var hit *failure
	for _, f := range s.failures {
		switch {
		case f.route != route:
		case f.skip > 0:
			f.skip--
		case hit == nil && (f.always || f.left > 0):
			f.left--
			hit = f
		}
	}
	return hit
}
