package simulate

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/dop251/goja"

	"github.com/mfapolicy/mfapolicy/simulate/engine"
	"github.com/mfapolicy/mfapolicy/simulate/input"
)

// multifactorUsers are users of every shape the derivation tells apart:
// not an object, multifactor carried (null and the empty list included),
// enrolledFactors absent, null or not a list, and lists whose elements are
// enrolments or not (e-mail and device biometrics alone, null, scalars,
// lists, objects without a type or with a type that is not a string,
// duplicate and escaped keys).
var multifactorUsers = []string{
	`null`, `"u1"`, `5`, `true`, `[]`, `[{"type":"otp"}]`,
	`{}`, `{"user_id":"u1"}`,
	`{"enrolledFactors":null}`, `{"enrolledFactors":{"type":"otp"}}`, `{"enrolledFactors":"otp"}`, `{"enrolledFactors":3}`,
	`{"enrolledFactors":[]}`,
	`{"enrolledFactors":[{"type":"otp"}]}`,
	`{"enrolledFactors":[{"type":"email"}]}`,
	`{"enrolledFactors":[{"type":"webauthn-platform"}]}`,
	`{"enrolledFactors":[{"type":"email"},{"type":"webauthn-platform"}]}`,
	`{"enrolledFactors":[{"type":"email"},{"type":"webauthn-roaming"}]}`,
	`{"enrolledFactors":[{"type":"em\u0061il"}]}`,
	`{"enrolledFactors":[{"type":"Email"}]}`,
	`{"enrolledFactors":[null,"otp",5,true,{"type":"email"}]}`,
	`{"enrolledFactors":[[],{"type":"email"}]}`,
	`{"enrolledFactors":[{}]}`,
	`{"enrolledFactors":[{"kind":"otp"}]}`,
	`{"enrolledFactors":[{"type":null}]}`,
	`{"enrolledFactors":[{"type":1}]}`,
	`{"enrolledFactors":[{"type":["email"]}]}`,
	`{"enrolledFactors":[{"type":"otp","type":"email"}]}`,
	`{"enrolledFactors":[{"type":"email","type":"otp"}]}`,
	`{"enrolledFactors":[{"type":"otp"}],"multifactor":null}`,
	`{"enrolledFactors":[{"type":"otp"}],"multifactor":[]}`,
	`{"enrolledFactors":[],"multifactor":["guardian"]}`,
	`{"multifactor":["duo"]}`,
	`{"enrolledFactors":[{"type":"otp"}],"__proto__":{"multifactor":["duo"]}}`,
}

// shimDerive runs shims/user.js's deriveMultifactor in goja on the user
// parsed from userJSON, and returns the user's multifactor afterwards as
// JSON ("undefined" when it has none) and what the shim told the host.
func shimDerive(t *testing.T, vm *goja.Runtime, derive goja.Callable, userJSON string, told *string) (string, string) {
	t.Helper()
	*told = ""
	user, err := vm.RunString("JSON.parse(" + fmt.Sprintf("%q", userJSON) + ")")
	if err != nil {
		t.Fatalf("%s: %v", userJSON, err)
	}
	if _, err := derive(goja.Undefined(), user); err != nil {
		t.Fatalf("%s: deriveMultifactor threw: %v", userJSON, err)
	}
	obj, ok := user.(*goja.Object)
	if !ok {
		return "undefined", *told
	}
	out, err := vm.RunString("(u) => Object.prototype.hasOwnProperty.call(u, 'multifactor') ? JSON.stringify(u.multifactor) : 'undefined'")
	if err != nil {
		t.Fatal(err)
	}
	fn, _ := goja.AssertFunction(out)
	v, err := fn(goja.Undefined(), obj)
	if err != nil {
		t.Fatal(err)
	}
	return v.String(), *told
}

// goDerive is DeriveMultifactor on the event {"user": userJSON} as Go
// decodes it: the user's multifactor afterwards as JSON and the fact.
func goDerive(t *testing.T, userJSON string) (string, string) {
	t.Helper()
	var user any
	if err := json.Unmarshal([]byte(userJSON), &user); err != nil {
		t.Fatalf("%s: %v", userJSON, err)
	}
	ev := map[string]any{"user": user}
	fact := DeriveMultifactor(ev)
	u, ok := ev["user"].(map[string]any)
	if !ok {
		return "undefined", fact
	}
	mf, has := u["multifactor"]
	if !has {
		return "undefined", fact
	}
	b, _ := json.Marshal(mf)
	return string(b), fact
}

