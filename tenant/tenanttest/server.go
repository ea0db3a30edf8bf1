// Package tenanttest is a local stand-in for the Management API endpoints
// that tenant.Pull reads, for tests: the MFA factors, the MFA policy, the
// phone message types and users' authentication methods, with the
// documented paths, payloads, scopes, pagination and rate limiting.
//
// Payloads follow the endpoints' pages:
// https://auth0.com/docs/api/management/v2/guardian/get-factors,
// https://auth0.com/docs/api/management/v2/guardian/get-policies,
// https://auth0.com/docs/api/management/v2/guardian/get-message-types and
// https://auth0.com/docs/api/management/v2/users/get-authentication-methods
// (an array, or {start, limit, total, authenticators} with
// include_totals=true; page from 0, per_page default 50) and
// https://auth0.com/docs/api/management/v2/users/get-user-roles (paged
// the same way, {start, limit, total, roles}; any one of read:users,
// read:roles and read:role_members). A rate-limited
// request is answered 429 with the X-RateLimit-Limit, -Remaining and -Reset
// headers of Auth0's rate-limit policy
// (https://auth0.com/docs/troubleshoot/customer-support/operational-policies/rate-limit-policy).
package tenanttest

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/mfapolicy/mfapolicy/internal/guardianfake"
)

// Scopes the endpoints need.
const (
	ReadFactors = "read:guardian_factors"
	ReadPolicy  = "read:mfa_policies"
	ReadMethods = "read:authentication_methods"
	ReadRoles   = "read:roles"
	ReadUsers   = "read:users"
	ReadMembers = "read:role_members"
)

// Server is a fake Management API. Create it with New; it is safe for
// concurrent use.
type Server struct {
	*httptest.Server

	// Token is the access token the server accepts.
	Token string

	mu       sync.Mutex
	scopes   map[string]bool
	guardian *guardianfake.Guardian
	users    map[string][]map[string]any
	roles    map[string][]string
	maxPage  int
	limitN   int // every limitN-th request is rate-limited; 0 never
	count    int
	limited  int
	log      []string
	now      func() time.Time
}

// New starts a server with every scope granted, Auth0's factor list with
// nothing enabled, the policy "never", and no users.
func New() *Server {
	s := &Server{
		Token:    "test-access-token",
		scopes:   map[string]bool{ReadFactors: true, ReadPolicy: true, ReadMethods: true, ReadRoles: true},
		guardian: guardianfake.New(),
		users:    map[string][]map[string]any{},
		roles:    map[string][]string{},
		now:      time.Now,
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v2/guardian/factors", s.guard(ReadFactors, s.guardian.GetFactors))
	mux.HandleFunc("GET /api/v2/guardian/policies", s.guard(ReadPolicy, s.guardian.GetPolicies))
	mux.HandleFunc("GET /api/v2/guardian/factors/phone/message-types", s.guard(ReadFactors, s.guardian.GetMessageTypes))
	mux.HandleFunc("GET /api/v2/users/{id}/authentication-methods", s.guard(ReadMethods, s.getMethods))
	mux.HandleFunc("GET /api/v2/users/{id}/roles", s.guard(ReadUsers+" "+ReadRoles+" "+ReadMembers, s.getRoles))
	s.Server = httptest.NewServer(mux)
	return s
}

// Domain is the server's address as deploy.Credentials takes it.
func (s *Server) Domain() string { return s.URL }

// Enable sets the named factors (guardian/factors names such as sms or
// push-notification) enabled.
func (s *Server) Enable(names ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.guardian.Enable(names...)
}

// SetPolicies sets the MFA policy list ([] is never).
func (s *Server) SetPolicies(p ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.guardian.SetPolicies(p...)
}

// SetMessageTypes sets the phone message types.
func (s *Server) SetMessageTypes(t ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.guardian.SetMessageTypes(t...)
}

// AddUser gives a user authentication methods of the given types
// (Management API types: totp, phone, push, email, ...); a type ending
// in "?" is an unconfirmed enrolment.
func (s *Server) AddUser(id string, types ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ms := []map[string]any{}
	for i, t := range types {
		confirmed := !strings.HasSuffix(t, "?")
		t = strings.TrimSuffix(t, "?")
		ms = append(ms, map[string]any{
			"id": t + "|dev_" + strconv.Itoa(i), "type": t, "confirmed": confirmed,
			"created_at": "2026-01-02T03:04:05.000Z",
		})
	}
	s.users[id] = ms
}

// SetRoles gives a user (added with AddUser) roles of these names.
func (s *Server) SetRoles(id string, names ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.roles[id] = append([]string{}, names...)
}

// SetMaxPage caps every page at n items, whatever per_page asks.
func (s *Server) SetMaxPage(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.maxPage = n
}

// RateLimit answers every n-th request 429 (0 turns it off).
func (s *Server) RateLimit(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.limitN = n
}

// SetScopes replaces the scopes granted to the token.
func (s *Server) SetScopes(scopes ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.scopes = map[string]bool{}
	for _, sc := range scopes {
		s.scopes[sc] = true
	}
}

// Requests lists the requests served, as "METHOD /path?query".
func (s *Server) Requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.log...)
}

