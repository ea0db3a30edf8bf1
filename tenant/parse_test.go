package tenant

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// What `auth0 api get "guardian/factors"` prints: the CLI indents the
// response body with two spaces (auth0-cli internal/cli/api.go,
// json.Indent). The shape is the get-factors page's example
// (https://auth0.com/docs/api/management/v2/guardian/get-factors).
const cliFactors = `[
  {
    "enabled": true,
    "trial_expired": false,
    "name": "sms"
  },
  {
    "enabled": false,
    "trial_expired": false,
    "name": "push-notification"
  },
  {
    "enabled": true,
    "trial_expired": false,
    "name": "email"
  },
  {
    "enabled": false,
    "trial_expired": false,
    "name": "duo"
  },
  {
    "enabled": true,
    "trial_expired": false,
    "name": "otp"
  },
  {
    "enabled": false,
    "trial_expired": false,
    "name": "webauthn-roaming"
  },
  {
    "enabled": false,
    "trial_expired": false,
    "name": "webauthn-platform"
  },
  {
    "enabled": false,
    "trial_expired": false,
    "name": "recovery-code"
  }
]
`

func TestParseCLIFactors(t *testing.T) {
	f, err := Parse("factors.json", []byte(cliFactors))
	if err != nil {
		t.Fatal(err)
	}
	got, ok := f.EnabledFactors()
	if want := []string{"otp", "email", "phone"}; !ok || !reflect.DeepEqual(got, want) {
		t.Errorf("enabled = %v, %v; want %v", got, ok, want)
	}
	if _, ok := f.MFAPolicy(); ok {
		t.Error("a factors file says nothing of the policy")
	}
}

func TestParseColoured(t *testing.T) {
	// A terminal-attached CLI may colour keys and values.
	col := "[\n  {\n    \x1b[34;1m\"enabled\"\x1b[0m: \x1b[32;1mtrue\x1b[0m,\n    \x1b[34;1m\"name\"\x1b[0m: \x1b[32m\"push-notification\"\x1b[0m\n  }\n]\n"
	f, err := Parse("c.json", []byte(col))
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := f.EnabledFactors(); !reflect.DeepEqual(got, []string{"push-notification"}) {
		t.Errorf("enabled = %v", got)
	}
}

func TestParsePolicies(t *testing.T) {
	// https://auth0.com/docs/api/management/v2/guardian/get-policies:
	// an array of all-applications or confidence-score; [] is "never".
	for in, want := range map[string]Policy{
		"[]\n":                         Never,
		"[\n  \"all-applications\"\n]": AllApplications,
		`["confidence-score"]`:         ConfidenceScore,
	} {
		f, err := Parse("p.json", []byte(in))
		if err != nil {
			t.Fatal(err)
		}
		if got, ok := f.MFAPolicy(); !ok || got != want {
			t.Errorf("%s: policy %q, %v; want %q", in, got, ok, want)
		}
	}
}

func TestParseOwnFile(t *testing.T) {
	in := `{
  "domain": "example.eu.auth0.com",
  "factors": [{"name": "otp", "enabled": true}, {"name": "sms", "enabled": true}],
  "policies": ["confidence-score"],
  "users": {
    "auth0|1": [{"type": "totp", "confirmed": true}, {"type": "phone", "confirmed": false}],
    "auth0|2": ["email"],
    "auth0|3": [{"type": "guardian", "authentication_methods": [{"type": "totp", "id": "x"}]}, {"type": "passkey"}],
    "auth0|4": []
  }
}`
	f, err := Parse("t.json", []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		"auth0|1": {"otp"}, // the unconfirmed phone does not count
		"auth0|2": {"email"},
		"auth0|3": {"otp", "push-notification"},
		"auth0|4": {},
	}
	if got := f.Enrolments(); !reflect.DeepEqual(got, want) {
		t.Errorf("enrolments\n got %v\nwant %v", got, want)
	}
	if _, ok := f.Enrolled("auth0|9"); ok {
		t.Error("an unlisted user is unknown")
	}
}

func TestParseErrors(t *testing.T) {
	for in, want := range map[string]string{
		``: "empty",
		`{"statusCode":403,"error":"Forbidden","message":"Insufficient scope, expected any of: read:guardian_factors"}`: "Management API error (status 403",
		`{"factor": []}`:                                 `unknown field "factor"`,
		`[{"id":"totp|x","type":"totp"}]`:                "authentication methods",
		`{"users": {"a": ["sms"]}}`:                      `unknown factor type "sms"`,
		"[\n  {\"name\": \"otp\",\n  \"enabled\": yes}]": "t.json:3:",
		`["all-applications", 3]`:                        "policy names",
	} {
		_, err := Parse("t.json", []byte(in))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: error %v, want it to contain %q", in, err, want)
		}
	}
}

func TestLoadMerges(t *testing.T) {
	dir := t.TempDir()
	write := func(name, s string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	fa, po := write("factors.json", cliFactors), write("policies.json", `["all-applications"]`)
	f, err := Load(fa, po)
	if err != nil {
		t.Fatal(err)
	}
	if p, _ := f.MFAPolicy(); p != AllApplications {
		t.Errorf("policy %q", p)
	}
	if !reflect.DeepEqual(f.Sources, []string{fa, po}) {
		t.Errorf("sources %v", f.Sources)
	}
	if _, err := Load(fa, fa); err == nil || !strings.Contains(err.Error(), "given twice") {
		t.Errorf("twice: %v", err)
	}
}

func TestWarnings(t *testing.T) {
	f, err := Parse("t.json", []byte(`{"factors":[{"name":"sms","enabled":true,"trial_expired":true},{"name":"carrier-pigeon","enabled":true}],"policies":["sometimes"],"users":{"u":[{"type":"retina"}]}}`))
	if err != nil {
		t.Fatal(err)
	}
	w := strings.Join(f.Warnings(), "\n")
	for _, s := range []string{"trial has expired", `"carrier-pigeon"`, `"sometimes"`, `"retina"`} {
		if !strings.Contains(w, s) {
			t.Errorf("warnings lack %s:\n%s", s, w)
		}
	}
}
