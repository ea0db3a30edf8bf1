package engine

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// planText prints a plan with its keys sorted: * for a value built whole.
func planText(p *ReadPlan) string {
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
		if got := planText(HandlerPlan([]string{tt.src}, nil)); got != tt.want {
			t.Errorf("%s\n got %s\nwant %s", tt.src, got, tt.want)
		}
	}
	// The simulator's own reads are added; a leaf covers the tests below it.
	got := planText(HandlerPlan([]string{`(event) => event.user && event.user.email`}, []string{"user.enrolledFactors", "request.query"}))
	if want := `{request:{query:*} user:{email:* enrolledFactors:*}}`; got != want {
		t.Errorf("with extra paths\n got %s\nwant %s", got, want)
	}
}

// bundledHandlerActions bundles each Action of testdata/handler, which
// read the event in every way the plan distinguishes and report what they
// saw in custom claims. From its third login on, accessor.js defines a
// getter on Object.prototype that shows the members of whatever object a
// read of a missing geoip meets.
func bundledHandlerActions(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.js"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no Actions in %s: %v", dir, err)
	}
	out := map[string][]byte{}
	for _, file := range files {
		code, err := BundleAction(file, BundleOptions{})
		if err != nil {
			t.Fatal(err)
		}
		out[filepath.Base(file)] = code
	}
	return out
}

// The plan is made for hand-written Actions, and the watch turns it off
// for the rest of the run when an accessor appears.
func TestHandlerPlanInUse(t *testing.T) {
	plans := map[string]string{}
	for name, code := range bundledHandlerActions(t, "testdata/handler") {
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
				r.Exec([]byte(`{"request":{"ip":"1.2.3.4"}}`), nil, MultifactorKept, time.Time{})
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
