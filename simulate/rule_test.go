package simulate

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mfapolicy/mfapolicy/simulate/engine"
)

func bundleRule(t *testing.T, name string, secrets map[string]string) []byte {
	t.Helper()
	code, err := engine.BundleRule(filepath.Join("testdata", "rules", name), engine.BundleOptions{Secrets: secrets})
	if err != nil {
		t.Fatalf("engine.BundleRule: %v", err)
	}
	return code
}

func TestRuleAdaptiveMFA(t *testing.T) {
	code := bundleRule(t, "adaptive-mfa.js", map[string]string{"HOME_COUNTRIES": "US,CA", "BREAK_GLASS_CLIENT": "glass"})
	glass := strings.Replace(event("FR", "192.0.2.1", "low", ""), `"client_id":"cid"`, `"client_id":"glass"`, 1)
	got, _ := replayCode(t, code, "adaptive-mfa.js", Options{},
		event("US", "192.0.2.1", "high", ""),
		event("US", "192.0.2.1", "low", ""),
		event("DE", "192.0.2.1", "high", ""),
		event("KP", "192.0.2.1", "high", ""),
		glass,
		event("CA", "192.0.2.1", "", ""),
	)
	checkDecisions(t, got, []want{
		{outcome: Allow},
		{outcome: Challenge, factors: "otp,push-notification"},
		{outcome: Challenge, factors: "otp,push-notification"},
		{outcome: Deny, reason: "Sign-in from C-KP is not permitted"},
		{outcome: Allow},
		{outcome: Allow},
	})
	calls := got[1].Calls
	if len(calls) != 2 || calls[0].Method != "multifactor.enable" ||
		string(calls[0].Args[0]) != `"any"` || string(calls[0].Args[1]) != `{"allowRememberBrowser":false}` ||
		calls[1].Method != "idToken.setCustomClaim" || string(calls[1].Args[1]) != "7" {
		t.Errorf("calls = %+v", calls)
	}
	if len(got[4].Calls) != 0 {
		t.Errorf("break-glass calls = %+v", got[4].Calls)
	}
}

func TestRuleGuideShapes(t *testing.T) {
	code := bundleRule(t, "guide-shapes.js", nil)
	admin := `"user_id":"auth0|2","app_metadata":{"roles":["admin"]}`
	var w Warnings
	w.Prefix = RuleWarningPrefix
	got, _ := replayCode(t, code, "guide-shapes.js", Options{OnDecision: nil},
		event("US", "192.0.2.1", "", ""),
		event("DE", "192.0.2.1", "", ""),
		event("US", "192.0.2.1", "", admin),
		event("FR", "192.0.2.1", "", admin),
	)
	checkDecisions(t, got, []want{
		{outcome: Allow, note: "context.request.geoip.country_code"},
		{outcome: Challenge, factors: "otp,push-notification", note: "context.multifactor.enable() is not part of Auth0's Rules API"},
		{outcome: Challenge, factors: "otp,push-notification", note: "context.multifactor.addFactor({...})"},
		{outcome: Challenge, factors: "otp,push-notification", note: "context.multifactor = { provider: 'any' }"},
	})
	for _, d := range got {
		w.Observe(d)
	}
	list := w.List()
	if len(list) != 3 {
		t.Fatalf("warnings = %+v", list)
	}
	counts := map[string]int64{}
	for _, c := range list {
		switch {
		case strings.Contains(c.Name, "ip_country"):
			counts["ip_country"] = c.Count
		case strings.Contains(c.Name, "enable()"):
			counts["enable"] = c.Count
		case strings.Contains(c.Name, "addFactor"):
			counts["addFactor"] = c.Count
		}
	}
	if counts["ip_country"] != 4 || counts["enable"] != 2 || counts["addFactor"] != 2 {
		t.Errorf("warning counts = %v", counts)
	}
	// One note per shape per login, however often the Rule used it.
	if n := len(got[3].Notes); n != 3 {
		t.Errorf("notes of the 4th login = %q", got[3].Notes)
	}
}

func TestRuleAsync(t *testing.T) {
	code := bundleRule(t, "async-rule.js", nil)
	tier := func(t string) string { return `"user_id":"auth0|t","app_metadata":{"tier":"` + t + `"}` }
	mfaQuery := strings.Replace(event("US", "192.0.2.1", "", tier("basic")), `"user_agent"`, `"query":{"acr_values":"mfa"},"user_agent"`, 1)
	got, _ := replayCode(t, code, "async-rule.js", Options{},
		event("US", "192.0.2.1", "", tier("basic")),
		event("US", "192.0.2.1", "", tier("gold")),
		event("US", "192.0.2.1", "", tier("suspended")),
		event("US", "192.0.2.1", "", tier("broken")),
		mfaQuery,
	)
	checkDecisions(t, got, []want{
		{outcome: Allow},
		{outcome: Challenge, note: `multifactor.enable("guardian")`},
		{outcome: Deny, reason: "Account suspended"},
		{outcome: Error, err: "Error: tier service returned garbage (at async-rule.js:11:13)"},
		{outcome: Challenge},
	})
	c := got[0].Calls
	if len(c) != 2 || c[0].Method != "user.setAppMetadata" || string(c[1].Args[0]) != `"last_check"` {
		t.Errorf("calls = %+v", c)
	}
}

func TestRuleMisbehaving(t *testing.T) {
	code := bundleRule(t, "misbehaving.js", nil)
	mode := func(m string) string {
		return event("US", "192.0.2.1", "", `"user_id":"u","app_metadata":{"mode":"`+m+`"}`)
	}
	got, sum := replayCode(t, code, "misbehaving.js", Options{Timeout: 200 * time.Millisecond},
		mode("forget"), mode("loop"), mode("throw"), mode("twice"), mode("ok"))
	checkDecisions(t, got, []want{
		{outcome: Error, err: "promise never settled"},
		{outcome: Error, err: "did not finish within 200ms"},
		{outcome: Error, err: "TypeError: Cannot read property 'name' of undefined (at misbehaving.js:8:"},
		{outcome: Allow, note: "callback was called more than once"},
		{outcome: Allow},
	})
	if sum.TimedOut != 1 {
		t.Errorf("timed out = %d", sum.TimedOut)
	}
}

func TestRuleIsNotAFunction(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "rule.js")
	writeFile(t, file, "'just a string'")
	code, err := engine.BundleRule(file, engine.BundleOptions{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = runErr(code)
	if err == nil || !strings.Contains(err.Error(), "a Rule must be a function (user, context, callback), got string") {
		t.Errorf("err = %v", err)
	}
}
