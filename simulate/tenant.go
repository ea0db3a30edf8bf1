package simulate

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/mfapolicy/mfapolicy/simulate/input"
)

// Tenant is the tenant context a simulation follows: what the tenant adds
// to the Action's calls. The command line fills it from a tenant context
// file (package tenant); the simulator takes it as data.
type Tenant struct {
	// Name says where the context came from, in the summary.
	Name string
	// Policy is the tenant's MFA policy: PolicyNever,
	// PolicyAllApplications or PolicyConfidenceScore; empty when the
	// context does not say (then the Action alone decides, and the summary
	// says so).
	Policy string
	// Enabled are the factor types enabled on the tenant; when not nil
	// they replace Options.EnabledFactors.
	Enabled []string
	// Users maps a user_id to the factor types the user has enrolled. A
	// login without event.user.enrolledFactors takes its user's list from
	// here; a user not listed falls back to Options.AssumeEnrolled.
	Users map[string][]string
	// EnabledFrom and PolicyFrom say where Enabled and Policy came from
	// when that is not Name: a policy's tenant: section states them over
	// a tenant context file that gives the enrolments.
	EnabledFrom, PolicyFrom string
	// Differences are what the sources disagree on, one statement each
	// ("sms: enabled in tenant.json, disabled by policy.yaml"), for the
	// summary.
	Differences []string
	// Roles maps a user_id to the names of the user's roles. A login
	// mapped from a tenant log record (logs carry no roles) takes its
	// user's list as event.authorization.roles; a user not listed keeps
	// authorization absent. nil: the context has no roles.
	Roles map[string][]string
}

// enabledFrom names the source of Enabled.
func (t *Tenant) enabledFrom() string {
	if t.EnabledFrom != "" {
		return t.EnabledFrom
	}
	return t.Name
}

// policyFrom names the source of Policy.
func (t *Tenant) policyFrom() string {
	if t.PolicyFrom != "" {
		return t.PolicyFrom
	}
	return t.Name
}

// The tenant MFA policies (GET /api/v2/guardian/policies:
// https://auth0.com/docs/api/management/v2/guardian/put-policies).
const (
	PolicyNever           = "never"
	PolicyAllApplications = "all-applications"
	PolicyConfidenceScore = "confidence-score"
)

// TenantPolicySource is Decision.MFABy when the tenant's MFA policy, not
// the Action, required MFA.
const TenantPolicySource = "tenant-policy"

// PolicyReading is the one reading of Auth0's documentation the simulator
// follows where an Action meets a tenant MFA policy; the summary states
// it. The customize-Adaptive-MFA page
// (https://auth0.com/docs/secure/multi-factor-authentication/adaptive-mfa/customize-adaptive-mfa)
// says both that MFA is required if either the Action or the policy
// triggers it and that Actions triggering MFA "take precedence", and
// recommends an Action to bypass MFA; the post-login trigger page
// (https://auth0.com/docs/customize/actions/explore-triggers/post-login)
// skips MFA with multifactor.enable('none'); the customize-MFA-selection
// page says challengeWith overrides the dashboard's policies
// (https://auth0.com/docs/secure/multi-factor-authentication/customize-mfa/customize-mfa-selection-universal-login).
const PolicyReading = "an Action's deny wins; MFA is required if the Action or the policy asks for it; " +
	"when the Action asks, its factors are offered; multifactor.enable('none') skips the policy's MFA"

// withTenant lets the tenant's enabled factors replace EnabledFactors.
func withTenant(opts Options) Options {
	if opts.Tenant != nil && opts.Tenant.Enabled != nil {
		opts.EnabledFactors = append([]string{}, opts.Tenant.Enabled...)
	}
	return opts
}

// known is what the simulator knows of one login's user and tenant
// before running the Action.
type known struct {
	user userFactors
	// fill is filled into an event without event.user.enrolledFactors;
	// nil leaves the event as read.
	fill       []string
	assumption string
	tenant     []string
	// multifactor is event.user.multifactor as derived after fill, for
	// an Action that observes it (multifactor.go).
	multifactor input.Multifactor
}

