package simulate

import (
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mfapolicy/mfapolicy/simulate/engine"
)

// login is a post-login event for the MFA Rules and Actions of
// testdata/rules/mfa and testdata/actions/mfa.
type login struct {
	user     string
	enrolled []string // nil: no event.user.enrolledFactors
	// multifactor is event.user.multifactor as the event carries it (nil:
	// absent).
	multifactor []string
	ip          string
	client      string
	newDevice   string // NewDevice confidence
	travel      string // ImpossibleTravel confidence
	mfaDone     bool   // the session completed MFA
	acr         []string
	country     string
}

func (l login) json() string {
	user := map[string]any{"user_id": l.user, "email": l.user + "@example.com", "app_metadata": map[string]any{}}
	if l.enrolled != nil {
		fs := []map[string]string{}
		for _, f := range l.enrolled {
			fs = append(fs, map[string]string{"type": f})
		}
		user["enrolledFactors"] = fs
	}
	if l.multifactor != nil {
		user["multifactor"] = l.multifactor
	}
	methods := []map[string]string{{"name": "pwd", "timestamp": "2026-03-01T10:00:00.000Z"}}
	if l.mfaDone {
		methods = append(methods, map[string]string{"name": "mfa", "timestamp": "2026-03-01T10:00:05.000Z"})
	}
	assess := map[string]any{}
	if l.newDevice != "" {
		assess["NewDevice"] = map[string]string{"confidence": l.newDevice, "code": "x"}
	}
	if l.travel != "" {
		assess["ImpossibleTravel"] = map[string]string{"confidence": l.travel, "code": "x"}
	}
	ip, client, country := l.ip, l.client, l.country
	if ip == "" {
		ip = "198.51.100.7"
	}
	if client == "" {
		client = "portal"
	}
	if country == "" {
		country = "FR"
	}
	ev := map[string]any{
		"user":   user,
		"client": map[string]string{"client_id": client, "name": "Portal"},
		"request": map[string]any{"ip": ip, "geoip": map[string]any{
			"countryCode": country, "countryCode3": "FRA", "countryName": "France", "timeZone": "Europe/Paris"}},
		"authentication": map[string]any{"methods": methods, "riskAssessment": map[string]any{"confidence": "high", "version": "1", "assessments": assess}},
		"transaction":    map[string]any{"protocol": "oidc-basic-profile", "acr_values": l.acr},
		"connection":     map[string]string{"id": "con_1", "name": "Username-Password-Authentication", "strategy": "auth0"},
	}
	b, _ := json.Marshal(ev)
	return string(b)
}

func logins(ls ...login) []string {
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = l.json()
	}
	return out
}

func mfaRule(t *testing.T, name string, opts engine.BundleOptions) []byte {
	t.Helper()
	code, err := engine.BundleRule(filepath.Join("testdata", "rules", "mfa", name), opts)
	if err != nil {
		t.Fatalf("engine.BundleRule: %v", err)
	}
	return code
}

// assumption returns the count of the summary's assumption that starts
// with prefix.
func assumption(s *Summary, prefix string) int64 {
	for _, a := range s.Assumptions {
		if strings.HasPrefix(a.Name, prefix) {
			return a.Count
		}
	}
	return 0
}

// TestRuleMultifactorEnrollment: a Rule that asks unenrolled users to
// enroll sees user.multifactor derived from the enrolments, on events and
// on tenant log lines with the tenant's enrolments, and a value the event
// carries is kept.
func TestRuleMultifactorEnrollment(t *testing.T) {
	code := mfaRule(t, "enroll-everyone.js", engine.BundleOptions{})
	got, sum := replayCode(t, code, "enroll-everyone.js", Options{AssumeEnrolled: []string{}}, logins(
		login{user: "enrolled", enrolled: []string{"otp"}},
		login{user: "several", enrolled: []string{"push-notification", "phone", "recovery-code"}},
		login{user: "none", enrolled: []string{}},
		login{user: "assumed-none"},
		login{user: "carried", enrolled: []string{}, multifactor: []string{"guardian"}},
		login{user: "biometrics", enrolled: []string{"webauthn-platform"}},
	)...)
	checkDecisions(t, got, []want{
		{outcome: Allow},
		{outcome: Allow},
		{outcome: Enroll, factors: "otp,webauthn-platform,webauthn-roaming,recovery-code,phone,push-notification"},
		{outcome: Enroll, factors: "otp,webauthn-platform,webauthn-roaming,recovery-code,phone,push-notification"},
		{outcome: Allow},
		{outcome: Challenge, factors: "webauthn-platform"},
	})
	if n := assumption(sum, engine.MultifactorGuardianFact); n != 2 {
		t.Errorf("derived [guardian]: %d logins, want 2 (%+v)", n, sum.Assumptions)
	}
	if n := assumption(sum, engine.MultifactorNoneFact); n != 3 {
		t.Errorf("derived []: %d logins, want 3 (%+v)", n, sum.Assumptions)
	}
}

