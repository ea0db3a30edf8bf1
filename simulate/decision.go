package simulate

import (
	"fmt"
	"github.com/mfapolicy/mfapolicy/simulate/engine"
	"strings"
)

// Outcome is what Auth0 would do with a login, given the calls the Action
// made.
type Outcome string

// The outcomes, in the fixed order summaries list them.
const (
	Allow     Outcome = "allow"
	Challenge Outcome = "challenge"
	Enroll    Outcome = "enroll"
	Deny      Outcome = "deny"
	// Fail is a login Auth0 would fail although the Action did not deny it:
	// a challenge none of whose factors the user can use, or more than four
	// challenge/enroll commands.
	Fail Outcome = "fail"
	// Error is an Action that threw, timed out or never settled.
	Error Outcome = "error"
)

// Outcomes lists every outcome in summary order.
var Outcomes = []Outcome{Allow, Challenge, Enroll, Deny, Fail, Error}

// Decision is the record of one replayed login, the same JSON shape in
// per-event output, tests and diffs (documented in docs/decisions.md).
type Decision struct {
	File    string   `json:"file"`
	Line    int      `json:"line"`
	ID      string   `json:"id,omitempty"`
	Outcome Outcome  `json:"outcome"`
	Factors []string `json:"factors,omitempty"`
	Rule    string   `json:"rule,omitempty"`
	// MFABy says, when a tenant context is given and the outcome is
	// challenge or enroll, what required MFA: the deciding rule's id, "action" for an Action that does not
	// name its rule, or "tenant-policy" (TenantPolicySource) when the
	// tenant's MFA policy did and the Action asked for none.
	MFABy  string        `json:"mfa_by,omitempty"`
	Reason string        `json:"reason,omitempty"`
	Error  string        `json:"error,omitempty"`
	Notes  []string      `json:"notes,omitempty"`
	Calls  []engine.Call `json:"calls,omitempty"`
	// Console is what the Action printed with console.* for this login.
	Console []string `json:"console,omitempty"`
	// Missing lists, when the rules' fields are known
	// (Options.RuleFields), the fields absent from the event that the
	// rules evaluated up to the deciding one read: the decision rests on
	// missing data.
	Missing []string `json:"missing,omitempty"`

	// Country, Application and the enrolment assumption are kept for the
	// summary; they are not part of the record.
	Country     string `json:"-"`
	Application string `json:"-"`
	assumption  string
	// tenant holds the statements about the tenant context this login
	// relied on; the summary counts them with the assumptions.
	tenant    []string
	hasDecide bool
	timedOut  bool
	// sandbox holds what the login's run relied on or was refused: the
	// summary counts it (sandbox.go).
	sandbox engine.SandboxFacts
	// cmds are the commands the decision was derived from (read only:
	// they may be a class's), for the causes of a RunPair (cause.go).
	cmds []engine.Command
}

// userFactors is what derive knows about the user and the tenant.
type userFactors struct {
	Enrolled factorSet // the user's enrolled factors (known or assumed)
	Enabled  factorSet // the factors enabled on the tenant
	// Policy is the tenant's MFA policy (PolicyNever, PolicyAllApplications,
	// PolicyConfidenceScore); empty without a tenant context, when the
	// Action alone decides.
	Policy string
	// Confidence is the login's risk confidence, for PolicyConfidenceScore.
	Confidence string
}

// maxMFACommands is Auth0's limit on challengeWith*/enrollWith* commands in
// one login flow, counted across all Actions: "a 5th causes an
// authentication error". Source:
// https://auth0.com/docs/secure/multi-factor-authentication/customize-mfa/customize-mfa-selection-universal-login
const maxMFACommands = 4

// derivation is the result of derive.
type derivation struct {
	Outcome   Outcome
	Requested Outcome // what the calls ask for before Auth0's checks
	Factors   []string
	Reason    string
	Notes     []string
	// ByPolicy is set when the tenant's MFA policy, not the Action,
	// required the MFA of a challenge or enroll outcome.
	ByPolicy bool
	// withTenant is set when a tenant context was given, and with it a
	// second possible source of MFA that the record must name.
	withTenant bool
}

