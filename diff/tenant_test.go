package diff

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mfapolicy/mfapolicy/simulate/input"
	"github.com/mfapolicy/mfapolicy/tenant"
)

// The Markdown report and annotations of a change of the tenant: section
// alone on the example corpus: the next example policy with a section,
// then phone turned off (its rule abroad offers phone to travellers).
// -update rewrites them.
func TestGoldenTenantReport(t *testing.T) {
	ctx := context.Background()
	src, err := os.ReadFile("../examples/policy-v2.yaml")
	if err != nil {
		t.Fatal(err)
	}
	text := string(src) + "\ntenant:\n  factors: [otp, push-notification, webauthn-platform, webauthn-roaming, email, phone]\n  phone_message_types: [sms]\n  mfa_policy: never\n"
	dir := t.TempDir()
	sides := make([]*Side, 2)
	for i, s := range []string{text, strings.Replace(strings.Replace(text, "email, phone]", "email]", 1), "  phone_message_types: [sms]\n", "", 1)} {
		path := filepath.Join(dir, []string{"policy.yaml", "no-phone.yaml"}[i])
		if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		if sides[i], err = LoadSide(ctx, path, ""); err != nil {
			t.Fatal(err)
		}
		sides[i].Name, sides[i].File = filepath.Base(path), filepath.Base(path)
		sides[i].Policy.File = sides[i].File
	}
	f, err := os.Open("../examples/events.ndjson")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rep, err := Run(ctx, sides[0], sides[1], Options{MaxChange: -1, Timeout: testTimeout,
		Tenant: tenant.ForPolicy(sides[0].Policy, nil, nil), HeadTenant: tenant.ForPolicy(sides[1].Policy, nil, nil), SplitTenant: true,
		Inputs: []input.Input{input.ReaderInput("examples/events.ndjson", f)}})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Verdict.Pass || rep.Tenant == nil || len(rep.Tenant.LockedOut) != 1 {
		t.Fatalf("verdict %+v, tenant %+v", rep.Verdict, rep.Tenant)
	}
	var md, gh bytes.Buffer
	if err := RenderMarkdown(&md, rep.Redact([]byte("golden"))); err != nil {
		t.Fatal(err)
	}
	if err := RenderGitHub(&gh, rep.Redact([]byte("golden"))); err != nil {
		t.Fatal(err)
	}
	golden(t, "testdata/tenant.md", md.Bytes())
	golden(t, "testdata/tenant.github.txt", gh.Bytes())
}