// Limited counts the requests answered 429.
func (s *Server) Limited() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.limited
}

// guard logs, rate-limits and checks the token and scope (scopes: any one
// of these, space-separated), holding the lock for the handler.
func (s *Server) guard(scopes string, h func(http.ResponseWriter, *http.Request)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.log = append(s.log, r.Method+" "+r.URL.RequestURI())
		s.count++
		if s.limitN > 0 && s.count%s.limitN == 0 {
			s.limited++
			// The window resets within the current second, so that a
			// client honouring X-RateLimit-Reset retries at once.
			reset := s.now().Unix()
			w.Header().Set("X-RateLimit-Limit", "10")
			w.Header().Set("X-RateLimit-Remaining", "0")
			w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(reset, 10))
			apiError(w, http.StatusTooManyRequests, "Too Many Requests", "Global limit has been reached")
			return
		}
		if r.Header.Get("Authorization") != "Bearer "+s.Token {
			apiError(w, http.StatusUnauthorized, "Unauthorized", "Invalid token")
			return
		}
		if !slices.ContainsFunc(strings.Fields(scopes), func(sc string) bool { return s.scopes[sc] }) {
			writeJSON(w, http.StatusForbidden, map[string]any{
				"statusCode": 403, "error": "Forbidden",
				"message": "Insufficient scope, expected any of: " + strings.ReplaceAll(scopes, " ", ","), "errorCode": "insufficient_scope",
			})
			return
		}
		h(w, r)
	}
}

// getMethods pages a user's methods.
func (s *Server) getMethods(w http.ResponseWriter, r *http.Request) {
	ms, ok := s.users[r.PathValue("id")]
	if !ok {
		apiError(w, http.StatusNotFound, "Not Found", "The user does not exist.")
		return
	}
	s.page(w, r, "authenticators", ms)
}

// getRoles pages a user's roles, as {id, name, description} objects.
func (s *Server) getRoles(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if _, ok := s.users[id]; !ok {
		apiError(w, http.StatusNotFound, "Not Found", "The user does not exist.")
		return
	}
	rs := []map[string]any{}
	for i, n := range s.roles[id] {
		rs = append(rs, map[string]any{"id": "rol_" + strconv.Itoa(i), "name": n, "description": n + " role"})
	}
	s.page(w, r, "roles", rs)
}

// page writes one page of items: page from 0, per_page default 50, an
// array unless include_totals=true, then {start, limit, total, key}.
func (s *Server) page(w http.ResponseWriter, r *http.Request, key string, all []map[string]any) {
	q := r.URL.Query()
	page, _ := strconv.Atoi(q.Get("page"))
	per, err := strconv.Atoi(q.Get("per_page"))
	if err != nil || per <= 0 {
		per = 50
	}
	if s.maxPage > 0 {
		per = min(per, s.maxPage)
	}
	lo := min(max(page, 0)*per, len(all))
	hi := min(lo+per, len(all))
	items := append([]map[string]any{}, all[lo:hi]...)
	if q.Get("include_totals") != "true" {
		writeJSON(w, http.StatusOK, items)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"start": lo, "limit": per, "total": len(all), key: items})
}

func apiError(w http.ResponseWriter, status int, title, msg string) {
	writeJSON(w, status, map[string]any{"statusCode": status, "error": title, "message": msg})
}

var writeJSON = guardianfake.WriteJSON