// knowing is what a run's options make of every login's user before the
// login is read (knownFactors), made once for the logins of a lane.
type knowing struct {
	opts    Options
	enabled factorSet
	// assumed is AssumeEnrolled as a set and as the list filled into an
	// event without enrolledFactors; assumption, notInTenant and
	// fromUsers are the assumptions of such a login, without a tenant
	// context's users, of a user not among them, and of one among them.
	assumed                            factorSet
	fill                               []string
	assumption, notInTenant, fromUsers string
	// policy and its notes are the tenant context's MFA policy, and
	// noConfidence its notes for a login without a risk confidence.
	policy                    string
	policyNotes, noConfidence []string
}

func newKnowing(opts Options) *knowing {
	kn := &knowing{opts: opts, enabled: newFactorSet(opts.EnabledFactors), assumed: newFactorSet(opts.AssumeEnrolled),
		fill: append([]string{}, opts.AssumeEnrolled...)}
	from := "assumed enrolled in " + DescribeFactors(opts.AssumeEnrolled)
	kn.assumption = kn.noEnrolled(from)
	kn.notInTenant = kn.noEnrolled("user not in the tenant context: " + from)
	kn.fromUsers = kn.noEnrolled("enrolled factors from the tenant context's users")
	if t := opts.Tenant; t != nil {
		kn.policy, kn.policyNotes = tenantPolicy(t, input.Event{Confidence: "known"})
		_, kn.noConfidence = tenantPolicy(t, input.Event{})
	}
	return kn
}

// noEnrolled is the assumption of a login without
// event.user.enrolledFactors whose factors come from where from says.
func (kn *knowing) noEnrolled(from string) string {
	if kn.opts.KeepEvents {
		return "no event.user.enrolledFactors: " + from + " (event left as read)"
	}
	return "no event.user.enrolledFactors: " + from + " (filled into the event)"
}

// knownFactors says which factors the login's user can use and what
// that rests on: event.user.enrolledFactors when the event has it, else
// the tenant context's enrolments for the user, else AssumeEnrolled.
func (kn *knowing) knownFactors(ev *input.Event) known {
	opts := &kn.opts
	k := known{user: userFactors{Enabled: kn.enabled, Confidence: ev.Confidence}}
	switch {
	case ev.HasEnrolled:
		k.user.Enrolled = newFactorSet(ev.Enrolled)
		k.assumption = "enrolled factors read from event.user.enrolledFactors"
	default:
		k.user.Enrolled, k.fill, k.assumption = kn.assumed, kn.fill, kn.assumption
		if t := opts.Tenant; t != nil && t.Users != nil {
			if ul, ok := t.Users[userIDOf(ev.JSON)]; ok {
				k.user.Enrolled, k.fill, k.assumption = newFactorSet(ul), append([]string{}, ul...), kn.fromUsers
			} else {
				k.assumption = kn.notInTenant
			}
		}
		if opts.KeepEvents {
			k.fill = nil
		}
	}
	kn.policyOf(&k, ev)
	return k
}

// policyOf gives k the tenant context's MFA policy and the statements it
// rests on, when there is a tenant context (tenantPolicy).
func (kn *knowing) policyOf(k *known, ev *input.Event) {
	if kn.opts.Tenant == nil {
		return
	}
	k.user.Policy, k.tenant = kn.policy, kn.policyNotes
	if ev.Confidence == "" {
		k.tenant = kn.noConfidence
	}
}

// tenantPolicy returns the policy to apply and the statements it rests on.
func tenantPolicy(t *Tenant, ev input.Event) (string, []string) {
	switch t.Policy {
	case PolicyNever, PolicyAllApplications, PolicyConfidenceScore:
	case "":
		return PolicyNever, []string{fmt.Sprintf("tenant context %s gives no MFA policy: taken as never (the Action alone decides)", t.policyFrom())}
	default:
		return PolicyNever, []string{fmt.Sprintf("tenant context %s: unknown MFA policy %q taken as never", t.policyFrom(), t.Policy)}
	}
	notes := []string{fmt.Sprintf("tenant MFA policy %s (from %s), read as: %s", t.Policy, t.policyFrom(), PolicyReading)}
	if t.Policy == PolicyConfidenceScore && ev.Confidence == "" {
		notes = append(notes, "confidence-score: no risk confidence in the event; the policy is taken not to require MFA")
	}
	return t.Policy, notes
}

