package policy

import (
	"fmt"
	"slices"
	"strings"

	yaml "go.yaml.in/yaml/v4"

	"github.com/mfapolicy/mfapolicy/internal/diag"
)

// ChallengeFactors are the factor types api.authentication.challengeWith and
// challengeWithAny accept
// (https://auth0.com/docs/customize/actions/explore-triggers/signup-and-login-triggers/login-trigger/post-login-api-object).
var ChallengeFactors = []string{"otp", "email", "webauthn-platform", "webauthn-roaming", "recovery-code", "phone", "push-notification"}

// EnrollFactors are those enrollWith and enrollWithAny accept: the same
// minus email (same page).
var EnrollFactors = []string{"otp", "webauthn-platform", "webauthn-roaming", "recovery-code", "phone", "push-notification"}

// DefaultChallengeFactors is what a bare `challenge` (without factors) in
// default or on_error offers: any factor a user can prove possession with.
var DefaultChallengeFactors = []string{"otp", "push-notification", "webauthn-platform", "webauthn-roaming", "phone", "email"}

// DefaultEnrollFactors is what a bare `enroll` offers.
var DefaultEnrollFactors = []string{"otp", "push-notification", "webauthn-platform", "webauthn-roaming", "phone"}

// DefaultDenyReason is the reason of a bare `deny` in default or on_error.
const DefaultDenyReason = "Sign-in is not permitted by policy"

var factorAliases = map[string]string{
	"push": "push-notification", "sms": "phone", "voice": "phone", "totp": "otp",
	"webauthn": "webauthn-roaming", "passkey": "webauthn-platform", "recovery": "recovery-code",
	"guardian": "push-notification", "email-otp": "email",
}

func (l *loader) factors(a *Action, n *yaml.Node, what string) {
	values, nodes, ok := l.stringList(n, what+": factors")
	if !ok {
		return
	}
	seen := map[string]bool{}
	for i, f := range values {
		pos := l.pos(nodes[i])
		if !l.knownFactor(f, pos, what) {
			continue
		}
		if seen[f] {
			l.errorf(pos, codeDuplicateFactor, "remove the second one", "%s: factor %q is listed twice", what, f)
			continue
		}
		seen[f] = true
		a.Factors = append(a.Factors, f)
		if l.offered[what] == nil {
			l.offered[what] = map[string]diag.Pos{}
		}
		l.offered[what][f] = pos
	}
}

// knownFactor reports whether f is a factor type Auth0 accepts, and
// reports it at pos, with the name Auth0 uses or the closest one, when not.
func (l *loader) knownFactor(f string, pos diag.Pos, what string) bool {
	if slices.Contains(ChallengeFactors, f) {
		return true
	}
	hint := "Auth0 accepts " + strings.Join(ChallengeFactors, ", ")
	if alias, ok := factorAliases[strings.ToLower(f)]; ok {
		hint = fmt.Sprintf("Auth0 calls this factor %q", alias)
	} else if s := diag.Suggest(f, ChallengeFactors); s != "" {
		hint = fmt.Sprintf("did you mean %q?", s)
	}
	l.errorf(pos, codeUnknownFactor, hint, "%s: unknown factor %q", what, f)
	return false
}

// actionLints checks that an action has what its outcome needs and nothing
// it would ignore.
func (l *loader) actionLints(a *Action, what string, standalone bool, n, factorsNode, reasonNode *yaml.Node) {
	switch a.Then {
	case Challenge, Enroll:
		if factorsNode == nil {
			if standalone {
				a.Factors = DefaultChallengeFactors
				if a.Then == Enroll {
					a.Factors = DefaultEnrollFactors
				}
				l.bare[what] = true
			} else if !l.meant(n, "factors") {
				l.errorf(a.Pos, codeMissingFactors, "add for example `factors: [otp, webauthn-platform]`", "%s: %s needs factors", what, a.Then)
			}
		} else if fn := resolveAlias(factorsNode); fn.Kind == yaml.SequenceNode && len(fn.Content) == 0 {
			l.errorf(l.pos(factorsNode), codeMissingFactors, "", "%s: %s needs at least one factor", what, a.Then)
		}
		if a.Then == Enroll && slices.Contains(a.Factors, "email") {
			l.errorf(l.pos(elementNode(factorsNode, "email")), codeEnrollEmail, "remove email; Auth0's enrollWith does not accept it", "%s: email cannot be enrolled from an Action", what)
		}
		if reasonNode != nil {
			l.warnf(l.pos(reasonNode), codeIgnoredKey, "reasons are shown only for deny", "%s: reason is ignored when the outcome is %s", what, a.Then)
		}
	case Deny:
		if reasonNode == nil {
			if standalone {
				a.Reason = DefaultDenyReason
			} else if !l.meant(n, "reason") {
				l.errorf(a.Pos, codeMissingReason, "add `reason: ...`; Auth0 shows it to the user as error_description", "%s: deny needs a reason", what)
			}
		} else if strings.TrimSpace(a.Reason) == "" {
			l.errorf(l.pos(reasonNode), codeMissingReason, "", "%s: the deny reason is empty", what)
		}
		if factorsNode != nil {
			l.errorf(l.pos(factorsNode), codeIgnoredKey, "remove factors, or change the outcome to challenge", "%s: factors are ignored when the outcome is deny", what)
		}
	case Allow:
		if factorsNode != nil {
			l.errorf(l.pos(factorsNode), codeIgnoredKey, "remove factors, or change the outcome to challenge", "%s: factors are ignored when the outcome is allow", what)
		}
		if reasonNode != nil {
			l.warnf(l.pos(reasonNode), codeIgnoredKey, "reasons are shown only for deny", "%s: reason is ignored when the outcome is allow", what)
		}
	}
}

// elementNode returns the element of sequence n whose value is s, or n.
func elementNode(n *yaml.Node, s string) *yaml.Node {
	n = resolveAlias(n)
	for _, e := range n.Content {
		if e = resolveAlias(e); e.Value == s {
			return e
		}
	}
	return n
}

// factorStrength orders factor types by resistance to phishing and
// interception: WebAuthn (platform or roaming) strongest, then push and
// one-time passwords, then phone (SMS or voice) and email codes, then
// recovery codes. Unknown types rank lowest.
var factorStrength = map[string]int{
	"webauthn-platform": 4,
	"webauthn-roaming":  4,
	"push-notification": 3,
	"otp":               3,
	"phone":             2,
	"email":             2,
	"recovery-code":     1,
}

// FactorStrength ranks a factor type (4 strongest, 0 unknown); diff and
// analyze classify changes of factors with it (docs/diff.md).
func FactorStrength(factor string) int { return factorStrength[factor] }

// WeakestFactor is the strength of a set of factors offered together: the
// user may pick any of them, so the set is as strong as its weakest. An
// empty set ("any factor") ranks 0.
func WeakestFactor(factors []string) int {
	if len(factors) == 0 {
		return 0
	}
	low := 99
	for _, f := range factors {
		low = min(low, factorStrength[f])
	}
	return low
}
