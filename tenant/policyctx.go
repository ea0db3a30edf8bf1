package tenant

import (
	"fmt"
	"slices"
	"strings"

	"github.com/mfapolicy/mfapolicy/policy"
	"github.com/mfapolicy/mfapolicy/simulate"
)

// ForPolicy is the tenant context a policy is simulated under. Without a
// `tenant:` section it is ctx as given (nil: none). With one, the section
// states the enabled factors and, when it has mfa_policy, the MFA policy;
// ctx (from --tenant, described by f) still gives the users' enrolments,
// and the MFA policy when the section leaves it out. Where f disagrees
// with the section the section wins, and the context lists each
// difference for the summary.
func ForPolicy(p *policy.Policy, ctx *simulate.Tenant, f *File) *simulate.Tenant {
	sec := p.Tenant
	if sec == nil {
		return ctx
	}
	t := &simulate.Tenant{Name: p.File, Enabled: slices.Clone(sec.Factors), EnabledFrom: p.File,
		Policy: sec.MFAPolicy, PolicyFrom: p.File}
	if ctx == nil {
		return t
	}
	t.Name, t.Users, t.Roles = ctx.Name, ctx.Users, ctx.Roles
	if sec.MFAPolicy == "" {
		t.Policy, t.PolicyFrom = ctx.Policy, ctx.Name
	}
	if f != nil {
		t.Differences = Differences(sec, p.File, f, ctx.Name)
	}
	return t
}

// Differences lists what the tenant context file f (named fname) says
// otherwise than the section of the policy file pname, each factor by the
// name f gives it: "sms (phone in policy.yaml): enabled in tenant.json,
// disabled by policy.yaml". Keys the section leaves out, and sections f
// lacks, are not compared.
func Differences(sec *policy.TenantConfig, pname string, f *File, fname string) []string {
	var out []string
	if f.Factors != nil {
		for _, t := range actionFactors {
			out = append(out, factorDifference(sec, pname, f, fname, t)...)
		}
	}
	if got, ok := f.MFAPolicy(); ok && sec.MFAPolicy != "" && string(got) != sec.MFAPolicy {
		out = append(out, fmt.Sprintf("mfa_policy: %s in %s, %s by %s", got, fname, sec.MFAPolicy, pname))
	}
	if sec.PhoneMessageTypes != nil && f.PhoneMessageTypes != nil && !sameSet(sec.PhoneMessageTypes, f.PhoneMessageTypes) {
		out = append(out, fmt.Sprintf("phone_message_types: %s in %s, %s by %s (message types are not simulated)",
			strings.Join(f.PhoneMessageTypes, ", "), fname, strings.Join(sec.PhoneMessageTypes, ", "), pname))
	}
	return out
}

// factorDifference compares one Action factor type.
func factorDifference(sec *policy.TenantConfig, pname string, f *File, fname, t string) []string {
	on := sec.Enabled(t)
	state := map[bool]string{true: "enabled", false: "disabled"}
	listed := false
	var out []string
	for _, fc := range f.Factors {
		if factorOfGuardian[fc.Name] != t {
			continue
		}
		listed = true
		if fc.Enabled == on {
			continue
		}
		name := fc.Name
		if name != t {
			name = fmt.Sprintf("%s (%s in %s)", fc.Name, t, pname)
		}
		out = append(out, fmt.Sprintf("%s: %s in %s, %s by %s", name, state[fc.Enabled], fname, state[on], pname))
	}
	if !listed && on {
		out = append(out, fmt.Sprintf("%s: not among the factors of %s, enabled by %s", t, fname, pname))
	}
	return out
}

func sameSet(a, b []string) bool {
	x, y := slices.Clone(a), slices.Clone(b)
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(slices.Compact(x), slices.Compact(y))
}