// userIDOf reads event.user.user_id.
func userIDOf(event []byte) string {
	var ev struct {
		User struct {
			UserID string `json:"user_id"`
		} `json:"user"`
	}
	_ = json.Unmarshal(event, &ev)
	return ev.User.UserID
}

// UserID returns event.user.user_id of a login, for tools that gather the
// users of an events file (tenant pull).
func UserID(ev input.Event) string { return userIDOf(ev.JSON) }

// policyRequires says whether the tenant's MFA policy requires MFA on
// this login, and why. all-applications "prompts with MFA for all
// logins"; confidence-score "prompts with MFA only for low confidence
// logins" (https://auth0.com/docs/api/management/v2/guardian/put-policies;
// the confidence levels:
// https://auth0.com/docs/secure/multi-factor-authentication/adaptive-mfa/customize-adaptive-mfa).
func policyRequires(u userFactors) (bool, string) {
	switch {
	case u.Policy == PolicyAllApplications:
		return true, "the tenant's MFA policy all-applications requires MFA on every login"
	case u.Policy == PolicyConfidenceScore && u.Confidence == "low":
		return true, "the tenant's MFA policy confidence-score requires MFA at low risk confidence"
	}
	return false, ""
}

// derivePolicy applies the tenant's MFA policy to a login the Action let
// through without asking for MFA.
//
// A user with usable factors (enabled and enrolled) is challenged with
// them, as Auth0's own MFA prompt offers every enrolled factor. A user with
// none: under all-applications Auth0 asks the user to enroll in an enabled
// factor (https://auth0.com/docs/secure/multi-factor-authentication/enable-mfa);
// under confidence-score Adaptive MFA makes a user who is not enrolled
// verify by e-mail and skips enrollment (the default behaviour in the
// "high risk, low confidence" table of the customize-Adaptive-MFA page,
// and https://auth0.com/docs/secure/multi-factor-authentication/adaptive-mfa).
func derivePolicy(d *derivation, u userFactors) {
	req, why := policyRequires(u)
	if !req {
		return
	}
	var usable []string
	for _, f := range challengeFactors {
		if u.Enabled.has(f) && u.Enrolled.has(f) {
			usable = append(usable, f)
		}
	}
	d.ByPolicy = true
	switch {
	case len(usable) > 0:
		d.Outcome, d.Factors = Challenge, usable
		d.Notes = append(d.Notes, why+": the user is challenged with an enrolled factor")
	case u.Policy == PolicyConfidenceScore:
		d.Outcome, d.Factors = Challenge, []string{"email"}
		d.Notes = append(d.Notes, why+"; the user has no usable factor, so Adaptive MFA asks for e-mail verification and skips enrollment")
	default:
		var enrollable []string
		for _, f := range challengeFactors {
			if u.Enabled.has(f) && isEnrollFactor(f) {
				enrollable = append(enrollable, f)
			}
		}
		if len(enrollable) == 0 {
			d.Outcome, d.ByPolicy = Fail, false
			d.Notes = append(d.Notes, why+", but no factor a user can enroll in is enabled on the tenant (undocumented: taken as a failed login)")
			return
		}
		d.Outcome, d.Factors = Enroll, enrollable
		d.Notes = append(d.Notes, why+"; the user has no usable factor and is asked to enroll")
	}
}

// policyAlso notes that the tenant's policy would have required MFA too
// on a login where the Action asked for it: the Action's request is what
// Auth0 follows (PolicyReading).
func policyAlso(d *derivation, u userFactors) {
	if req, why := policyRequires(u); req {
		d.Notes = append(d.Notes, why+" as well; the Action's MFA request takes precedence")
	}
}

// policySkipped notes that multifactor.enable('none') skipped the MFA the
// tenant's policy would have required (PolicyReading).
func policySkipped(d *derivation, u userFactors) {
	if req, why := policyRequires(u); req {
		d.Notes = append(d.Notes, strings.Replace(why, " requires ", " would require ", 1)+"; multifactor.enable('none') skips it")
	}
}

// enrichmentOf is the enrichment a run's options ask for: Options.GeoIP
// and the tenant context's roles; nil for none.
func enrichmentOf(opts Options) *input.Enrichment {
	var roles map[string][]string
	if opts.Tenant != nil {
		roles = opts.Tenant.Roles
	}
	return input.NewEnrichment(opts.GeoIP, roles)
}
