package compile

import (
	"encoding/json"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/mfapolicy/mfapolicy/policy"
)

// The names the tools document, and nothing else, may appear in the
// generated files.
var (
	// auth0_guardian's schema (terraform-provider-auth0
	// docs/resources/guardian.md): top-level keys, and the keys of the
	// blocks written here.
	terraformGuardianKeys = []string{"policy", "email", "otp", "recovery_code", "webauthn_platform", "webauthn_roaming", "phone", "push", "duo"}
	terraformBlockKeys    = []string{"enabled", "message_types"}
	// deploy-cli: the directory handlers' file names and the schemas of
	// src/tools/auth0/handlers/guardian*.ts, with the enums of
	// src/tools/constants.ts.
	deployCLIFactorNames  = []string{"sms", "push-notification", "otp", "email", "duo", "webauthn-roaming", "webauthn-platform", "recovery-code"}
	deployCLIPolicies     = []string{"all-applications", "confidence-score"}
	deployCLIMessageTypes = []string{"sms", "voice"}
)

func tenantPolicy(t *testing.T, section string) *policy.Policy {
	t.Helper()
	src := "name: t\nruntime: node22\non_error: challenge\n" + section +
		"rules:\n  - id: r\n    when: event.request.geoip.countryCode != 'US'\n    then: challenge\n    factors: [otp]\ndefault: allow\n"
	p, diags := policy.Parse("policy.yaml", []byte(src))
	if diags.HasErrors() {
		t.Fatal(diags.Errors())
	}
	return p
}

var sections = []string{
	"tenant:\n  factors: [otp, email, webauthn-platform, webauthn-roaming, recovery-code, phone, push-notification]\n  phone_message_types: [sms, voice]\n  mfa_policy: never\n",
	"tenant:\n  factors: [otp]\n  mfa_policy: all-applications\n",
	"tenant:\n  factors: [otp, phone]\n",
}

func TestTerraformGuardianKeysAreDocumented(t *testing.T) {
	key := regexp.MustCompile(`^\s*([a-z_]+)\s*(=|\{)`)
	for _, sec := range sections {
		res, err := Compile(tenantPolicy(t, sec), Options{})
		if err != nil {
			t.Fatal(err)
		}
		files, err := res.Files("t", FormatTerraform)
		if err != nil {
			t.Fatal(err)
		}
		tf := string(files["main.tf"])
		i := strings.Index(tf, `resource "auth0_guardian"`)
		if i < 0 {
			t.Fatalf("no auth0_guardian:\n%s", tf)
		}
		depth := 0
		for _, line := range strings.Split(tf[i:], "\n")[1:] {
			if strings.TrimSpace(line) == "}" {
				if depth == 0 {
					break
				}
				depth--
				continue
			}
			m := key.FindStringSubmatch(line)
			if m == nil {
				continue
			}
			allowed := terraformGuardianKeys
			if depth > 0 {
				allowed = terraformBlockKeys
			}
			if !slices.Contains(allowed, m[1]) {
				t.Errorf("%q: key %q is not in the auth0_guardian schema", sec, m[1])
			}
			if m[2] == "{" {
				depth++
			}
		}
	}
}

func TestDeployCLIGuardianShapes(t *testing.T) {
	for _, sec := range sections {
		res, err := Compile(tenantPolicy(t, sec), Options{})
		if err != nil {
			t.Fatal(err)
		}
		files, err := res.Files("t", FormatDeployCLI)
		if err != nil {
			t.Fatal(err)
		}
		var factors []string
		for rel, b := range files {
			if !strings.HasPrefix(rel, "guardian/") {
				continue
			}
			var v map[string]any
			if err := json.Unmarshal(b, &v); err != nil {
				t.Fatalf("%s: %v", rel, err)
			}
			switch {
			case strings.HasPrefix(rel, "guardian/factors/"):
				name, _ := v["name"].(string)
				_, isBool := v["enabled"].(bool)
				if len(v) != 2 || !isBool || rel != "guardian/factors/"+name+".json" || !slices.Contains(deployCLIFactorNames, name) {
					t.Errorf("%s: %s", rel, b)
				}
				factors = append(factors, name)
			case rel == "guardian/policies.json":
				checkEnumList(t, rel, v, "policies", deployCLIPolicies)
			case rel == "guardian/phoneFactorMessageTypes.json":
				checkEnumList(t, rel, v, "message_types", deployCLIMessageTypes)
			default:
				t.Errorf("%s is not a file deploy-cli reads", rel)
			}
		}
		sort.Strings(factors)
		if want := []string{"email", "otp", "push-notification", "recovery-code", "sms", "webauthn-platform", "webauthn-roaming"}; !slices.Equal(factors, want) {
			t.Errorf("%q: factor files %v, want every factor but duo", sec, factors)
		}
		_, hasPolicy := files["guardian/policies.json"]
		_, hasTypes := files["guardian/phoneFactorMessageTypes.json"]
		if hasPolicy != strings.Contains(sec, "mfa_policy") || hasTypes != strings.Contains(sec, "phone_message_types") {
			t.Errorf("%q: policies.json %v, phoneFactorMessageTypes.json %v: a key not stated must not be written", sec, hasPolicy, hasTypes)
		}
	}
}

func checkEnumList(t *testing.T, rel string, v map[string]any, key string, enum []string) {
	t.Helper()
	list, ok := v[key].([]any)
	if len(v) != 1 || !ok {
		t.Errorf("%s: want only %q, a list: %v", rel, key, v)
	}
	for _, x := range list {
		if s, _ := x.(string); !slices.Contains(enum, s) {
			t.Errorf("%s: %v is not one of %v", rel, x, enum)
		}
	}
}

func TestNoTenantSectionNoGuardianFiles(t *testing.T) {
	res, err := Compile(tenantPolicy(t, ""), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []Format{FormatDeployCLI, FormatTerraform} {
		files, err := res.Files("t", f)
		if err != nil {
			t.Fatal(err)
		}
		for rel, b := range files {
			if strings.Contains(rel, "guardian") || strings.Contains(string(b), "auth0_guardian") {
				t.Errorf("%s: %s mentions guardian without a tenant: section", f, rel)
			}
		}
	}
}
