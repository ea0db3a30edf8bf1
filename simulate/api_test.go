package simulate

import (
	"context"
	"strings"
	"testing"

	"github.com/mfapolicy/mfapolicy/simulate/input"
)

// runCode replays one event through inline Action code.
func runCode(t *testing.T, code, event string, opts Options) Decision {
	t.Helper()
	opts.Code = []byte(code)
	opts.Inputs = []input.Input{input.ReaderInput("e", strings.NewReader(event))}
	var got []Decision
	opts.OnDecision = func(d Decision) error { got = append(got, d); return nil }
	if _, err := Run(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 {
		t.Fatalf("%d decisions", len(got))
	}
	return got[0]
}

func TestAPIValidation(t *testing.T) {
	cases := []struct {
		name, code string
		outcome    Outcome
		note       string
	}{
		{"unknown factor", `api.authentication.challengeWith({type: 'sms'})`, Fail, `unknown factor type "sms"`},
		{"string factor", `api.authentication.challengeWith('otp')`, Fail, "a factor must be an object"},
		{"non-array to challengeWithAny", `api.authentication.challengeWithAny({type: 'otp'})`, Fail, "expects an array"},
		{"email cannot be enrolled", `api.authentication.enrollWith({type: 'email'})`, Fail, "email cannot be enrolled"},
		{"push alias", `api.authentication.challengeWithAny([{type: 'push'}])`, Challenge, ""},
		{"bad phone option", `api.authentication.challengeWith({type: 'phone', options: {preferredMethod: 'fax'}})`, Challenge, "preferredMethod"},
		{"unknown provider", `api.multifactor.enable('yubikey')`, Challenge, "unknown provider"},
		{"reserved claim", `api.idToken.setCustomClaim('sub', 'x')`, Allow, "reserved claim"},
		{"chainable", `api.access.deny('x').idToken.setCustomClaim('https://a/b', 1).multifactor.enable('any')`, Deny, ""},
		{"redirect note", `api.redirect.sendUserTo('https://example.com/step')`, Allow, "onContinuePostLogin"},
		{"cache per login", `api.cache.set('k', 'v'); if (api.cache.get('k').value !== 'v') throw new Error('cache')`, Allow, ""},
		{"cycle in args", `const o = {}; o.o = o; api.transaction.setMetadata('k', o)`, Allow, "could not be turned into JSON"},
		{"roles are empty", `const r = await api.roles.getUserEffectiveRoles(); if (r.roles.length) throw new Error()`, Allow, "no directory data"},
		{"canRedirect", `if (!api.redirect.canRedirect()) throw new Error('cannot')`, Allow, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code := "exports.onExecutePostLogin = async (event, api) => { " + c.code + " };"
			d := runCode(t, code, `{"user":{"user_id":"u"}}`, Options{Workers: 1})
			if d.Outcome != c.outcome {
				t.Errorf("outcome %s (%s), want %s; notes %q", d.Outcome, d.Error, c.outcome, d.Notes)
			}
			if c.note != "" && !strings.Contains(strings.Join(d.Notes, "\n"), c.note) {
				t.Errorf("notes %q lack %q", d.Notes, c.note)
			}
		})
	}
}

func TestCallsRecordedInOrder(t *testing.T) {
	code := `exports.onExecutePostLogin = async (event, api) => {
	  api.user.setAppMetadata('seen', true);
	  api.accessToken.addScope('read');
	  api.authentication.challengeWith({type: 'otp'}, {additionalFactors: [{type: 'email'}]});
	  api.idToken.setCustomClaim('https://x/u', undefined);
	};`
	d := runCode(t, code, `{"user":{}}`, Options{Workers: 1, AssumeEnrolled: []string{"email"}})
	var got []string
	for _, c := range d.Calls {
		var args []string
		for _, a := range c.Args {
			args = append(args, string(a))
		}
		got = append(got, c.Method+"("+strings.Join(args, ",")+")")
	}
	want := `user.setAppMetadata("seen",true) accessToken.addScope("read") authentication.challengeWith({"type":"otp"},{"additionalFactors":[{"type":"email"}]}) idToken.setCustomClaim("https://x/u",null)`
	if strings.Join(got, " ") != want {
		t.Errorf("calls\n got %s\nwant %s", strings.Join(got, " "), want)
	}
	if d.Outcome != Challenge || strings.Join(d.Factors, ",") != "email" {
		t.Errorf("outcome %s %v notes %q", d.Outcome, d.Factors, d.Notes)
	}
}