// TestMultifactorTwins holds the Go derivation (compiled policies, test,
// explain, the reference evaluator) equal to shims/user.js (hand-written
// Actions and Rules, the Node harness): on every shape of multifactorUsers
// and on generated users, both leave the same multifactor and state the
// same assumption; and the located derivation of the class path agrees on
// the same users inside a record.
func TestMultifactorTwins(t *testing.T) {
	src, err := engine.Shim("shims/user.js")
	if err != nil {
		t.Fatal(err)
	}
	vm := goja.New()
	var told string
	host := vm.NewObject()
	_ = host.Set("multifactor", func(enrolled bool) {
		if enrolled {
			told = engine.MultifactorGuardianFact
		} else {
			told = engine.MultifactorNoneFact
		}
	})
	_ = vm.Set("__mfapolicyHost", host)
	mod, err := vm.RunString("(function (module) {" + string(src) + "\nreturn module.exports; })({ exports: {} })")
	if err != nil {
		t.Fatal(err)
	}
	derive, ok := goja.AssertFunction(mod.(*goja.Object).Get("deriveMultifactor"))
	if !ok {
		t.Fatal("shims/user.js exports no deriveMultifactor")
	}
	users := append([]string{}, multifactorUsers...)
	r := rand.New(rand.NewPCG(7, 11))
	elems := []string{`{"type":"otp"}`, `{"type":"email"}`, `{"type":"webauthn-platform"}`, `{"type":"phone"}`, `null`, `"email"`, `{}`, `[]`, `{"type":"email","confirmed":false}`}
	for range 500 {
		list := "["
		for i := range r.IntN(4) {
			if i > 0 {
				list += ","
			}
			list += elems[r.IntN(len(elems))]
		}
		list += "]"
		switch r.IntN(4) {
		case 0:
			users = append(users, `{"user_id":"g","enrolledFactors":`+list+`,"multifactor":`+list+`}`)
		default:
			users = append(users, `{"user_id":"g","enrolledFactors":`+list+`}`)
		}
	}
	counts := map[string]int{}
	for _, u := range users {
		jsMF, jsFact := shimDerive(t, vm, derive, u, &told)
		jsMF = sortedJSON(jsMF)
		goMF, goFact := goDerive(t, u)
		if jsMF != goMF || jsFact != goFact {
			t.Fatalf("user %s:\n shims/user.js multifactor %s, fact %q\n Go            multifactor %s, fact %q", u, jsMF, jsFact, goMF, goFact)
		}
		if got := locatedDerive(t, u); got != goMF {
			t.Fatalf("user %s: located derivation %s, Go %s", u, got, goMF)
		}
		switch jsMF {
		case `["guardian"]`, `[]`, "undefined", "null", `["duo"]`:
			counts[jsMF]++
		default:
			counts["another list carried"]++
		}
	}
	for _, want := range []string{`["guardian"]`, `[]`, "undefined", "null", `["duo"]`} {
		if counts[want] == 0 {
			t.Errorf("no user left multifactor %s: %v", want, counts)
		}
	}
	t.Logf("%d users agree: %v", len(users), counts)
}

// locatedDerive is the class path's derivation (located.deriveMultifactor)
// of {"user": userJSON}, read through Tree as a classifier reads it: the
// user's multifactor as JSON, "undefined" when it has none.
func locatedDerive(t *testing.T, userJSON string) string {
	t.Helper()
	l := input.NewLocated(input.NewFieldTree(append([]string{multifactorField}, input.ProbeLists...)))
	if !l.Locate([]byte(`{"user":` + userJSON + `}`)) {
		t.Fatalf("%s: not located", userJSON)
	}
	if _, ok := l.DeriveMultifactor(); !ok {
		t.Fatalf("%s: not placeable", userJSON)
	}
	ev, _ := l.Tree([][]string{{"user", "multifactor"}})
	u, ok := ev.(map[string]any)["user"].(map[string]any)
	if !ok {
		return "undefined"
	}
	mf, has := u["multifactor"]
	if !has {
		return "undefined"
	}
	b, _ := json.Marshal(mf)
	return string(b)
}

// sortedJSON re-encodes JSON as Go does (object keys sorted), leaving
// "undefined" as it is.
func sortedJSON(s string) string {
	var v any
	if json.Unmarshal([]byte(s), &v) != nil {
		return s
	}
	b, _ := json.Marshal(v)
	return string(b)
}
