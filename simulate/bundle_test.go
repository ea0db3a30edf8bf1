package simulate

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mfapolicy/mfapolicy/simulate/engine"
	"github.com/mfapolicy/mfapolicy/simulate/input"
)

// replayCode replays NDJSON lines through bundled code and returns the
// decisions in order.
func replayCode(t *testing.T, code []byte, name string, opts Options, lines ...string) ([]Decision, *Summary) {
	t.Helper()
	opts.Code, opts.CodeName = code, name
	opts.Inputs = []input.Input{input.ReaderInput("events.ndjson", strings.NewReader(strings.Join(lines, "\n")))}
	if opts.Workers == 0 {
		opts.Workers = 2
	}
	var got []Decision
	opts.OnDecision = func(d Decision) error { got = append(got, d); return nil }
	sum, err := Run(context.Background(), opts)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return got, sum
}

func bundleAction(t *testing.T, dir, entry string, opts engine.BundleOptions) []byte {
	t.Helper()
	code, err := engine.BundleAction(filepath.Join("testdata", "actions", dir, entry), opts)
	if err != nil {
		t.Fatalf("engine.BundleAction: %v", err)
	}
	return code
}

// want is the expected decision of one event.
type want struct {
	outcome Outcome
	factors string
	reason  string
	err     string // a substring of the error
	note    string // a substring of one note
}

func checkDecisions(t *testing.T, got []Decision, wants []want) {
	t.Helper()
	if len(got) != len(wants) {
		t.Fatalf("got %d decisions, want %d", len(got), len(wants))
	}
	for i, w := range wants {
		d := got[i]
		ok := d.Outcome == w.outcome && strings.Join(d.Factors, ",") == w.factors && d.Reason == w.reason &&
			(w.err == "" && d.Error == "" || w.err != "" && strings.Contains(d.Error, w.err))
		if w.note != "" && !strings.Contains(strings.Join(d.Notes, "\n"), w.note) {
			ok = false
		}
		if !ok {
			b, _ := json.Marshal(d)
			t.Errorf("event %d: got %s\nwant %+v", i+1, b, w)
		}
	}
}

// event builds a post-login event: country, IP, risk confidence, and
// extra JSON members of event.user.
func event(country, ip, confidence, user string) string {
	s := `{"request":{"ip":"` + ip + `","user_agent":"Mozilla/5.0","geoip":{"countryCode":"` + country + `","countryName":"C-` + country + `","cityName":"Town"}},` +
		`"client":{"client_id":"cid","name":"Portal"},"connection":{"id":"con_1","name":"Username-Password-Authentication","strategy":"auth0"},` +
		`"stats":{"logins_count":7},"transaction":{"protocol":"oidc-basic-profile"},`
	if confidence != "" {
		s += `"authentication":{"methods":[{"name":"pwd","timestamp":"2026-01-01T00:00:00Z"}],"riskAssessment":{"confidence":"` + confidence + `","version":"1","assessments":{}}},`
	}
	if user == "" {
		user = `"user_id":"auth0|1","email":"a@example.com","app_metadata":{}`
	}
	return s + `"user":{` + user + `,"enrolledFactors":[{"type":"otp"},{"type":"push-notification"}]}}`
}

func TestBundleCommonJSHelpers(t *testing.T) {
	code := bundleAction(t, "multi-cjs", "action.js", engine.BundleOptions{})
	got, _ := replayCode(t, code, "action.js", Options{},
		event("US", "203.0.113.9", "low", ""), // office network
		event("DE", "192.0.2.1", "high", ""),  // abroad
		event("US", "192.0.2.1", "low", ""),   // low confidence at home
		event("US", "192.0.2.1", "high", ""),  // nothing to do
		event("FR", "not-an-ip", "high", ""),  // helper throws
		event("FR", "192.0.2.1", "high", `"user_id":"auth0|glass","app_metadata":{"break_glass":"de95244e89fd57b5c88e39c59f008b7707ddb9ab2d0d3b974cf57bd9609651fc"}`),
	)
	checkDecisions(t, got, []want{
		{outcome: Allow},
		{outcome: Challenge, factors: "otp,push-notification"},
		{outcome: Challenge, factors: "otp", note: "webauthn-platform (not enrolled)"},
		{outcome: Allow},
		{outcome: Error, err: "Error: not an IPv4 address: not-an-ip (at lib/networks.js:7:11)"},
		{outcome: Allow},
	})
	if c := strings.Join(got[5].Console, "|"); c != "break-glass account auth0|glass" {
		t.Errorf("console = %q", c)
	}
	if claim := string(got[0].Calls[0].Args[1]); len(claim) != 14 {
		t.Errorf("device claim = %s, want 12 hex digits", claim)
	}
}

