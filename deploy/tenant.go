package deploy

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/auth0/go-auth0/management"

	"github.com/mfapolicy/mfapolicy/tenant"
)

// Steps of Apply that change the tenant's MFA configuration. The safe
// order is: enable factors (and widen the phone message types) before
// the Action changes, so that the new Action never offers a factor the
// tenant disables; narrow the message types and disable factors only
// once the new Action is live, so that the old one never loses a factor
// it offers; change the MFA policy last.
const (
	StepEnableFactor  StepKind = "enable-factor"
	StepMessageTypes  StepKind = "message-types"
	StepDisableFactor StepKind = "disable-factor"
	StepMFAPolicy     StepKind = "mfa-policy"
)

// Targets of the tenant changes that are not factors.
const (
	TargetMessageTypes = "phone_message_types"
	TargetMFAPolicy    = "mfa_policy"
)

// TenantPlan is the drift between the live tenant's MFA configuration
// and the one wanted (a policy's `tenant:` section), and the changes
// that remove it, in the order Apply makes them. Its JSON form is the
// "tenant" of a deploy plan and the output of `mfapolicy tenant diff
// --format json`, and is stable.
type TenantPlan struct {
	// Live is the tenant as read, for the keys Want manages.
	Live tenant.Config `json:"live"`
	// Want is the configuration to apply.
	Want tenant.Config `json:"want"`
	// Changes are the writes, in order; empty when there is no drift.
	Changes []TenantChange `json:"changes"`
	// Diff is a unified diff of Live and Want as `tenant:` sections;
	// empty when there is no drift.
	Diff string `json:"diff"`
	// Notes are things the user should know, such as an enabled factor
	// the section cannot name (duo) that is left as it is.
	Notes []string `json:"notes"`
}

// TenantChange is one write to the tenant's MFA configuration.
type TenantChange struct {
	Step StepKind `json:"step"`
	// Target is the factor (an Action factor type such as phone), or
	// phone_message_types, or mfa_policy.
	Target string `json:"target"`
	From   string `json:"from"`
	To     string `json:"to"`
	// Endpoint is the Management API call, for example
	// "PUT /api/v2/guardian/factors/sms".
	Endpoint string `json:"endpoint"`
	// AfterAction says the change waits until the new Action is live.
	AfterAction bool `json:"after_action"`
}

// Drift reports whether the live tenant differs from the wanted one.
func (t *TenantPlan) Drift() bool { return t != nil && len(t.Changes) > 0 }

// String names the change for progress and failure messages, for
// example "enable-factor phone".
func (c TenantChange) String() string {
	if c.Step == StepEnableFactor || c.Step == StepDisableFactor {
		return string(c.Step) + " " + c.Target
	}
	return string(c.Step)
}

// PlanTenant reads the tenant's MFA configuration (the factors, and the
// phone message types and MFA policy when want manages them) and works
// out the changes that make it want, in the safe order. It only reads.
func PlanTenant(ctx context.Context, m *management.Management, want tenant.Config) (*TenantPlan, error) {
	want = want.Sorted()
	tp := &TenantPlan{Want: want, Changes: []TenantChange{}, Notes: []string{}}
	if err := tp.read(ctx, m); err != nil {
		return nil, err
	}
	tp.plan()
	if tp.Drift() {
		tp.Diff = unifiedDiff(tp.Live.YAML(""), want.YAML(""), "live tenant", "policy file")
	}
	return tp, nil
}

// read fills Live. The message types and the policy are read only when
// managed: a tenant without voice MFA may refuse the message-types read
// (deploy-cli skips it on 403 voice_mfa_not_allowed).
func (tp *TenantPlan) read(ctx context.Context, m *management.Management) error {
	factors, err := m.Guardian.MultiFactor.List(ctx)
	if err != nil {
		return opReadFactors.wrap(err)
	}
	tp.Live.Factors = []string{}
	for _, f := range factors {
		t, ok := tenant.ActionFactor(f.GetName())
		switch {
		case ok && f.GetEnabled():
			tp.Live.Factors = append(tp.Live.Factors, t)
		case !ok && f.GetEnabled():
			tp.Notes = append(tp.Notes, fmt.Sprintf("factor %q is enabled on the tenant; a tenant: section cannot name it, so deploy leaves it as it is", f.GetName()))
		}
	}
	if tp.Want.PhoneMessageTypes != nil {
		mt, err := m.Guardian.MultiFactor.Phone.MessageTypes(ctx)
		if err != nil {
			return opReadMessageTypes.wrap(err)
		}
		tp.Live.PhoneMessageTypes = []string{}
		if mt != nil && mt.MessageTypes != nil {
			tp.Live.PhoneMessageTypes = *mt.MessageTypes
		}
	}
	if tp.Want.MFAPolicy != "" {
		ps, err := m.Guardian.MultiFactor.Policy(ctx)
		if err != nil {
			return opReadPolicies.wrap(err)
		}
		f := tenant.File{Policies: (*[]string)(ps)}
		if ps == nil {
			f.Policies = &[]string{}
		}
		p, _ := f.MFAPolicy()
		tp.Live.MFAPolicy = string(p)
	}
	tp.Live = tp.Live.Sorted()
	return nil
}