// apply writes the derivation into the decision record; d.Rule must be
// set already, as it names the source of an Action's MFA.
func (der derivation) apply(d *Decision) {
	d.Outcome, d.Factors, d.Reason = der.Outcome, der.Factors, der.Reason
	d.Notes = append(d.Notes, der.Notes...)
	switch {
	case !der.withTenant || (der.Outcome != Challenge && der.Outcome != Enroll):
	case der.ByPolicy:
		d.MFABy = TenantPolicySource
	case d.Rule != "":
		d.MFABy = d.Rule
	default:
		d.MFABy = "action"
	}
}

// derive applies Auth0's documented behaviour to the commands an Action
// issued. Each rule cites its page.
func derive(cmds []engine.Command, u userFactors) derivation {
	d := derivation{withTenant: u.Policy != ""}
	var mfa []engine.Command
	var enable *engine.Command
	var deny *engine.Command
	for i := range cmds {
		c := &cmds[i]
		switch c.Kind {
		case engine.CmdChallenge, engine.CmdEnroll:
			mfa = append(mfa, *c)
		case engine.CmdMFAEnable:
			if enable != nil {
				// Calling multifactor.enable twice is not documented; the
				// last call is taken.
				d.Notes = append(d.Notes, "multifactor.enable was called more than once; the last call is used (Auth0 does not document this case)")
			}
			enable = c
		case engine.CmdDeny:
			if deny == nil {
				deny = c
			}
		}
	}
	d.Requested = requested(mfa, enable, deny)

	// access.deny wins over everything: "Login is denied and no further
	// Actions run" (post-login API object,
	// https://auth0.com/docs/customize/actions/explore-triggers/signup-and-login-triggers/login-trigger/post-login-api-object).
	if deny != nil {
		d.Outcome, d.Reason = Deny, deny.Reason
		if len(mfa) > 0 || enable != nil {
			d.Notes = append(d.Notes, "access.deny overrides the MFA commands of this login")
		}
		return d
	}
	// At most 4 challengeWith*/enrollWith* per login (customize MFA
	// selection, see maxMFACommands).
	if len(mfa) > maxMFACommands {
		d.Outcome = Fail
		d.Notes = append(d.Notes, fmt.Sprintf("%d challenge/enroll commands; Auth0 allows at most %d per login and fails the login on the next one", len(mfa), maxMFACommands))
		return d
	}
	if len(mfa) > 0 {
		if enable != nil {
			// "challengeWith* overrides api.multifactor.enable" (customize
			// MFA selection page).
			d.Notes = append(d.Notes, "challengeWith/enrollWith overrides multifactor.enable")
		}
		deriveMFA(&d, mfa, u)
		policyAlso(&d, u)
		return d
	}
	if enable != nil {
		deriveEnable(&d, enable, u)
		if enable.Provider == "none" {
			policySkipped(&d, u)
		} else {
			policyAlso(&d, u)
		}
		return d
	}
	d.Outcome = Allow
	derivePolicy(&d, u)
	return d
}

// requested is the outcome the calls ask for, before Auth0's checks on the
// user's factors: what a policy's decide() should agree with.
func requested(mfa []engine.Command, enable, deny *engine.Command) Outcome {
	switch {
	case deny != nil:
		return Deny
	case len(mfa) > 0:
		for _, c := range mfa {
			if c.Kind == engine.CmdEnroll {
				return Enroll
			}
		}
		return Challenge
	case enable != nil && enable.Provider != "none":
		return Challenge
	}
	return Allow
}

