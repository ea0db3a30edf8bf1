package compile

import (
	"reflect"
	"testing"

	"github.com/mfapolicy/mfapolicy/policy"
)

func TestCompileExample(t *testing.T) {
	p, diags := policy.Load("../examples/policy.yaml")
	if diags.HasErrors() {
		t.Fatal(diags.Errors())
	}
	res, err := Compile(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, r := range p.Rules {
		want = append(want, r.ID)
	}
	if len(want) == 0 || !reflect.DeepEqual(res.Rules, want) {
		t.Errorf("Rules = %q, want %q", res.Rules, want)
	}
}

func TestFields(t *testing.T) {
	src := `name: f
rules:
  - id: r
    when: >-
      event.user.identities[0].connection == 'x' || (true ? event.request : event.request).ip == ''
      || event.user.enrolledFactors.exists(f, f.type == 'otp') || has(event.stats.logins_count)
    then: allow
default: allow
`
	p, diags := policy.Parse("f.yaml", []byte(src))
	if diags.HasErrors() {
		t.Fatal(diags.Errors())
	}
	res, err := Compile(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"request", "stats", "stats.logins_count", "user", "user.enrolledFactors", "user.enrolledFactors[].type",
		"user.identities", "user.identities[].connection"}
	if !reflect.DeepEqual(res.Fields, want) {
		t.Errorf("Fields = %q, want %q", res.Fields, want)
	}
}