func TestBundleTypeScriptModule(t *testing.T) {
	code := bundleAction(t, "ts-esm", "action.ts", engine.BundleOptions{Secrets: map[string]string{"DENY_MESSAGE": "Region blocked"}})
	got, _ := replayCode(t, code, "action.ts", Options{Workers: 1},
		event("US", "192.0.2.1", "high", ""),
		event("KP", "192.0.2.1", "high", ""),
		event("US", "192.0.2.1", "low", ""),
		event("GB", "192.0.2.1", "high", `"user_id":"auth0|vip","app_metadata":{"vip":true}`),
		event("FR", "192.0.2.1", "", ""),
	)
	checkDecisions(t, got, []want{
		{outcome: Allow},
		{outcome: Deny, reason: "Region blocked"},
		{outcome: Challenge, factors: "otp", note: "webauthn-platform (not enrolled)"},
		{outcome: Challenge, factors: "otp", note: "webauthn-platform (not enrolled)"},
		{outcome: Challenge, factors: "otp", note: "webauthn-platform (not enrolled)"},
	})
	// Module state lives as long as the runtime, as in Node: the scorer
	// counts every login of this worker.
	if c := got[4].Console; len(c) != 1 || c[0] != "auth0|1 scored 5: StepUp" {
		t.Errorf("console = %q", c)
	}
}

func TestBundleESModuleWithSecrets(t *testing.T) {
	code := bundleAction(t, "esm-mjs", "action.mjs", engine.BundleOptions{Secrets: map[string]string{"DEVICE_KEY": "k3y"}})
	trusted := `"user_id":"auth0|dev","app_metadata":{"device_mac":"v9Y1MXuiQ9dKgnt3dp1Q5wyLFkgxpE5ShV0dyLKgQgk"}`
	withQuery := func(uri string) string {
		return strings.Replace(event("US", "192.0.2.1", "", trusted), `"user_agent"`, `"query":{"redirect_uri":"`+uri+`"},"user_agent"`, 1)
	}
	got, _ := replayCode(t, code, "action.mjs", Options{},
		event("US", "192.0.2.1", "", trusted),
		event("US", "192.0.2.1", "", `"user_id":"auth0|dev","app_metadata":{"device_mac":"AAAA"}`),
		withQuery("https://app.example.com/cb?x=1"),
		withQuery("https://pr-7.preview.example.com/cb"),
		withQuery("https://evil.example.net/cb"),
		withQuery("not a url"),
	)
	checkDecisions(t, got, []want{
		{outcome: Allow},
		{outcome: Challenge, factors: "otp", note: "email (not enrolled)"},
		{outcome: Allow},
		{outcome: Allow},
		{outcome: Deny, reason: "redirect_uri host evil.example.net is not allowed"},
		{outcome: Error, err: "TypeError: Invalid URL: not a url (at action.mjs:16:39)"},
	})

	// Without the secret the Action throws, as it would in Auth0.
	code = bundleAction(t, "esm-mjs", "action.mjs", engine.BundleOptions{Secrets: map[string]string{}})
	got, _ = replayCode(t, code, "action.mjs", Options{}, event("US", "192.0.2.1", "", trusted))
	checkDecisions(t, got, []want{{outcome: Error, err: "Error: DEVICE_KEY secret is missing (at action.mjs:10:19)"}})
}

