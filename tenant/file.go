package tenant

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// File is a tenant context. Every section is optional: a nil section is
// unknown, and the simulator then states what it assumed instead.
type File struct {
	// Domain names the tenant the file was pulled from.
	Domain string `json:"domain,omitempty"`
	// Factors is GET /api/v2/guardian/factors as Auth0 returns it.
	Factors []Factor `json:"factors,omitempty"`
	// Policies is GET /api/v2/guardian/policies as Auth0 returns it: []
	// (never), ["all-applications"] or ["confidence-score"]. A nil pointer
	// is unknown; a pointer to an empty list is the policy "never".
	Policies *[]string `json:"policies,omitempty"`
	// PhoneMessageTypes is the message_types of GET
	// /api/v2/guardian/factors/phone/message-types: sms, voice or both.
	PhoneMessageTypes []string `json:"phone_message_types,omitempty"`
	// Users maps a user_id to the user's authentication methods (GET
	// /api/v2/users/{id}/authentication-methods). A user not listed is
	// unknown; a user with an empty list has enrolled nothing.
	Users map[string][]Method `json:"users,omitempty"`
	// Roles maps a user_id to the names of the user's roles (GET
	// /api/v2/users/{id}/roles), sorted. A user not listed is unknown; a
	// user with an empty list has no roles.
	Roles map[string][]string `json:"roles,omitempty"`

	// Sources names the files the context was read from, in order.
	Sources []string `json:"-"`
}

// Factor is one entry of GET /api/v2/guardian/factors
// (https://auth0.com/docs/api/management/v2/guardian/get-factors).
type Factor struct {
	Name         string `json:"name"`
	Enabled      bool   `json:"enabled"`
	TrialExpired bool   `json:"trial_expired,omitempty"`
}

// Method is one authentication method of a user, as GET
// /api/v2/users/{id}/authentication-methods returns it
// (https://auth0.com/docs/api/management/v2/users/get-authentication-methods),
// keeping only what decides which factors the user can use: no phone
// numbers, e-mail addresses or keys. In a hand-written file a bare string
// such as "otp" stands for a confirmed method of that Action factor type.
type Method struct {
	// Type is the Management API's type: totp, phone, email, push,
	// webauthn-roaming, webauthn-platform, recovery-code, guardian,
	// passkey, password or email-verification.
	Type string `json:"type"`
	// Confirmed is false for a method whose enrolment was not completed;
	// absent means confirmed.
	Confirmed *bool `json:"confirmed,omitempty"`
	// Linked lists the types of the methods linked to this one (a
	// guardian enrolment links push and totp).
	Linked []string `json:"linked,omitempty"`
}

