package deploytest

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/mfapolicy/mfapolicy/internal/guardianfake"
)

// Routes, as Fail takes them: method and ServeMux path pattern.
const (
	RouteToken          = "POST /oauth/token"
	RouteListActions    = "GET /api/v2/actions/actions"
	RouteCreateAction   = "POST /api/v2/actions/actions"
	RouteReadAction     = "GET /api/v2/actions/actions/{id}"
	RouteUpdateAction   = "PATCH /api/v2/actions/actions/{id}"
	RouteDeployAction   = "POST /api/v2/actions/actions/{id}/deploy"
	RouteReadVersion    = "GET /api/v2/actions/actions/{actionId}/versions/{id}"
	RouteReadBindings   = "GET /api/v2/actions/triggers/{triggerId}/bindings"
	RouteUpdateBindings = "PATCH /api/v2/actions/triggers/{triggerId}/bindings"
	RouteLogs           = "GET /api/v2/logs"

	RouteReadFactors        = "GET /api/v2/guardian/factors"
	RouteUpdateFactor       = "PUT /api/v2/guardian/factors/{name}"
	RouteReadMessageTypes   = "GET /api/v2/guardian/factors/phone/message-types"
	RouteUpdateMessageTypes = "PUT /api/v2/guardian/factors/phone/message-types"
	RouteReadPolicies       = "GET /api/v2/guardian/policies"
	RouteUpdatePolicies     = "PUT /api/v2/guardian/policies"
)

// scopeOf is the scope each Management API route needs, from the
// endpoint's page (https://auth0.com/docs/api/management/v2/actions and
// https://auth0.com/docs/api/management/v2/guardian).
var scopeOf = map[string]string{
	RouteListActions:    ReadActions,
	RouteCreateAction:   CreateActions,
	RouteReadAction:     ReadActions,
	RouteUpdateAction:   UpdateActions,
	RouteDeployAction:   CreateActions,
	RouteReadVersion:    ReadActions,
	RouteReadBindings:   ReadActions,
	RouteUpdateBindings: UpdateActions,
	RouteLogs:           ReadLogs,

	RouteReadFactors:        ReadFactors,
	RouteUpdateFactor:       UpdateFactors,
	RouteReadMessageTypes:   ReadFactors,
	RouteUpdateMessageTypes: UpdateFactors,
	RouteReadPolicies:       ReadPolicies,
	RouteUpdatePolicies:     UpdatePolicies,
}

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	handle := func(route string, h func(http.ResponseWriter, *http.Request)) {
		mux.HandleFunc(route, s.guard(route, h))
	}
	handle(RouteToken, s.token)
	handle(RouteListActions, s.listActions)
	handle(RouteCreateAction, s.createAction)
	handle(RouteReadAction, s.readAction)
	handle(RouteUpdateAction, s.updateAction)
	handle(RouteDeployAction, s.deployAction)
	handle(RouteReadVersion, s.readVersion)
	handle(RouteReadBindings, s.readBindings)
	handle(RouteUpdateBindings, s.updateBindings)
	handle(RouteReadFactors, s.guardian.GetFactors)
	handle(RouteUpdateFactor, s.guardian.PutFactor)
	handle(RouteReadMessageTypes, s.guardian.GetMessageTypes)
	handle(RouteUpdateMessageTypes, s.guardian.PutMessageTypes)
	handle(RouteReadPolicies, s.guardian.GetPolicies)
	handle(RouteUpdatePolicies, s.guardian.PutPolicies)
	handle(RouteLogs, s.listLogs)
	return mux
}

// guard logs the request, answers injected failures, and checks the
// bearer token and its scope, in that order. It holds the lock for the
// handler.
func (s *Server) guard(route string, h func(http.ResponseWriter, *http.Request)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.log = append(s.log, r.Method+" "+r.URL.Path)
		if route == RouteLogs {
			s.logQueries = append(s.logQueries, r.URL.RawQuery)
		}
		s.stall(route, r)
		if f := s.injected(route); f != nil {
			for k, v := range f.header {
				w.Header()[k] = v
			}
			apiError(w, f.status, injectedMessage(f.status, scopeOf[route]))
			return
		}
		if route == RouteToken {
			h(w, r)
			return
		}
		if r.Header.Get("Authorization") != "Bearer "+s.Token {
			apiError(w, http.StatusUnauthorized, "Invalid token")
			return
		}
		if sc := scopeOf[route]; !s.scopes[sc] {
			writeJSON(w, http.StatusForbidden, map[string]any{
				"statusCode": 403, "error": "Forbidden",
				"message":   "Insufficient scope, expected any of: " + sc,
				"errorCode": "insufficient_scope",
			})
			return
		}
		h(w, r)
	}
}

func injectedMessage(status int, scope string) string {
	switch status {
	case http.StatusUnauthorized:
		return "Invalid token"
	case http.StatusForbidden:
		return "Insufficient scope, expected any of: " + scope
	case http.StatusNotFound:
		return "The action does not exist."
	case http.StatusConflict:
		return "The resource was modified by another request."
	case http.StatusTooManyRequests:
		return "Global limit has been reached"
	}
	return http.StatusText(status)
}

var (
	apiError  = guardianfake.APIError
	writeJSON = guardianfake.WriteJSON
)

func readJSON(r *http.Request, v any) bool {
	return json.NewDecoder(r.Body).Decode(v) == nil
}

// token is the client-credentials grant (https://auth0.com/docs/api/authentication/client-credentials-flow/get-token).
// The client may authenticate with HTTP Basic or in the form, as
// golang.org/x/oauth2 tries both.
func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_request"})
		return
	}
	id, secret, ok := r.BasicAuth()
	if !ok {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	switch {
	case r.PostForm.Get("grant_type") != "client_credentials":
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "unsupported_grant_type"})
	case id != s.ClientID || secret != s.ClientSecret:
		writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "access_denied", "error_description": "Unauthorized"})
	case r.PostForm.Get("audience") != s.URL+"/api/v2/":
		writeJSON(w, http.StatusForbidden, map[string]string{"error": "access_denied", "error_description": "Service not enabled within domain: " + r.PostForm.Get("audience")})
	default:
		var sc []string
		for k := range s.scopes {
			sc = append(sc, k)
		}
		writeJSON(w, http.StatusOK, map[string]any{
			"access_token": s.Token, "token_type": "Bearer", "expires_in": 86400, "scope": strings.Join(sc, " "),
		})
	}
}

// page reads page (from 0) and per_page, capped at the server's page size.
func (s *Server) page(r *http.Request) (page, per int) {
	page, _ = strconv.Atoi(r.URL.Query().Get("page"))
	per, err := strconv.Atoi(r.URL.Query().Get("per_page"))
	if err != nil || per <= 0 {
		per = 20
	}
	return max(page, 0), min(per, s.perPage)
}

func window[T any](list []T, page, per int) []T {
	lo := min(page*per, len(list))
	hi := min(lo+per, len(list))
	return append([]T{}, list[lo:hi]...)
}