func TestBundleHostileAction(t *testing.T) {
	code := bundleAction(t, "hostile", "action.js", engine.BundleOptions{})
	mode := func(m string) string {
		return event("US", "192.0.2.1", "", `"user_id":"u","app_metadata":{"mode":"`+m+`"}`)
	}
	got, sum := replayCode(t, code, "action.js", Options{Workers: 2, Timeout: 200 * time.Millisecond},
		mode("loop"), mode("ok"), mode("reject"), mode("pending"), mode("spin-async"), mode("ok"), mode("ok"))
	checkDecisions(t, got, []want{
		{outcome: Error, err: "the Action did not finish within 200ms"},
		{outcome: Challenge, factors: "otp,push-notification"},
		{outcome: Error, err: "TypeError: upstream said no (at misbehave.js:12:29)"},
		{outcome: Error, err: "promise never settled"},
		{outcome: Error, err: "the Action did not finish within 200ms"},
		// A runtime interrupted inside an async function is replaced, so
		// the logins after it settle.
		{outcome: Challenge, factors: "otp,push-notification"},
		{outcome: Challenge, factors: "otp,push-notification"},
	})
	if sum.TimedOut != 2 {
		t.Errorf("timed out = %d, want 2", sum.TimedOut)
	}
}

func TestBundleMemoryBomb(t *testing.T) {
	defer engine.SetMemoryLimit(engine.SetMemoryLimit(64 << 20))
	code := bundleAction(t, "hostile", "action.js", engine.BundleOptions{})
	mode := func(m string) string {
		return event("US", "192.0.2.1", "", `"user_id":"u","app_metadata":{"mode":"`+m+`"}`)
	}
	got, sum := replayCode(t, code, "action.js", Options{Workers: 2, Timeout: 5 * time.Second},
		mode("memory"), mode("ok"), mode("memory"), mode("ok"))
	checkDecisions(t, got, []want{
		{outcome: Error, err: "the Action used too much memory: the simulator's heap grew by more than 64 MiB while it ran"},
		{outcome: Challenge, factors: "otp,push-notification"},
		{outcome: Error, err: "the Action used too much memory"},
		{outcome: Challenge, factors: "otp,push-notification"},
	})
	if sum.TimedOut != 0 {
		t.Errorf("timed out = %d, want 0", sum.TimedOut)
	}
}

func writeFile(t *testing.T, name, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// runErr runs code on one empty event and returns Run's error.
func runErr(code []byte) (*Summary, error) {
	return Run(context.Background(), Options{Code: code, CodeName: "x.js", Workers: 1,
		Inputs: []input.Input{input.ReaderInput("e.ndjson", strings.NewReader("{}"))}})
}

// TestBundleErrors checks what the simulator refuses at bundle time, and
// that every message names the file, the position and what to do.
func TestBundleErrors(t *testing.T) {
	cases := []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"npm", map[string]string{"a/action.js": "const axios = require('axios');\nexports.onExecutePostLogin = async () => {};"},
			"a/action.js:1:23: npm module \"axios\" is not installed: run `npm install axios` beside the Action or pass --node-modules DIR; the Action declares no version for it"},
		{"declared npm", map[string]string{"a/action.js": "const ip = require('ipaddr.js');\nexports.onExecutePostLogin = async () => {};",
			"a/action.json": `{"name": "ip", "dependencies": [{"name": "ipaddr.js", "version": "2.2.0"}]}`},
			"a/action.js:1:20: npm module \"ipaddr.js\" is not installed: run `npm install ipaddr.js@2.2.0` beside the Action or pass --node-modules DIR"},
		{"deploy-cli npm", map[string]string{"t/actions/ip/action.js": "const ip = require('ipaddr.js');\nexports.onExecutePostLogin = async () => {};",
			"t/tenant.yaml": "actions:\n  - name: ip\n    code: ./actions/ip/action.js\n    dependencies:\n      - name: ipaddr.js\n        version: 1.9.1\n"},
			"npm install ipaddr.js@1.9.1"},
		{"terraform npm", map[string]string{"a/action.js": "const ip = require('ipaddr.js');\nexports.onExecutePostLogin = async () => {};",
			"a/main.tf": "resource \"auth0_action\" \"ip\" {\n  dependencies {\n    name    = \"ipaddr.js\"\n    version = \"2.1.0\"\n  }\n}\n"},
			"npm install ipaddr.js@2.1.0"},
		{"scoped npm", map[string]string{"a/action.mjs": "import { x } from '@acme/risk/client';\nexport const onExecutePostLogin = () => x;"},
			"a/action.mjs:1:19: npm module \"@acme/risk\" is not installed: run `npm install @acme/risk`"},
		{"fs", map[string]string{"a/action.js": "const fs = require('fs');\nexports.onExecutePostLogin = () => fs.readFileSync('/etc/passwd');"},
			`a/action.js:1:20: Node.js module "fs" is not supported in simulation: an Action gets no filesystem access in simulation`},
		{"node:net in a helper", map[string]string{
			"a/action.js":  "const { get } = require('./lib/tcp');\nexports.onExecutePostLogin = () => get();",
			"a/lib/tcp.ts": "import net from 'node:net';\nexport const get = () => net.connect(80, 'x');"},
			`a/lib/tcp.ts:1:17: Node.js module "net" is not supported in simulation: an Action gets no network access`},
		{"child_process", map[string]string{"a/action.js": "require('child_process').execSync('id');"},
			`Node.js module "child_process" is not supported in simulation: an Action gets no access to the host`},
		{"outside", map[string]string{"a/action.js": "require('../secret.js');", "secret.js": "module.exports = 1;"},
			`a/action.js:1:9: cannot import "../secret.js": it is outside the Action's directory`},
		{"absolute", map[string]string{"a/action.js": "require('/etc/hosts');"},
			`a/action.js:1:9: cannot import "/etc/hosts": an Action imports its files by relative path`},
		{"missing", map[string]string{"a/action.js": "require('./nope');"},
			`a/action.js:1:9: cannot find "./nope" next to action.js`},
		{"syntax", map[string]string{"a/action.ts": "export const onExecutePostLogin = (event: any => {};"},
			`a/action.ts:1:`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			var entry string
			for name, content := range c.files {
				writeFile(t, filepath.Join(dir, name), content)
				if strings.HasPrefix(filepath.Base(name), "action.") && filepath.Ext(name) != ".json" {
					entry = filepath.Join(dir, name)
				}
			}
			_, err := engine.BundleAction(entry, engine.BundleOptions{})
			if err == nil {
				t.Fatal("no error")
			}
			msg := strings.ReplaceAll(err.Error(), dir+string(filepath.Separator), "")
			if !strings.Contains(msg, c.want) {
				t.Errorf("error:\n%s\nwant it to contain:\n%s", msg, c.want)
			}
		})
	}
}

