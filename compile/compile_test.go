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