// tenantLog is a successful-login log record of a user, whose NewDevice
// assessment had low confidence.
func tenantLog(user, ip string) string {
	return `{"log_id":"l-` + user + `","data":{"date":"2026-03-01T10:00:00.000Z","type":"s","client_id":"portal","client_name":"Portal",` +
		`"connection":"Username-Password-Authentication","ip":"` + ip + `","user_id":"` + user + `","strategy":"auth0",` +
		`"details":{"riskAssessment":{"confidence":"low","version":"1","assessments":{"NewDevice":{"confidence":"low","code":"no_match"}}}}}}`
}

// TestMultifactorFromTenantLogs: log lines carry no enrolments; the tenant
// context's users fill enrolledFactors, and multifactor follows them, for
// an Action and a Rule alike.
func TestMultifactorFromTenantLogs(t *testing.T) {
	tenant := &Tenant{Name: "tenant.json", Users: map[string][]string{"auth0|on": {"otp"}, "auth0|off": {}}}
	lines := []string{tenantLog("auth0|on", "198.51.100.7"), tenantLog("auth0|off", "198.51.100.8")}
	enroll := []want{{outcome: Allow}, {outcome: Enroll, factors: "otp,webauthn-platform,webauthn-roaming,recovery-code,phone,push-notification"}}
	adaptive := []want{{outcome: Challenge, factors: "otp"}, {outcome: Allow}}
	for _, c := range []struct {
		name  string
		rule  bool
		wants []want
	}{
		{"require-enrollment.js", false, enroll},
		{"new-device.js", false, adaptive},
		{"enroll-everyone.js", true, enroll},
	} {
		var code []byte
		var err error
		if c.rule {
			code, err = engine.BundleRule(filepath.Join("testdata", "rules", "mfa", c.name), engine.BundleOptions{})
		} else {
			code, err = engine.BundleAction(filepath.Join("testdata", "actions", "mfa", c.name), engine.BundleOptions{})
		}
		if err != nil {
			t.Fatal(err)
		}
		got, sum := replayCode(t, code, c.name, Options{Tenant: tenant}, lines...)
		checkDecisions(t, got, c.wants)
		if assumption(sum, engine.MultifactorGuardianFact) != 1 || assumption(sum, engine.MultifactorNoneFact) != 1 {
			t.Errorf("%s: assumptions %+v", c.name, sum.Assumptions)
		}
	}
}

// TestMFAActionTemplates: Actions of the kinds Auth0 publishes as MFA
// templates decide as Auth0 would.
func TestMFAActionTemplates(t *testing.T) {
	acr := []string{"http://schemas.openid.net/pape/policies/2007/06/multi-factor"}
	cases := []struct {
		file   string
		logins []login
		wants  []want
	}{
		{"new-device.js", []login{
			{user: "a", enrolled: []string{"otp"}, newDevice: "low"},
			{user: "b", enrolled: []string{}, newDevice: "low"},
			{user: "c", enrolled: []string{"otp"}, newDevice: "high"},
			{user: "d", enrolled: []string{"email"}, newDevice: "low"},
		}, []want{{outcome: Challenge, factors: "otp"}, {outcome: Allow}, {outcome: Allow}, {outcome: Allow}}},
		{"require-enrollment.js", []login{
			{user: "a", enrolled: []string{"otp"}},
			{user: "b", enrolled: []string{}},
			{user: "c", enrolled: []string{"phone"}, multifactor: []string{}},
		}, []want{{outcome: Allow}, {outcome: Enroll, factors: "otp,webauthn-platform,webauthn-roaming,recovery-code,phone,push-notification"}, {outcome: Challenge, factors: "phone"}}},
		{"session-once.js", []login{
			{user: "a", enrolled: []string{"otp"}, mfaDone: true},
			{user: "b", enrolled: []string{"otp"}},
		}, []want{{outcome: Allow}, {outcome: Challenge, factors: "otp"}}},
		{"step-up.js", []login{
			{user: "a", enrolled: []string{"otp"}, acr: acr},
			{user: "b", enrolled: []string{"otp"}},
		}, []want{{outcome: Challenge, factors: "otp"}, {outcome: Allow}}},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			code, err := engine.BundleAction(filepath.Join("testdata", "actions", "mfa", c.file), engine.BundleOptions{})
			if err != nil {
				t.Fatal(err)
			}
			got, _ := replayCode(t, code, c.file, Options{}, logins(c.logins...)...)
			checkDecisions(t, got, c.wants)
		})
	}
}