// TestBundleVendored: a package vendored in node_modules inside the
// Action's directory is bundled like any relative file.
func TestBundleVendored(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "node_modules/tiny-geo/package.json"), `{"name":"tiny-geo","main":"lib/index.js"}`)
	writeFile(t, filepath.Join(dir, "node_modules/tiny-geo/lib/index.js"), `exports.isEU = (c) => ['DE', 'FR'].includes(c);`)
	writeFile(t, filepath.Join(dir, "action.js"), `const { isEU } = require('tiny-geo');
const { URL } = require('url');
exports.onExecutePostLogin = (event, api) => {
  if (isEU(event.request.geoip.countryCode)) api.multifactor.enable('any');
  api.idToken.setCustomClaim('https://x/host', new URL('https://Example.COM:443/a?b=1').host);
  api.idToken.setCustomClaim('https://x/b64', Buffer.from('héllo').toString('base64'));
  api.idToken.setCustomClaim('https://x/uuid', require('crypto').randomUUID().length);
};`)
	code, err := engine.BundleAction(filepath.Join(dir, "action.js"), engine.BundleOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := replayCode(t, code, "action.js", Options{}, event("DE", "192.0.2.1", "", ""), event("US", "192.0.2.1", "", ""))
	checkDecisions(t, got, []want{{outcome: Challenge, factors: "otp,push-notification"}, {outcome: Allow}})
	var args []string
	for _, c := range got[1].Calls {
		args = append(args, string(c.Args[1]))
	}
	if strings.Join(args, " ") != `"example.com" "aMOpbGxv" 36` {
		t.Errorf("claims = %v", args)
	}
}

// TestBundleProcess: process is not the host's.
func TestBundleProcess(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "action.js"), "exports.onExecutePostLogin = () => { if (process.env.DEBUG) throw 1; };")
	code, err := engine.BundleAction(filepath.Join(dir, "action.js"), engine.BundleOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := replayCode(t, code, "action.js", Options{}, "{}")
	checkDecisions(t, got, []want{{outcome: Error, err: "Error: process.env is not supported in simulation: an Action gets no access to the host; read configuration from event.secrets (at action.js:1:"}})
}