// plan lists the changes in the safe order: enables, widened message
// types, then (after the Action) narrowed message types, disables, and
// the MFA policy.
func (tp *TenantPlan) plan() {
	live, want := tp.Live, tp.Want
	var before, after []TenantChange
	for _, f := range tenant.ActionFactors() {
		if want.Enabled(f) && !live.Enabled(f) {
			before = append(before, factorChange(StepEnableFactor, f, false))
		}
	}
	if want.PhoneMessageTypes != nil && !slices.Equal(live.PhoneMessageTypes, want.PhoneMessageTypes) {
		c := TenantChange{
			Step: StepMessageTypes, Target: TargetMessageTypes,
			From: listText(live.PhoneMessageTypes), To: listText(want.PhoneMessageTypes),
			Endpoint: opMessageTypes.endpoint(),
		}
		// Narrowing what a live phone factor sends waits for the new
		// Action; widening it, or setting it while phone is off, does not.
		if live.Enabled("phone") && !subset(live.PhoneMessageTypes, want.PhoneMessageTypes) {
			c.AfterAction = true
			after = append(after, c)
		} else {
			before = append(before, c)
		}
	}
	for _, f := range tenant.ActionFactors() {
		if live.Enabled(f) && !want.Enabled(f) {
			after = append(after, factorChange(StepDisableFactor, f, true))
		}
	}
	if want.MFAPolicy != "" && want.MFAPolicy != live.MFAPolicy {
		after = append(after, TenantChange{
			Step: StepMFAPolicy, Target: TargetMFAPolicy, From: live.MFAPolicy, To: want.MFAPolicy,
			Endpoint: opPolicies.endpoint(), AfterAction: true,
		})
	}
	tp.Changes = append(append(tp.Changes, before...), after...)
}

func factorChange(step StepKind, f string, after bool) TenantChange {
	from, to := "disabled", "enabled"
	if step == StepDisableFactor {
		from, to = to, from
	}
	return TenantChange{
		Step: step, Target: f, From: from, To: to, AfterAction: after,
		Endpoint: "PUT /api/v2/guardian/factors/" + tenant.GuardianFactor(f),
	}
}

func subset(a, b []string) bool {
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	return true
}

func listText(l []string) string { return "[" + strings.Join(l, ", ") + "]" }

// applyTenant makes one change through go-auth0.
func applyTenant(ctx context.Context, m *management.Management, c TenantChange, want tenant.Config) error {
	switch c.Step {
	case StepEnableFactor, StepDisableFactor:
		return enableFactor(ctx, m, c.Target, c.Step == StepEnableFactor)
	case StepMessageTypes:
		types := append([]string{}, want.PhoneMessageTypes...)
		return opMessageTypes.wrap(m.Guardian.MultiFactor.Phone.UpdateMessageTypes(ctx, &management.PhoneMessageTypes{MessageTypes: &types}))
	case StepMFAPolicy:
		// "never" is the empty list (PUT /api/v2/guardian/policies,
		// https://auth0.com/docs/api/management/v2/guardian/put-policies).
		ps := management.MultiFactorPolicies{}
		if want.MFAPolicy != string(tenant.Never) {
			ps = append(ps, want.MFAPolicy)
		}
		return opPolicies.wrap(m.Guardian.MultiFactor.UpdatePolicy(ctx, &ps))
	}
	return fmt.Errorf("unknown tenant step %q", c.Step)
}

// enableFactor calls PUT /api/v2/guardian/factors/{name}
// (https://auth0.com/docs/api/management/v2/guardian/put-factors-by-name)
// through go-auth0's manager for the factor. The phone factor has no
// guardian/factors/phone: the endpoint's names list "sms", and go-auth0's
// MultiFactorPhone.Enable puts guardian/factors/sms ("An endpoint for
// enabling Phone doesn't exist yet"), as the Terraform provider's
// auth0_guardian phone block does.
func enableFactor(ctx context.Context, m *management.Management, f string, on bool) error {
	mf := m.Guardian.MultiFactor
	enable := map[string]func(context.Context, bool, ...management.RequestOption) error{
		"otp":               mf.OTP.Enable,
		"email":             mf.Email.Enable,
		"webauthn-platform": mf.WebAuthnPlatform.Enable,
		"webauthn-roaming":  mf.WebAuthnRoaming.Enable,
		"recovery-code":     mf.RecoveryCode.Enable,
		"phone":             mf.Phone.Enable,
		"push-notification": mf.Push.Enable,
	}[f]
	o := opFactor(f, on)
	if enable == nil {
		return o.wrap(fmt.Errorf("unknown factor %q", f))
	}
	return o.wrap(enable(ctx, on))
}
