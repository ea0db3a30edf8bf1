package policy

import (
	"fmt"
	"slices"
	"strings"

	yaml "go.yaml.in/yaml/v4"

	"github.com/mfapolicy/mfapolicy/internal/diag"
)

// TenantConfig is the policy's optional `tenant:` section: the tenant's
// MFA configuration, reviewed and deployed with the rules. Each key stands
// for one Management API endpoint:
//   - factors: PUT /api/v2/guardian/factors/{name} with {"enabled": …}
//     (https://auth0.com/docs/api/management/v2/guardian/put-factors-by-name);
//   - phone_message_types: PUT /api/v2/guardian/factors/phone/message-types
//     (https://auth0.com/docs/api/management/v2/guardian/put-message-types);
//   - mfa_policy: PUT /api/v2/guardian/policies
//     (https://auth0.com/docs/api/management/v2/guardian/put-policies).
type TenantConfig struct {
	// Factors are the enabled factors, by the names rules use
	// (ChallengeFactors), in file order. The list is the complete set: a
	// factor not listed is disabled. Empty (not nil) when the section
	// lists none.
	Factors []string
	// PhoneMessageTypes are "sms" and/or "voice"; nil when the section
	// does not say, and then the tenant's own setting stays as it is.
	PhoneMessageTypes []string
	// MFAPolicy is TenantPolicyNever, TenantPolicyAllApplications or
	// TenantPolicyConfidenceScore; empty when the section does not say,
	// and then the tenant's own policy stays as it is.
	MFAPolicy string
	// Pos is where the section starts; FactorPos where each factor is
	// listed, for diagnostics about it.
	Pos       diag.Pos
	FactorPos map[string]diag.Pos
}

// The tenant MFA policies, as PUT /api/v2/guardian/policies names them.
const (
	TenantPolicyNever           = "never"
	TenantPolicyAllApplications = "all-applications"
	TenantPolicyConfidenceScore = "confidence-score"
)

// TenantPolicies are the values `mfa_policy` accepts.
var TenantPolicies = []string{TenantPolicyNever, TenantPolicyAllApplications, TenantPolicyConfidenceScore}

// PhoneMessageTypes are the values `phone_message_types` accepts.
var PhoneMessageTypes = []string{"sms", "voice"}

// Enabled reports whether the section enables factor f.
func (t *TenantConfig) Enabled(f string) bool { return slices.Contains(t.Factors, f) }

var tenantKeys = []string{"factors", "phone_message_types", "mfa_policy"}

// tenant loads the `tenant:` section.
func (l *loader) tenant(n *yaml.Node) {
	n = resolveAlias(n)
	t := &TenantConfig{Pos: l.pos(n), FactorPos: map[string]diag.Pos{}}
	errs := l.errorCount()
	defer func() { l.tenantOK = l.errorCount() == errs }()
	var haveFactors bool
	var typesNode *yaml.Node
	ok := l.mapping(n, "tenant", tenantKeys, func(key string, k, v *yaml.Node) {
		switch key {
		case "factors":
			haveFactors = true
			t.Factors = []string{}
			values, nodes, ok := l.stringList(v, "tenant: factors")
			if !ok {
				return
			}
			for i, f := range values {
				pos := l.pos(nodes[i])
				if !l.knownFactor(f, pos, "tenant: factors") {
					continue
				}
				if _, dup := t.FactorPos[f]; dup {
					l.errorf(pos, codeDuplicateFactor, "remove the second one", "tenant: factors: factor %q is listed twice", f)
					continue
				}
				t.FactorPos[f] = pos
				t.Factors = append(t.Factors, f)
			}
		case "phone_message_types":
			typesNode = v
			values, nodes, ok := l.stringList(v, "tenant: phone_message_types")
			if !ok {
				return
			}
			t.PhoneMessageTypes = []string{}
			for i, m := range values {
				if !slices.Contains(PhoneMessageTypes, m) {
					hint := "use sms, voice or both"
					if s := diag.Suggest(m, PhoneMessageTypes); s != "" {
						hint = fmt.Sprintf("did you mean %q?", s)
					}
					l.errorf(l.pos(nodes[i]), codeBadTenant, hint, "tenant: phone_message_types: unknown message type %q", m)
					continue
				}
				if slices.Contains(t.PhoneMessageTypes, m) {
					l.errorf(l.pos(nodes[i]), codeBadTenant, "remove the second one", "tenant: phone_message_types: %q is listed twice", m)
					continue
				}
				t.PhoneMessageTypes = append(t.PhoneMessageTypes, m)
			}
			if len(values) == 0 {
				l.errorf(l.pos(v), codeBadTenant, "list sms, voice or both, or leave the key out", "tenant: phone_message_types must not be empty")
			}
		case "mfa_policy":
			s, ok := l.scalar(v, "tenant: mfa_policy")
			if !ok {
				return
			}
			if !slices.Contains(TenantPolicies, s) {
				hint := "use " + strings.Join(TenantPolicies, ", ")
				if sug := diag.Suggest(s, TenantPolicies); sug != "" {
					hint = fmt.Sprintf("did you mean %q?", sug)
				}
				l.errorf(l.pos(v), codeBadTenant, hint, "tenant: unknown mfa_policy %q", s)
				return
			}
			t.MFAPolicy = s
		}
	})
	if !ok {
		return
	}
	if !haveFactors && !l.meant(n, "factors") {
		l.errorf(t.Pos, codeMissingKey, "list every factor the tenant enables, for example `factors: [otp, webauthn-platform]`: a factor not listed is disabled", "tenant has no `factors`")
	}
	if typesNode != nil && haveFactors && !t.Enabled("phone") {
		l.errorf(l.pos(typesNode), codeBadTenant, "add phone to tenant: factors, or remove phone_message_types", "tenant: phone_message_types without the phone factor")
	}
	l.p.Tenant = t
}

