package simulate

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mfapolicy/mfapolicy/internal/eventgen"
	"github.com/mfapolicy/mfapolicy/simulate/engine"
	"github.com/mfapolicy/mfapolicy/simulate/input"
)

// planText prints a plan with its keys sorted: * for a value built whole.
func planText(p *engine.ReadPlan) string {
	if p == nil {
		return "nil"
	}
	if p.Whole {
		return "*"
	}
	keys := make([]string, 0, len(p.Keys))
	for k := range p.Keys {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b strings.Builder
	b.WriteString("{")
	for i, k := range keys {
		if i > 0 {
			b.WriteString(" ")
		}
		b.WriteString(k + ":" + planText(p.Keys[k]))
	}
	b.WriteString("}")
	return b.String()
}

func TestHandlerPlanPaths(t *testing.T) {
	tests := []struct{ src, want string }{
		// Fixed paths: the value read is built whole, the objects on the
		// way only with the members named.
		{`async (event, api) => { if (event.request.geoip.countryCode === 'KP') api.access.deny('x'); }`,
			`{request:{geoip:{countryCode:{}}}}`},
		{`function (e, api) { return e?.user?.["app_metadata"]?.plan; }`, `{user:{app_metadata:{plan:*}}}`},
		{`async onExecutePostLogin(event, api) { console.log(event.user.email); }`, `{user:{email:*}}`},
		// Tests observe truthiness, type or identity: the object is built
		// with the members other paths name, here none.
		{`(event) => { if (event.user && typeof event.request === 'object' && event.client !== null && event.session == null && !event.stats) return 1; }`,
			`{client:{} request:{} session:{} stats:{} user:{}}`},
		// A constant that stands for a path (possibly absent) is the path.
		{`(event) => { const g = (event.request && event.request.geoip) || {}; return g.countryCode; }`,
			`{request:{geoip:{countryCode:*}}}`},
		{`(event) => { const a = event.authentication ?? {}; const r = a.riskAssessment || {}; return r.confidence === 'low' && r.assessments.NewDevice; }`,
			`{authentication:{riskAssessment:{assessments:{NewDevice:*} confidence:{}}}}`},
		{`(event) => { const roles = event.authorization?.roles || []; return roles.includes('admin'); }`,
			`{authorization:{roles:*}}`},
		{`(event) => { function f() { return u.email; } const u = event.user || {}; return f(); }`, `{user:{email:*}}`},
		// ... unless it is handed out, declared twice, not a constant, or
		// may hold something else.
		{`(event) => { const u = event.user || {}; return u; }`, `{user:*}`},
		{`(event) => { const u = event.user || {}; return g(u.email); }`, `{user:{email:*}}`},
		{`(event) => { if (x) { const u = event.user; return u.a; } else { const u = event.client; return u.b; } }`, `{client:* user:*}`},
		{`(event) => { let u = event.user || {}; return u.email; }`, `{user:*}`},
		{`(event) => { const u = event.user || other; return u.email; }`, `{user:*}`},
		{`(event) => { return event.user ? event.user.email : event.client.name; }`, `{client:{name:*} user:{email:*}}`},
		// A value handed out, compared loosely with a value, or defaulted
		// with || is built whole.
		{`(event) => { if (event.user == 'x') return 1; }`, `{user:*}`},
		{`(event) => { for (const k in event.user.app_metadata) console.log(k); }`, `{user:{app_metadata:*}}`},
		{`(event) => 'x' in event.user`, `{user:*}`},
		{`(event) => event.user[key]`, `{user:*}`},
		// A method called on a path gets the object before it as this.
		{`(event) => event.user.app_metadata.hasOwnProperty('plan')`, `{user:{app_metadata:*}}`},
		{`(event) => event.authorization.roles.includes('admin')`, `{authorization:{roles:*}}`},
		// The event itself, anywhere but before a member or in a test.
		{`(event) => check(event)`, `nil`},
		{`(event) => ({...event})`, `nil`},
		{`(event) => { const {user} = event; return user; }`, `nil`},
		{`({user}, api) => user.email`, `nil`},
		{`(event) => event.hasOwnProperty('user')`, `nil`},
		{`(event) => ({event})`, `nil`},
		{`(event) => { const f = (event) => event.user; return f(1); }`, `nil`},
		{`function (event) { return arguments[0].user; }`, `nil`},
		{`function (event) { return eval('event.user'); }`, `nil`},
		{`function (event) { with (event) { return user; } }`, `nil`},
		{`(event) => event[name]`, `nil`},
		{`(event) => JSON.stringify(event)`, `nil`},
		// Tests of the event itself reveal nothing; other names are free.
		{`(event) => { if (!event || typeof event !== 'object') return; const x = other.event; return x; }`, `{}`},
		// Not a function: the whole event.
		{`class A {}`, `nil`},
		{`function () { [native code] }`, `nil`},
	}
	for _, tt := range tests {
		if got := planText(engine.HandlerPlan([]string{tt.src}, nil)); got != tt.want {
			t.Errorf("%s\n got %s\nwant %s", tt.src, got, tt.want)
		}
	}
	// The simulator's own reads are added; a leaf covers the tests below it.
	got := planText(engine.HandlerPlan([]string{`(event) => event.user && event.user.email`}, []string{"user.enrolledFactors", "request.query"}))
	if want := `{request:{query:*} user:{email:* enrolledFactors:*}}`; got != want {
		t.Errorf("with extra paths\n got %s\nwant %s", got, want)
	}
}

// handlerActions read the event in every way the plan distinguishes; each
// reports what it saw in custom claims.
var handlerActions = map[string]string{
	"paths.js": `exports.onExecutePostLogin = async (event, api) => {
  const geo = (event.request && event.request.geoip) || {};
  if (event.user && event.user.app_metadata && event.user.app_metadata.hasOwnProperty('plan')) api.idToken.setCustomClaim('plan', event.user.app_metadata.plan);
  api.idToken.setCustomClaim('geo', JSON.stringify(geo));
  api.idToken.setCustomClaim('methods', typeof event.authentication === 'object' && event.authentication !== null ? JSON.stringify(event.authentication.methods) : 'none');
  api.idToken.setCustomClaim('mf', JSON.stringify([event.user?.multifactor, event.user?.enrolledFactors]));
  if (event.stats == null) api.idToken.setCustomClaim('stats', 'none');
  if (geo.countryCode && geo.countryCode !== 'US') api.authentication.challengeWith({ type: 'otp' });
};
`,
	"alias.js": `exports.onExecutePostLogin = async (event, api) => {
  const geo = (event.request && event.request.geoip) || {};
  const risk = (event.authentication && event.authentication.riskAssessment) || {};
  const roles = (event.authorization && event.authorization.roles) || [];
  const meta = (event.user && event.user.app_metadata) || {};
  api.idToken.setCustomClaim('seen', [geo.countryCode, geo.length, risk.confidence, risk.assessments && risk.assessments.NewDevice && risk.assessments.NewDevice.code, roles.length, meta.plan].join('|'));
  if (roles.includes('admin') || risk.confidence === 'low') api.authentication.challengeWith({ type: 'otp' });
};
`,
	"whole.js": `function keys(o) { return o && typeof o === 'object' ? Object.keys(o).join(',') : String(o); }
exports.onExecutePostLogin = async (event, api) => {
  api.idToken.setCustomClaim('keys', keys(event) + '|' + keys(event.user) + '|' + keys(event.request));
};
`,
	// From its third login on, a getter on Object.prototype shows the
	// members of whatever object a read of a missing geoip meets.
	"accessor.js": `let n = 0;
exports.onExecutePostLogin = async (event, api) => {
  if (++n === 3) Object.defineProperty(Object.prototype, 'geoip', { get() { return Object.keys(this).join(','); }, configurable: true });
  api.idToken.setCustomClaim('seen', event.request && typeof event.request === 'object' ? String(event.request.geoip) : 'none');
};
`,
}

// bundledHandlerActions bundles each of handlerActions.
func bundledHandlerActions(t *testing.T) map[string][]byte {
	t.Helper()
	dir := t.TempDir()
	out := map[string][]byte{}
	for name, src := range handlerActions {
		file := filepath.Join(dir, name)
		if err := os.WriteFile(file, []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
		code, err := engine.BundleAction(file, engine.BundleOptions{})
		if err != nil {
			t.Fatal(err)
		}
		out[name] = code
	}
	return out
}

// Events built after a handler plan give the Action exactly what whole
// events give it, on generated events and on odd ones.
func TestHandlerPlanReplaysAsWhole(t *testing.T) {
	var corpus bytes.Buffer
	if err := eventgen.WriteCorpus(&corpus, eventgen.Events, 400, 7); err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, l := range strings.Split(strings.TrimSpace(corpus.String()), "\n") {
		if json.Valid([]byte(l)) && strings.HasPrefix(l, "{") {
			lines = append(lines, l)
		}
	}
	lines = append(lines,
		`{}`,
		`{"request":null,"user":"u"}`,
		`{"request":{"ip":"1.2.3.4"},"user":{"app_metadata":{"plan":"a","plan":"b"}}}`,
		`{"request":{"geoip":[1,2]},"user":{"app_metadata":null,"multifactor":["duo"]}}`,
		`{"request":{"geoip":"FR"},"user":{"app_metadata":{"plan":{"x":1}}},"authentication":{"riskAssessment":{"assessments":{"NewDevice":{"code":["a"]}}}},"authorization":{"roles":"admin"}}`,
		`{"request":{"geoip":{"countryCode":"DE","length":3}},"authentication":0,"authorization":{"roles":["admin"]}}`,
		`{"request":{"__proto__":{"geoip":{"countryCode":"FR"}},"geoip":{"countryCode":"DE"}},"stats":0}`,
		`{"authentication":{"methods":[{"name":"pwd"}],"riskAssessment":{"confidence":"low"}},"user":{"enrolledFactors":[{"type":"otp"}]}}`,
	)
	for name, code := range bundledHandlerActions(t) {
		planned, _ := replayCode(t, code, name, Options{Workers: 1}, lines...)
		whole, _ := replayCode(t, code, name, Options{Workers: 1, builder: engine.BuildWithJSONParse}, lines...)
		if len(planned) != len(whole) {
			t.Fatalf("%s: %d decisions planned, %d whole", name, len(planned), len(whole))
		}
		for i := range planned {
			a, _ := json.Marshal(planned[i])
			b, _ := json.Marshal(whole[i])
			if !bytes.Equal(a, b) {
				t.Errorf("%s, event %d %s:\nplanned %s\nwhole   %s", name, i, lines[i], a, b)
				break
			}
		}
	}
}

// The plan is made for hand-written Actions, and the watch turns it off
// for the rest of the run when an accessor appears.
func TestHandlerPlanInUse(t *testing.T) {
	plans := map[string]string{}
	for name, code := range bundledHandlerActions(t) {
		p, err := CompileAction(name, code)
		if err != nil {
			t.Fatal(err)
		}
		r, err := NewRunner(p, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		plans[name] = planText(r.dec.Plan)
		// Only accessor.js never reaches event.user: its user is left
		// out, and multifactor derived in Go, but the watch still
		// looks for the names the glue reads.
		if r.UserUnread != (name == "accessor.js") {
			t.Errorf("%s: userUnread %v", name, r.UserUnread)
		}
		if name == "accessor.js" {
			if w := planText(r.watchPlan); w != `{request:{body:* geoip:* query:*} secrets:* transaction:{protocol:*} user:{enrolledFactors:* multifactor:*}}` {
				t.Errorf("accessor.js: watch plan %s", w)
			}
		}
		// Only accessor.js names a way to reach Object.prototype.
		if r.watched != (name == "accessor.js") {
			t.Errorf("%s: watched %v", name, r.watched)
		}
		if name == "accessor.js" {
			for i := 0; i < 3; i++ {
				r.Exec([]byte(`{"request":{"ip":"1.2.3.4"}}`), nil, input.MultifactorKept, time.Time{})
			}
			if r.dec.Plan != nil || r.watchPlan != nil || !r.dec.Define {
				t.Errorf("accessor.js: after the getter was defined, plan %s, define %v", planText(r.dec.Plan), r.dec.Define)
			}
		}
	}
	want := map[string]string{
		"paths.js":    `{authentication:{methods:*} request:{body:* geoip:* query:*} secrets:* stats:{} transaction:{protocol:*} user:{app_metadata:* enrolledFactors:* multifactor:*}}`,
		"whole.js":    `nil`,
		"alias.js":    `{authentication:{riskAssessment:{assessments:{NewDevice:{code:*}} confidence:*}} authorization:{roles:*} request:{body:* geoip:{countryCode:* length:*} query:*} secrets:* transaction:{protocol:*} user:{app_metadata:{plan:*} enrolledFactors:* multifactor:*}}`,
		"accessor.js": `{request:{body:* geoip:* query:*} secrets:* transaction:{protocol:*}}`,
	}
	for name, w := range want {
		if plans[name] != w {
			t.Errorf("%s: plan %s, want %s", name, plans[name], w)
		}
	}
}

// An Action that never reaches event.user gets no user built: the
// simulator derives event.user.multifactor in Go, and the summary's
// assumptions (the derived lists, the assumed enrolments) are those of
// whole events, where the glue derives it in goja, whatever the user's
// shape, with assumed enrolments and with none.
func TestHandlerPlanUserUnread(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "geo.js")
	src := `exports.onExecutePostLogin = async (event, api) => {
  const geo = (event.request && event.request.geoip) || {};
  if (geo.countryCode === 'KP') api.access.deny('region');
  else if (geo.countryCode !== 'US') api.authentication.challengeWith({ type: 'otp' });
};
`
	if err := os.WriteFile(file, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	code, err := engine.BundleAction(file, engine.BundleOptions{})
	if err != nil {
		t.Fatal(err)
	}
	lines := []string{
		`{"request":{"geoip":{"countryCode":"US"}},"user":{"enrolledFactors":[{"type":"otp"}]}}`,
		`{"request":{"geoip":{"countryCode":"FR"}},"user":{"enrolledFactors":[{"type":"email"},{"type":"webauthn-platform"}]}}`,
		`{"request":{"geoip":{"countryCode":"FR"}},"user":{"enrolledFactors":[]}}`,
		`{"request":{"geoip":{"countryCode":"KP"}},"user":{"enrolledFactors":[[1],null,"x"]}}`,
		`{"request":{"geoip":{"countryCode":"DE"}},"user":{"multifactor":["duo"],"enrolledFactors":[{"type":"otp"}]}}`,
		`{"request":{"geoip":{"countryCode":"DE"}},"user":{"multifactor":null}}`,
		`{"request":{"geoip":{"countryCode":"DE"}},"user":{"user_id":"a"}}`,
		`{"request":{"geoip":{"countryCode":"DE"}},"user":{"enrolledFactors":null}}`,
		`{"request":{"geoip":{"countryCode":"DE"}},"user":{"enrolledFactors":{"type":"otp"}}}`,
		`{"request":{"geoip":{"countryCode":"DE"}},"user":"u"}`,
		`{"request":{"geoip":{"countryCode":"DE"}},"user":null}`,
		`{"request":{"geoip":{"countryCode":"DE"}}}`,
		`{"user":{"enrolledFactors":[{"type":"otp","type":"email"}]}}`,
	}
	for _, assumed := range [][]string{nil, {}, {"otp"}, {"email"}} {
		opts := Options{Workers: 1, AssumeEnrolled: assumed}
		planned, ps := replayCode(t, code, "geo.js", opts, lines...)
		opts.builder = engine.BuildWithJSONParse
		whole, ws := replayCode(t, code, "geo.js", opts, lines...)
		if len(planned) != len(lines) || len(whole) != len(lines) {
			t.Fatalf("assumed %v: %d decisions planned, %d whole", assumed, len(planned), len(whole))
		}
		for i := range planned {
			if !reflect.DeepEqual(planned[i].sandbox, whole[i].sandbox) || planned[i].Outcome != whole[i].Outcome {
				t.Errorf("assumed %v, %s:\nplanned %s %+v\nwhole   %s %+v", assumed, lines[i], planned[i].Outcome, planned[i].sandbox, whole[i].Outcome, whole[i].sandbox)
			}
		}
		a, _ := json.Marshal(ps)
		b, _ := json.Marshal(ws)
		if !bytes.Equal(a, b) {
			t.Errorf("assumed %v: summaries differ:\nplanned %s\nwhole   %s", assumed, a, b)
		}
		if !bytes.Contains(a, []byte("derived from the enrolled factors")) {
			t.Errorf("assumed %v: no derived event.user.multifactor counted: %s", assumed, a)
		}
	}
}
