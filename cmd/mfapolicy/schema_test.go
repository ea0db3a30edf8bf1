package main

import (
	"bytes"
	"os"
	"testing"
)

// schema prints the committed schema files byte for byte.
func TestSchemaPrintsCommittedFiles(t *testing.T) {
	for _, name := range []string{"policy", "test"} {
		var out, errOut bytes.Buffer
		if code := run([]string{"schema", name}, &streams{Out: &out, Err: &errOut}); code != 0 {
			t.Fatalf("schema %s: exit %d: %s", name, code, errOut.String())
		}
		want, err := os.ReadFile("../../schema/" + name + ".schema.json")
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(out.Bytes(), want) {
			t.Errorf("mfapolicy schema %s differs from schema/%s.schema.json", name, name)
		}
	}
}
