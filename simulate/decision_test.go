package simulate

import (
	"github.com/mfapolicy/mfapolicy/simulate/engine"
	"strings"
	"testing"
)

func TestDerive(t *testing.T) {
	all := AllFactors()
	ch := func(fs ...string) engine.Command {
		return engine.Command{Kind: engine.CmdChallenge, Method: "authentication.challengeWith", Factors: fs}
	}
	en := func(fs ...string) engine.Command {
		return engine.Command{Kind: engine.CmdEnroll, Method: "authentication.enrollWith", Factors: fs}
	}
	enable := func(p string) engine.Command {
		return engine.Command{Kind: engine.CmdMFAEnable, Method: "multifactor.enable", Provider: p}
	}
	deny := engine.Command{Kind: engine.CmdDeny, Method: "access.deny", Reason: "no"}

	cases := []struct {
		name      string
		cmds      []engine.Command
		enrolled  []string
		enabled   []string
		outcome   Outcome
		factors   string
		requested Outcome
		note      string
	}{
		{name: "no calls", outcome: Allow, requested: Allow},
		{name: "challenge, user enrolled", cmds: []engine.Command{ch("otp", "push-notification")}, enrolled: all, outcome: Challenge, factors: "otp,push-notification", requested: Challenge},
		{name: "deny wins over challenge", cmds: []engine.Command{ch("otp"), deny}, enrolled: all, outcome: Deny, requested: Deny, note: "access.deny overrides"},
		{name: "deny first then enable", cmds: []engine.Command{deny, enable("any")}, enrolled: all, outcome: Deny, requested: Deny},
		{name: "challenge, nothing enrolled", cmds: []engine.Command{ch("otp")}, enrolled: nil, outcome: Fail, requested: Challenge, note: "logs mfar"},
		{name: "challenge, partly enrolled", cmds: []engine.Command{ch("otp", "webauthn-platform")}, enrolled: []string{"webauthn-platform"}, outcome: Challenge, factors: "webauthn-platform", requested: Challenge, note: "ignored otp (not enrolled)"},
		{name: "challenge, factor disabled on tenant", cmds: []engine.Command{ch("otp")}, enrolled: all, enabled: []string{"phone"}, outcome: Fail, requested: Challenge, note: "not enabled on the tenant"},
		{name: "challenge with no valid factor", cmds: []engine.Command{ch()}, enrolled: all, outcome: Fail, requested: Challenge, note: "no valid factor was requested"},
		{name: "four commands allowed", cmds: []engine.Command{ch("otp"), ch("otp"), ch("phone"), ch("email")}, enrolled: all, outcome: Challenge, factors: "otp,phone,email", requested: Challenge},
		{name: "fifth command fails", cmds: []engine.Command{ch("otp"), ch("otp"), ch("otp"), ch("otp"), ch("otp")}, enrolled: all, outcome: Fail, requested: Challenge, note: "at most 4"},
		{name: "enroll new factor", cmds: []engine.Command{en("webauthn-platform")}, enrolled: []string{"otp"}, outcome: Enroll, factors: "webauthn-platform", requested: Enroll},
		{name: "enroll already enrolled fails (API reference)", cmds: []engine.Command{en("otp")}, enrolled: []string{"otp"}, outcome: Fail, requested: Enroll, note: "enrollments guide says it continues"},
		{name: "challenge then enroll", cmds: []engine.Command{ch("otp"), en("webauthn-roaming")}, enrolled: []string{"otp"}, outcome: Enroll, factors: "webauthn-roaming", requested: Enroll},
		{name: "challenge overrides enable", cmds: []engine.Command{enable("any"), ch("otp")}, enrolled: all, outcome: Challenge, factors: "otp", requested: Challenge, note: "overrides multifactor.enable"},
		{name: "enable none is no MFA", cmds: []engine.Command{enable("none")}, enrolled: all, outcome: Allow, requested: Allow, note: "skips MFA"},
		{name: "enable any, enrolled", cmds: []engine.Command{enable("any")}, enrolled: []string{"otp", "phone"}, outcome: Challenge, factors: "otp,phone", requested: Challenge},
		{name: "enable any, nothing enrolled", cmds: []engine.Command{enable("any")}, enrolled: nil, outcome: Enroll, factors: "otp,webauthn-platform,webauthn-roaming,recovery-code,phone,push-notification", requested: Challenge, note: "asks the user to enroll"},
		{name: "enable any, nothing enrolled, few enabled", cmds: []engine.Command{enable("any")}, enrolled: nil, enabled: []string{"email", "otp"}, outcome: Enroll, factors: "otp", requested: Challenge, note: "any enabled factor"},
		{name: "enable guardian", cmds: []engine.Command{enable("guardian")}, enrolled: nil, outcome: Challenge, requested: Challenge, note: "guardian"},
		{name: "enable twice, last wins", cmds: []engine.Command{enable("any"), enable("none")}, enrolled: all, outcome: Allow, requested: Allow, note: "more than once"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			enabled := c.enabled
			if enabled == nil {
				enabled = all
			}
			d := derive(c.cmds, userFactors{Enrolled: newFactorSet(c.enrolled), Enabled: newFactorSet(enabled)})
			if d.Outcome != c.outcome || strings.Join(d.Factors, ",") != c.factors || d.Requested != c.requested {
				t.Errorf("got %s [%s] requested %s, want %s [%s] requested %s (notes %q)",
					d.Outcome, strings.Join(d.Factors, ","), d.Requested, c.outcome, c.factors, c.requested, d.Notes)
			}
			if c.note != "" && !strings.Contains(strings.Join(d.Notes, "\n"), c.note) {
				t.Errorf("notes %q lack %q", d.Notes, c.note)
			}
		})
	}
}

func TestDenyReason(t *testing.T) {
	d := derive([]engine.Command{{Kind: engine.CmdDeny, Reason: "first"}, {Kind: engine.CmdDeny, Reason: "second"}}, userFactors{})
	if d.Outcome != Deny || d.Reason != "first" {
		t.Fatalf("%+v", d)
	}
}