// TestMFARules: Rules of the kinds of Auth0's MFA gallery decide as Auth0
// would, with configuration values and the Rules geoip shape.
func TestMFARules(t *testing.T) {
	travel := mfaRule(t, "travel-risk.js", engine.BundleOptions{})
	got, _ := replayCode(t, travel, "travel-risk.js", Options{}, logins(
		login{user: "a", enrolled: []string{"otp"}, travel: "low"},
		login{user: "b", enrolled: []string{"otp"}, travel: "medium"},
		login{user: "c", enrolled: []string{"otp"}, travel: "high"},
		login{user: "d", enrolled: []string{}, travel: "low"},
	)...)
	checkDecisions(t, got, []want{{outcome: Challenge, factors: "otp"}, {outcome: Challenge, factors: "otp"}, {outcome: Allow}, {outcome: Allow}})
	if a := got[0].Calls[0].Args; len(a) != 2 || string(a[1]) != `{"allowRememberBrowser":false}` {
		t.Errorf("travel-risk args %s", a)
	}

	once := mfaRule(t, "session-once.js", engine.BundleOptions{})
	got, _ = replayCode(t, once, "session-once.js", Options{}, logins(
		login{user: "a", enrolled: []string{"otp"}, mfaDone: true},
		login{user: "b", enrolled: []string{"otp"}},
	)...)
	checkDecisions(t, got, []want{{outcome: Allow}, {outcome: Challenge, factors: "otp"}})

	duo := mfaRule(t, "duo-for-clients.js", engine.BundleOptions{
		Secrets:       map[string]string{"DUO_CLIENTS": "overridden"},
		Configuration: map[string]string{"DUO_CLIENTS": "vpn,admin", "DUO_IKEY": "ik", "DUO_SKEY": "sk", "DUO_HOST": "api-1.duosecurity.com"},
	})
	got, _ = replayCode(t, duo, "duo-for-clients.js", Options{}, logins(
		login{user: "a", enrolled: []string{"otp"}, client: "vpn"},
		login{user: "b", enrolled: []string{"otp"}, client: "portal"},
	)...)
	checkDecisions(t, got, []want{{outcome: Challenge, note: `multifactor.enable("duo")`}, {outcome: Allow}})
	if a := got[0].Calls[0].Args; len(a) != 2 || string(a[0]) != `"duo"` ||
		string(a[1]) != `{"providerOptions":{"host":"api-1.duosecurity.com","ikey":"ik","skey":"sk"}}` {
		t.Errorf("duo args %s", a)
	}
	claim := got[1].Calls[0]
	if claim.Method != "idToken.setCustomClaim" || string(claim.Args[1]) != `"FR/FRA/Europe/Paris"` {
		t.Errorf("geoip claim %+v", claim)
	}
}

