// Package guardianfake holds the MFA configuration of a fake Management
// API and answers its Guardian endpoints, so that the test servers of
// package deploy (deploytest) and package tenant (tenanttest) share one
// model of them:
//
//	GET /api/v2/guardian/factors                      https://auth0.com/docs/api/management/v2/guardian/get-factors
//	PUT /api/v2/guardian/factors/{name}               https://auth0.com/docs/api/management/v2/guardian/put-factors-by-name
//	GET /api/v2/guardian/factors/phone/message-types  https://auth0.com/docs/api/management/v2/guardian/get-message-types
//	PUT /api/v2/guardian/factors/phone/message-types  https://auth0.com/docs/api/management/v2/guardian/put-message-types
//	GET /api/v2/guardian/policies                     https://auth0.com/docs/api/management/v2/guardian/get-policies
//	PUT /api/v2/guardian/policies                     https://auth0.com/docs/api/management/v2/guardian/put-policies
//
// A Guardian is not safe for concurrent use: the server that embeds it
// holds its own lock around every handler and method.
package guardianfake

import (
	"encoding/json"
	"net/http"
	"slices"
)

// Names are the factors GET /api/v2/guardian/factors lists, in Auth0's
// order ("sms, push-notification, email, duo, otp, webauthn-roaming,
// webauthn-platform, or recovery-code"). The phone factor is "sms" here.
var Names = []string{"sms", "push-notification", "email", "duo", "otp", "webauthn-roaming", "webauthn-platform", "recovery-code"}

// policies are the values PUT /api/v2/guardian/policies accepts; [] is
// "never".
var policies = []string{"all-applications", "confidence-score"}

// Guardian is a tenant's MFA configuration.
type Guardian struct {
	enabled  map[string]bool
	policies []string
	types    []string
}

// New returns Auth0's defaults for a new tenant: no factor enabled, the
// policy "never" ([]), phone message type sms.
func New() *Guardian {
	return &Guardian{enabled: map[string]bool{}, policies: []string{}, types: []string{"sms"}}
}

// Enable sets the named factors (guardian/factors names) enabled.
func (g *Guardian) Enable(names ...string) {
	for _, n := range names {
		g.enabled[n] = true
	}
}

// Enabled lists the enabled factors in Auth0's order.
func (g *Guardian) Enabled() []string {
	out := []string{}
	for _, n := range Names {
		if g.enabled[n] {
			out = append(out, n)
		}
	}
	return out
}

// SetPolicies sets the MFA policy list ([] is never).
func (g *Guardian) SetPolicies(p ...string) { g.policies = append([]string{}, p...) }

// Policies returns the MFA policy list.
func (g *Guardian) Policies() []string { return append([]string{}, g.policies...) }

// SetMessageTypes sets the phone message types.
func (g *Guardian) SetMessageTypes(t ...string) { g.types = append([]string{}, t...) }

// MessageTypes returns the phone message types.
func (g *Guardian) MessageTypes() []string { return append([]string{}, g.types...) }

// GetFactors answers GET /api/v2/guardian/factors.
func (g *Guardian) GetFactors(w http.ResponseWriter, _ *http.Request) {
	list := []map[string]any{}
	for _, n := range Names {
		list = append(list, map[string]any{"enabled": g.enabled[n], "trial_expired": false, "name": n})
	}
	WriteJSON(w, http.StatusOK, list)
}

// PutFactor answers PUT /api/v2/guardian/factors/{name} with a body
// {"enabled": bool}, the one required property.
func (g *Guardian) PutFactor(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	if !slices.Contains(Names, name) {
		APIError(w, http.StatusBadRequest, "Path validation error: 'String does not match pattern' on property name.")
		return
	}
	var b struct {
		Enabled *bool `json:"enabled"`
	}
	if json.NewDecoder(r.Body).Decode(&b) != nil || b.Enabled == nil {
		APIError(w, http.StatusBadRequest, "Payload validation error: 'Missing required property: enabled'.")
		return
	}
	g.enabled[name] = *b.Enabled
	WriteJSON(w, http.StatusOK, map[string]any{"enabled": *b.Enabled})
}

// GetPolicies answers GET /api/v2/guardian/policies.
func (g *Guardian) GetPolicies(w http.ResponseWriter, _ *http.Request) {
	WriteJSON(w, http.StatusOK, g.policies)
}

// PutPolicies answers PUT /api/v2/guardian/policies, whose body is the
// whole list.
func (g *Guardian) PutPolicies(w http.ResponseWriter, r *http.Request) {
	var p []string
	if json.NewDecoder(r.Body).Decode(&p) != nil || p == nil {
		APIError(w, http.StatusBadRequest, "Payload validation error: 'Expected type array but found type object'.")
		return
	}
	for _, v := range p {
		if !slices.Contains(policies, v) {
			APIError(w, http.StatusBadRequest, "Payload validation error: 'No enum match for: \""+v+"\"'.")
			return
		}
	}
	g.policies = p
	WriteJSON(w, http.StatusOK, p)
}

// GetMessageTypes answers GET /api/v2/guardian/factors/phone/message-types.
func (g *Guardian) GetMessageTypes(w http.ResponseWriter, _ *http.Request) {
	WriteJSON(w, http.StatusOK, map[string]any{"message_types": g.types})
}

// PutMessageTypes answers PUT
// /api/v2/guardian/factors/phone/message-types with a body
// {"message_types": [...]} of "sms" and/or "voice".
func (g *Guardian) PutMessageTypes(w http.ResponseWriter, r *http.Request) {
	var b struct {
		MessageTypes []string `json:"message_types"`
	}
	if json.NewDecoder(r.Body).Decode(&b) != nil || b.MessageTypes == nil {
		APIError(w, http.StatusBadRequest, "Payload validation error: 'Missing required property: message_types'.")
		return
	}
	for _, t := range b.MessageTypes {
		if t != "sms" && t != "voice" {
			APIError(w, http.StatusBadRequest, "Payload validation error: 'No enum match for: \""+t+"\"'.")
			return
		}
	}
	g.types = b.MessageTypes
	WriteJSON(w, http.StatusOK, map[string]any{"message_types": g.types})
}

// APIError writes the Management API's error body
// ({"statusCode", "error", "message"}), for the servers that embed a
// Guardian too.
func APIError(w http.ResponseWriter, status int, msg string) {
	WriteJSON(w, status, map[string]any{"statusCode": status, "error": http.StatusText(status), "message": msg})
}

// WriteJSON writes v as a JSON response with the given status.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