// tenantLints reports the actions that offer factors the `tenant:`
// section disables. Auth0 ignores a disabled factor in challengeWith and
// enrollWith, and fails the login when none is left (post-login API
// object,
// https://auth0.com/docs/customize/actions/explore-triggers/signup-and-login-triggers/login-trigger/post-login-api-object):
// an action left with none is an error, one left with some a warning. A
// bare `challenge` or `enroll` (default, on_error) offers the default
// lists, "any factor": only its having none left is reported.
func (l *loader) tenantLints() {
	t := l.p.Tenant
	if t == nil || t.Factors == nil || !l.tenantOK {
		return // no section, or one whose errors are reported already
	}
	for _, r := range l.p.Rules {
		what := fmt.Sprintf("rule %q", r.ID)
		if r.ID == "" {
			continue
		}
		l.tenantLint(t, what, r.Action)
	}
	l.tenantLint(t, "default", l.p.Default)
	l.tenantLint(t, "on_error", l.p.OnError)
}

func (l *loader) tenantLint(t *TenantConfig, what string, a Action) {
	if a.Then != Challenge && a.Then != Enroll {
		return
	}
	var left, off []string
	for _, f := range a.Factors {
		if t.Enabled(f) {
			left = append(left, f)
		} else {
			off = append(off, f)
		}
	}
	if len(off) == 0 {
		return
	}
	verb := string(a.Then) + "s"
	listed := l.offered[what]
	pos := a.Pos
	if p, ok := listed[off[0]]; ok {
		pos = p
	}
	implicit := what == "on_error" && a.Pos.Line == 0
	if implicit {
		// Not written in the file: the fail-closed challenge with any
		// factor. The section is what leaves it with none.
		pos, what = t.Pos, "on_error (not written: a challenge with any factor)"
	}
	bare := l.bare[what]
	if bare {
		what = fmt.Sprintf("%s (a bare %s: any factor)", what, a.Then)
	}
	if len(left) == 0 && implicit {
		// on_error decides only logins whose rule errored, and the user
		// did not write it: a warning, and none without rules.
		if len(l.p.Rules) > 0 {
			l.warnf(pos, codeFactorDisabled, "enable a factor in tenant: factors, or write `on_error: deny`",
				"%s %s with %s, all disabled by the tenant: section: Auth0 would fail every login whose rule errors", what, verb, strings.Join(off, ", "))
		}
		return
	}
	if len(left) == 0 {
		hint := "enable one of them in tenant: factors, or offer a factor the section enables"
		if len(t.Factors) > 0 {
			hint += " (" + strings.Join(t.Factors, ", ") + ")"
		}
		l.errorf(pos, codeNoFactorLeft, hint, "%s %s with %s, all disabled by the tenant: section: Auth0 fails every login it decides", what, verb, strings.Join(off, ", "))
		return
	}
	if bare || implicit {
		return // "any factor": some of them disabled is what the section means
	}
	them := "it"
	if len(off) > 1 {
		them = "them"
	}
	l.warnf(pos, codeFactorDisabled, fmt.Sprintf("add %s to tenant: factors, or remove %s from the rule", strings.Join(off, ", "), them),
		"%s %s with %s, disabled by the tenant: section: Auth0 ignores %s and offers %s", what, verb, strings.Join(off, ", "), them, strings.Join(left, ", "))
}
