package compile

import (
	"testing"
)

func TestCompileExample(t *testing.T) {
	res, err := CompileFile("../examples/policy.yaml", Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d bytes, fields %v", len(res.Code), res.Fields)
	t.Log(string(res.Code))
}
