package engine

import (
	"encoding/json"
	"testing"
)

func TestVLQRoundTrip(t *testing.T) {
	for _, f := range [][]int{{0}, {1, 0, 0, 0}, {-1, 15, -16, 1000}, {123456, -7, 0, 31, 32}} {
		got, err := decodeVLQ(encodeVLQ(f))
		if err != nil || len(got) != len(f) {
			t.Fatalf("%v: %v %v", f, got, err)
		}
		for i := range f {
			if got[i] != f[i] {
				t.Errorf("%v round-trips to %v", f, got)
			}
		}
	}
}

// TestFixSourceMap: generated columns shift by one at the start of each
// line, original columns once (they are deltas after the first).
func TestFixSourceMap(t *testing.T) {
	in := `{"version":3,"sources":["a.js"],"mappings":"AAAA,EAAE;;AACA,CAAC"}`
	out, err := fixSourceMap([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	var m struct{ Mappings string }
	_ = json.Unmarshal(out, &m)
	if m.Mappings != "CAAC,EAAE;;CACA,CAAC" {
		t.Errorf("mappings = %s", m.Mappings)
	}
}