// npmInstall installs npm packages into dir/node_modules with npm, as a
// user beside their Action would.
func npmInstall(t *testing.T, dir string, pkgs ...string) {
	t.Helper()
	args := append([]string{"install", "--no-audit", "--no-fund", "--no-save", "--prefix", dir}, pkgs...)
	cmd := exec.Command("npm", args...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("npm %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// TestNPMModules: npm modules installed by npm are found through
// --node-modules (and beside the Action); a Rule names the version it
// requires, an Action the one it declares; axios requests go through
// the HTTP fixtures.
func TestNPMModules(t *testing.T) {
	mods := t.TempDir()
	npmInstall(t, mods, "ipaddr.js@2.2.0")
	nm := filepath.Join(mods, "node_modules")

	ipCases := []struct {
		name, file, kind string
		bundle           func(string, engine.BundleOptions) ([]byte, error)
		opts             engine.BundleOptions
		logins           []login
		wants            []want
	}{
		{"rule", filepath.Join("testdata", "rules", "mfa", "office-network.js"), "Rule", engine.BundleRule,
			engine.BundleOptions{NodeModules: nm, Configuration: map[string]string{"OFFICE_CIDR": "203.0.113.0/24"}},
			[]login{{user: "in", enrolled: []string{"otp"}, ip: "203.0.113.9"}, {user: "out", enrolled: []string{"otp"}, ip: "198.51.100.7"}, {user: "v6", enrolled: []string{"otp"}, ip: "2001:db8::1"}},
			[]want{{outcome: Allow}, {outcome: Challenge, note: `multifactor.enable("guardian")`}, {outcome: Challenge, note: `multifactor.enable("guardian")`}}},
		{"action", filepath.Join("testdata", "actions", "mfa", "outside-network.js"), "Action", engine.BundleAction,
			engine.BundleOptions{NodeModules: nm, Secrets: map[string]string{"CORP_NETWORK": "10.0.0.0/8"}},
			[]login{{user: "in", enrolled: []string{"otp"}, ip: "10.1.2.3"}, {user: "out", enrolled: []string{"otp"}, ip: "198.51.100.7"}},
			[]want{{outcome: Allow}, {outcome: Challenge, factors: "otp"}}},
	}
	for _, c := range ipCases {
		t.Run(c.name, func(t *testing.T) {
			_, err := c.bundle(c.file, engine.BundleOptions{})
			if err == nil || !strings.Contains(err.Error(), "run `npm install ipaddr.js@2.2.0` beside the "+c.kind) {
				t.Fatalf("without modules: %v", err)
			}
			code, err := c.bundle(c.file, c.opts)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := replayCode(t, code, filepath.Base(c.file), Options{}, logins(c.logins...)...)
			checkDecisions(t, got, c.wants)
		})
	}

	t.Run("axios", func(t *testing.T) {
		// Beside the Action, as npm install in its directory leaves it.
		dir := t.TempDir()
		npmInstall(t, dir, "axios@1.7.9")
		checkRiskAPI(t, dir, "risk-axios.js", `const axios = require('axios');
exports.onExecutePostLogin = async (event, api) => {
  try {
    const res = await axios.post('https://risk.example.com/v1/score', { user: event.user.user_id },
      { headers: { authorization: 'Bearer ' + event.secrets.RISK_KEY } });
    if (res.data.score > 50) api.multifactor.enable('any');
  } catch (e) {
    console.log('risk API: ' + e.message);
    api.access.deny('risk service unavailable');
  }
};
`, engine.BundleOptions{Secrets: map[string]string{"RISK_KEY": "k-123"}})
	})
}

// TestAuth0SDK: the auth0 SDK, installed by npm beside the Action, reads
// the user's enrolments from the Management API through the fixtures.
func TestAuth0SDK(t *testing.T) {
	dir := t.TempDir()
	npmInstall(t, dir, "auth0@4.10.0")
	writeFile(t, filepath.Join(dir, "mgmt.js"), `const { ManagementClient } = require('auth0');
exports.onExecutePostLogin = async (event, api) => {
  const mgmt = new ManagementClient({ domain: 'tenant.example.com', token: event.secrets.TOKEN });
  try {
    const { data } = await mgmt.users.getEnrollments({ id: event.user.user_id });
    if (data.length === 0) api.multifactor.enable('any');
  } catch (e) {
    console.log(e.name + ': ' + e.message);
    api.access.deny('Management API unavailable');
  }
};
`)
	writeFile(t, filepath.Join(dir, "fixtures.yaml"), `- match: {method: GET, url: "https://tenant.example.com/api/v2/users/enrolled/enrollments", headers: {authorization: Bearer t0k}}
  respond: {json: [{id: "dev_1", status: confirmed, type: pn}]}
- match: {method: GET, url: "https://tenant.example.com/api/v2/users/*/enrollments"}
  respond: {json: []}
`)
	code, fx := withFixtures(t, filepath.Join(dir, "mgmt.js"), filepath.Join(dir, "fixtures.yaml"), engine.BundleOptions{Secrets: map[string]string{"TOKEN": "t0k"}})
	lines := logins(login{user: "enrolled", enrolled: []string{"otp"}}, login{user: "new", enrolled: []string{"otp"}})
	got, _ := replayCode(t, code, "mgmt.js", Options{HTTP: fx}, lines...)
	checkDecisions(t, got, []want{{outcome: Allow}, {outcome: Challenge, factors: "otp"}})
	got, sum := replayCode(t, code, "mgmt.js", Options{}, lines...)
	checkDecisions(t, got, []want{{outcome: Deny, reason: "Management API unavailable"}, {outcome: Deny, reason: "Management API unavailable"}})
	if len(sum.NetworkRefused) != 1 || sum.NetworkRefused[0].Name != "tenant.example.com" || sum.NetworkRefused[0].Count < 2 {
		t.Errorf("refused: %+v", sum.NetworkRefused)
	}
}

// withFixtures bundles an Action and reads its HTTP fixtures.
func withFixtures(t *testing.T, action, fixtures string, opts engine.BundleOptions) ([]byte, *engine.HTTPFixtures) {
	t.Helper()
	code, err := engine.BundleAction(action, opts)
	if err != nil {
		t.Fatal(err)
	}
	fx, err := engine.ReadHTTPFixtures(fixtures)
	if err != nil {
		t.Fatal(err)
	}
	return code, fx
}

// riskFixtures answers the risk API of the risk-* Actions.
const riskFixtures = `# the risk API
- match: {method: POST, url: "https://risk.example.com/v1/score", headers: {authorization: Bearer k-123}, body: {user: risky}}
  respond: {json: {score: 90}}
- match: {method: POST, url: "https://risk.example.com/v1/*"}
  respond: {json: {score: 10}, delay: 250ms}
`

// checkRiskAPI bundles an Action that asks a risk API and checks it gets
// the fixtures' answers, and connection errors without them.
func checkRiskAPI(t *testing.T, dir, name, src string, opts engine.BundleOptions) {
	t.Helper()
	writeFile(t, filepath.Join(dir, name), src)
	writeFile(t, filepath.Join(dir, "http.yaml"), riskFixtures)
	code, fx := withFixtures(t, filepath.Join(dir, name), filepath.Join(dir, "http.yaml"), opts)
	lines := logins(login{user: "risky", enrolled: []string{"otp"}}, login{user: "calm", enrolled: []string{"otp"}})
	got, sum := replayCode(t, code, name, Options{HTTP: fx}, lines...)
	checkDecisions(t, got, []want{{outcome: Challenge, factors: "otp"}, {outcome: Allow}})
	if len(sum.NetworkRefused) != 0 {
		t.Errorf("refused with fixtures: %+v", sum.NetworkRefused)
	}
	got, sum = replayCode(t, code, name, Options{}, lines...)
	checkDecisions(t, got, []want{{outcome: Deny, reason: "risk service unavailable"}, {outcome: Deny, reason: "risk service unavailable"}})
	if len(sum.NetworkRefused) != 1 || sum.NetworkRefused[0] != (Count{Name: "risk.example.com", Count: 2}) {
		t.Errorf("refused without fixtures: %+v", sum.NetworkRefused)
	}
}

// TestFetchRiskAPI: the same risk API through fetch and through
// node:https.
func TestFetchRiskAPI(t *testing.T) {
	opts := engine.BundleOptions{Secrets: map[string]string{"RISK_KEY": "k-123"}}
	checkRiskAPI(t, t.TempDir(), "risk-fetch.mjs", `export const onExecutePostLogin = async (event, api) => {
  try {
    const res = await fetch('https://risk.example.com/v1/score', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: 'Bearer ' + event.secrets.RISK_KEY },
      body: JSON.stringify({ user: event.user.user_id }),
    });
    const { score } = await res.json();
    if (res.ok && score > 50) api.multifactor.enable('any');
  } catch (e) {
    api.access.deny('risk service unavailable');
  }
};
`, opts)
	checkRiskAPI(t, t.TempDir(), "risk-https.js", `const https = require('node:https');
function score(user, key) {
  return new Promise((resolve, reject) => {
    const req = https.request({ hostname: 'risk.example.com', port: 443, path: '/v1/score', method: 'POST',
      headers: { authorization: 'Bearer ' + key, 'content-type': 'application/json' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { body += c; });
      res.on('end', () => resolve(JSON.parse(body).score));
    });
    req.on('error', reject);
    req.end(JSON.stringify({ user }));
  });
}
exports.onExecutePostLogin = async (event, api) => {
  try {
    if (await score(event.user.user_id, event.secrets.RISK_KEY) > 50) api.multifactor.enable('any');
  } catch (e) {
    if (e.code !== 'ECONNREFUSED') throw e;
    api.access.deny('risk service unavailable');
  }
};
`, opts)
}
