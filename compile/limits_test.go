package compile

import (
	"fmt"
	"strings"
	"testing"

	"github.com/mfapolicy/mfapolicy/policy"
)

func compiled(t *testing.T, src string) (*policy.Policy, *Result) {
	t.Helper()
	p, diags := policy.Parse("f.yaml", []byte(src))
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	res, err := Compile(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return p, res
}

func TestLimitsWithinBounds(t *testing.T) {
	p, res := compiled(t, `name: a
rules:
  - id: abroad
    when: "event.request.geoip.countryCode != 'US'"
    then: challenge
    factors: [otp, phone, push-notification, email]
default: allow
`)
	if got := Limits(p, res); len(got) != 0 {
		t.Errorf("limits: %v", got)
	}
}

// An Action of 100 kB or more draws a warning: Auth0 asks Actions to stay
// under 100 kB (https://auth0.com/docs/customize/actions/limitations).
func TestLimitsActionSize(t *testing.T) {
	var ips []string
	for i := 0; i < 9000; i++ {
		ips = append(ips, fmt.Sprintf("'10.%d.%d.1'", i/250, i%250))
	}
	p, res := compiled(t, "name: big\nlists:\n  blocked: ["+strings.Join(ips, ", ")+"]\nrules:\n  - id: blocked\n    when: event.request.ip in lists.blocked\n    then: deny\n    reason: no\ndefault: allow\n")
	got := Limits(p, res)
	if len(got) != 1 || got[0].Code != "action-too-large" || !strings.Contains(got[0].Message, "stay under 102400") {
		t.Errorf("limits for %d bytes: %v", len(res.Code), got)
	}
}

func TestSecretProblems(t *testing.T) {
	got := SecretProblems(map[string]string{
		"OK":                     "v",
		strings.Repeat("K", 129): "v",
		"BIG":                    strings.Repeat("x", 4097),
	})
	if len(got) != 2 || !strings.Contains(got[0], `secret "BIG": its value is 4097 characters`) || !strings.Contains(got[1], "is 129 characters") {
		t.Errorf("problems %q", got)
	}
	for _, g := range got {
		if strings.Contains(g, "xxxx") {
			t.Errorf("a value leaked: %s", g)
		}
	}
}