func TestModuleExportsReassigned(t *testing.T) {
	code := `module.exports = { onExecutePostLogin: async (event, api) => { api.access.deny('m'); } };`
	if d := runCode(t, code, `{}`, Options{Workers: 1}); d.Outcome != Deny {
		t.Fatalf("%+v", d)
	}
	code = `if (module.exports !== exports || this !== exports) throw new Error('module'); exports.onExecutePostLogin = async () => {};`
	if d := runCode(t, code, `{}`, Options{Workers: 1}); d.Outcome != Allow {
		t.Fatalf("%+v", d)
	}
}

func TestBrokenModules(t *testing.T) {
	for code, want := range map[string]string{
		`exports.onExecutePostLogin = (`:                          "does not compile",
		`exports.other = 1`:                                       "does not export an onExecutePostLogin",
		`throw new Error('at load')`:                              "at load",
		`require('axios'); exports.onExecutePostLogin = () => {}`: "require(axios) is not available",
	} {
		_, err := Run(context.Background(), Options{Code: []byte(code), Inputs: []input.Input{input.ReaderInput("e", strings.NewReader("{}"))}})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err %v, want %q", code, err, want)
		}
	}
}

func TestEventIsFreshPerLogin(t *testing.T) {
	code := `exports.onExecutePostLogin = async (event, api) => {
	  if (event.user.mark) throw new Error('leaked');
	  event.user.mark = 1;
	  api.access.extra = 1;
	  if (Object.getPrototypeOf(api.access).deny === undefined) throw new Error('proto');
	};`
	opts := Options{Workers: 1, Code: []byte(code), Inputs: []input.Input{input.ReaderInput("e", strings.NewReader(`{"user":{}}`+"\n"+`{"user":{}}`))}}
	var got []Decision
	opts.OnDecision = func(d Decision) error { got = append(got, d); return nil }
	if _, err := Run(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	for _, d := range got {
		if d.Outcome != Allow {
			t.Errorf("%+v", d)
		}
	}
}

// A call repeated on later logins (and within one) means what it meant
// the first time: the same factors and the same notes, each login its own.
func TestFactorCallsRemembered(t *testing.T) {
	code := `exports.onExecutePostLogin = async (event, api) => {
  api.authentication.challengeWith({type: 'otp'}, {additionalFactors: [{type: 'sms'}, {type: event.user.f}]});
  if (event.user.twice) api.authentication.challengeWith({type: 'otp'}, {additionalFactors: [{type: 'sms'}, {type: event.user.f}]});
};`
	events := []string{
		`{"user":{"f":"phone","enrolledFactors":[{"type":"otp"},{"type":"phone"},{"type":"email"}]}}`,
		`{"user":{"f":"phone","enrolledFactors":[{"type":"otp"},{"type":"phone"},{"type":"email"}]}}`,
		`{"user":{"f":"email","twice":true,"enrolledFactors":[{"type":"otp"},{"type":"phone"},{"type":"email"}]}}`,
		`{"user":{"f":"phone","enrolledFactors":[{"type":"otp"},{"type":"phone"},{"type":"email"}]}}`,
	}
	got, _ := replayCode(t, []byte(code), "a.js", Options{Workers: 1}, events...)
	want := []struct{ factors, notes string }{
		{"otp,phone", `challengeWith: unknown factor type "sms"; ignored`},
		{"otp,phone", `challengeWith: unknown factor type "sms"; ignored`},
		{"otp,email", `challengeWith: unknown factor type "sms"; ignored|challengeWith: unknown factor type "sms"; ignored`},
		{"otp,phone", `challengeWith: unknown factor type "sms"; ignored`},
	}
	for i, w := range want {
		var notes []string
		for _, n := range got[i].Notes {
			if strings.Contains(n, "unknown factor") {
				notes = append(notes, strings.TrimPrefix(n, "authentication."))
			}
		}
		if f := strings.Join(got[i].Factors, ","); f != w.factors || strings.Join(notes, "|") != w.notes {
			t.Errorf("login %d: factors %s, notes %q; want %s, %q", i+1, f, notes, w.factors, w.notes)
		}
	}
}
