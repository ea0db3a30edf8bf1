package main

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/mfapolicy/mfapolicy/internal/buildinfo"
)

// The engine versions `version --format json` reports are the ones go.mod
// requires: they come from the binary, not from a list kept by hand.
func TestVersionEnginesMatchGoMod(t *testing.T) {
	gomod, err := os.ReadFile("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	if code := run([]string{"version", "--format", "json"}, &streams{Out: &out, Err: &errOut}); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	var info buildinfo.Info
	if err := json.Unmarshal(out.Bytes(), &info); err != nil {
		t.Fatal(err)
	}
	if len(info.Engines) != 3 {
		t.Fatalf("engines = %+v, want goja, esbuild and cel-go", info.Engines)
	}
	for _, e := range info.Engines {
		if !strings.Contains(string(gomod), "\t"+e.Module+" "+e.Version+"\n") {
			t.Errorf("engine %s reports %s %q, which go.mod does not require", e.Name, e.Module, e.Version)
		}
	}
}