// UnmarshalJSON reads a Management API object, or a bare Action factor
// type such as "otp".
func (m *Method) UnmarshalJSON(b []byte) error {
	var s string
	if json.Unmarshal(b, &s) == nil {
		t, ok := apiTypeOf[normalizeFactor(s)]
		if !ok {
			return fmt.Errorf("unknown factor type %q (known: %s)", s, strings.Join(actionFactors, ", "))
		}
		*m = Method{Type: t}
		return nil
	}
	var raw struct {
		Type      string   `json:"type"`
		Confirmed *bool    `json:"confirmed"`
		Linked    []string `json:"linked"`
		Methods   []struct {
			Type string `json:"type"`
		} `json:"authentication_methods"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	if raw.Type == "" {
		return fmt.Errorf("an authentication method needs a type")
	}
	*m = Method{Type: raw.Type, Confirmed: raw.Confirmed, Linked: raw.Linked}
	for _, l := range raw.Methods {
		if l.Type != "" && l.Type != raw.Type {
			m.Linked = append(m.Linked, l.Type)
		}
	}
	return nil
}

// Policy is a tenant's MFA policy.
type Policy string

// The MFA policies: Auth0's "Require Multi-factor Auth" setting, Never,
// Always (all-applications) or Adaptive (confidence-score)
// (https://auth0.com/docs/api/management/v2/guardian/put-policies).
const (
	Never           Policy = "never"
	AllApplications Policy = "all-applications"
	ConfidenceScore Policy = "confidence-score"
)

// MFAPolicy returns the tenant's MFA policy, and false when the file does
// not say. An empty policy list is Never.
func (f *File) MFAPolicy() (Policy, bool) {
	if f.Policies == nil {
		return "", false
	}
	for _, p := range *f.Policies {
		switch Policy(p) {
		case AllApplications:
			return AllApplications, true
		case ConfidenceScore:
			return ConfidenceScore, true
		}
	}
	return Never, true
}

// EnabledFactors returns the Action factor types (as challengeWith takes
// them) enabled on the tenant, in a fixed order, and false when the file
// does not list the factors.
func (f *File) EnabledFactors() ([]string, bool) {
	if f.Factors == nil {
		return nil, false
	}
	on := map[string]bool{}
	for _, fc := range f.Factors {
		if t, ok := factorOfGuardian[fc.Name]; ok && fc.Enabled {
			on[t] = true
		}
	}
	return ordered(on), true
}

// Enrolled returns the Action factor types the user has enrolled, and
// false when the file does not know the user.
func (f *File) Enrolled(userID string) ([]string, bool) {
	ms, ok := f.Users[userID]
	if !ok {
		return nil, false
	}
	return factorsOf(ms), true
}

// Enrolments returns every known user's enrolled Action factor types; nil
// when the file has no users section.
func (f *File) Enrolments() map[string][]string {
	if f.Users == nil {
		return nil
	}
	out := make(map[string][]string, len(f.Users))
	for id, ms := range f.Users {
		out[id] = factorsOf(ms)
	}
	return out
}

// factorsOf maps a user's confirmed authentication methods onto Action
// factor types. Methods that are not MFA factors (password, passkey,
// email-verification) are left out.
func factorsOf(ms []Method) []string {
	on := map[string]bool{}
	for _, m := range ms {
		if m.Confirmed != nil && !*m.Confirmed {
			continue
		}
		types := []string{m.Type}
		if m.Type == "guardian" {
			// A Guardian enrolment is the Guardian app: push, with
			// the linked methods it carries (inference: the
			// authentication-methods page lists guardian as a type
			// without saying which factors it stands for).
			types = append([]string{"push"}, m.Linked...)
		}
		for _, t := range types {
			if a, ok := factorOfMethod[t]; ok {
				on[a] = true
			}
		}
	}
	return ordered(on)
}

// Warnings lists what in the file the simulator cannot use: factor and
// method types it does not know, policies it does not know, an expired
// SMS trial.
func (f *File) Warnings() []string {
	var w []string
	for _, fc := range f.Factors {
		if _, ok := factorOfGuardian[fc.Name]; !ok && fc.Name != "duo" {
			w = append(w, fmt.Sprintf("factor %q is not one Auth0 documents; it is ignored", fc.Name))
		}
		if fc.Enabled && fc.TrialExpired {
			w = append(w, fmt.Sprintf("factor %q: its trial has expired (trial_expired), so Auth0 may not deliver it; it is still treated as enabled", fc.Name))
		}
	}
	if f.Policies != nil {
		for _, p := range *f.Policies {
			if Policy(p) != AllApplications && Policy(p) != ConfidenceScore {
				w = append(w, fmt.Sprintf("MFA policy %q is not one Auth0 documents; it is ignored", p))
			}
		}
	}
	unknown := map[string]int{}
	for _, ms := range f.Users {
		for _, m := range ms {
			if _, ok := factorOfMethod[m.Type]; !ok && !nonFactorMethods[m.Type] && m.Type != "guardian" {
				unknown[m.Type]++
			}
		}
	}
	for _, t := range slices.Sorted(maps.Keys(unknown)) {
		w = append(w, fmt.Sprintf("authentication method type %q (%d users) is not one Auth0 documents; it is ignored", t, unknown[t]))
	}
	return w
}

func ordered(on map[string]bool) []string {
	out := []string{}
	for _, t := range actionFactors {
		if on[t] {
			out = append(out, t)
		}
	}
	return out
}