// deriveMFA follows the challenge and enroll commands in order.
//
// challengeWith/challengeWithAny: factors the tenant has disabled or the
// user has not enrolled are ignored; if none is usable the login fails and
// the tenant logs "mfar"; a partly usable list logs a "w" warning (customize
// MFA selection page, and the post-login API object).
//
// enrollWith/enrollWithAny: factors already enrolled or disabled are
// ignored. If none remains, the post-login API object says the login fails,
// while the enrollments guide
// (https://auth0.com/docs/secure/multi-factor-authentication/customize-mfa/customize-mfa-enrollments-universal-login)
// says "the command fails, and the login sequence continues". The two pages
// contradict each other; the simulator follows the API reference and
// reports fail, with a note.
func deriveMFA(d *derivation, mfa []engine.Command, u userFactors) {
	var challenged, enrolled []string
	for _, c := range mfa {
		usable, ignored := splitUsable(c, u)
		if len(ignored) > 0 && len(usable) > 0 {
			d.Notes = append(d.Notes, fmt.Sprintf("%s: ignored %s", c.Method, strings.Join(ignored, ", ")))
		}
		if len(usable) == 0 {
			d.Outcome = Fail
			d.Factors = nil
			if c.Kind == engine.CmdChallenge {
				d.Notes = append(d.Notes, fmt.Sprintf("%s: none of the requested factors is usable (%s); Auth0 fails the login and logs mfar", c.Method, describe(ignored)))
			} else {
				d.Notes = append(d.Notes, fmt.Sprintf("%s: no requested factor is left to enroll (%s); the API reference says the login fails, the enrollments guide says it continues", c.Method, describe(ignored)))
			}
			return
		}
		if c.Kind == engine.CmdChallenge {
			challenged = engine.AppendNew(challenged, usable...)
		} else {
			enrolled = engine.AppendNew(enrolled, usable...)
		}
	}
	if len(enrolled) > 0 {
		d.Outcome, d.Factors = Enroll, enrolled
		return
	}
	d.Outcome, d.Factors = Challenge, challenged
}

// splitUsable returns the requested factors Auth0 would offer and the ones
// it would ignore, each with the reason.
func splitUsable(c engine.Command, u userFactors) (usable, ignored []string) {
	for _, f := range c.Factors {
		switch {
		case !u.Enabled.has(f):
			ignored = append(ignored, f+" (not enabled on the tenant)")
		case c.Kind == engine.CmdChallenge && !u.Enrolled.has(f):
			ignored = append(ignored, f+" (not enrolled)")
		case c.Kind == engine.CmdEnroll && u.Enrolled.has(f):
			ignored = append(ignored, f+" (already enrolled)")
		default:
			usable = engine.AppendNew(usable, f)
		}
	}
	return usable, ignored
}

func describe(ignored []string) string {
	if len(ignored) == 0 {
		return "no valid factor was requested"
	}
	return strings.Join(ignored, ", ")
}

// deriveEnable handles api.multifactor.enable without challengeWith*:
// 'none' skips MFA (post-login trigger page,
// https://auth0.com/docs/customize/actions/explore-triggers/post-login);
// any other provider requires MFA at the end of the flow (post-login API
// object); with 'any' a user who has no factor is asked to enroll
// (https://auth0.com/docs/secure/multi-factor-authentication/adaptive-mfa/customize-adaptive-mfa).
func deriveEnable(d *derivation, c *engine.Command, u userFactors) {
	switch c.Provider {
	case "none":
		d.Outcome = Allow
		d.Notes = append(d.Notes, "multifactor.enable('none') skips MFA")
	case "any":
		var usable []string
		for _, f := range challengeFactors {
			if u.Enabled.has(f) && u.Enrolled.has(f) {
				usable = append(usable, f)
			}
		}
		if len(usable) == 0 {
			// The user may enroll any factor enabled on the tenant that
			// can be enrolled.
			d.Outcome = Enroll
			for _, f := range challengeFactors {
				if u.Enabled.has(f) && isEnrollFactor(f) {
					d.Factors = append(d.Factors, f)
				}
			}
			d.Notes = append(d.Notes, "multifactor.enable('any') for a user with no usable factor: Auth0 asks the user to enroll in any enabled factor")
			return
		}
		d.Outcome, d.Factors = Challenge, usable
	default:
		d.Outcome = Challenge
		d.Notes = append(d.Notes, fmt.Sprintf("multifactor.enable(%q): MFA with that provider", c.Provider))
	}
}
