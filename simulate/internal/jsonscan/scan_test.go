package jsonscan

import (
	"math/bits"
	"math/rand/v2"
	"testing"
)

// special finds the first special byte as a byte-by-byte look does, for
// every byte value in every position, and on random words.
func TestSpecial(t *testing.T) {
	isSpecial := func(b byte) bool { return b == '"' || b == '\\' || b < 0x20 || b >= 0x80 }
	check := func(w [8]byte) {
		want := 8
		for i, b := range w {
			if isSpecial(b) {
				want = i
				break
			}
		}
		got := 8
		if m := special(load64(w[:])); m != 0 {
			got = bits.TrailingZeros64(m) >> 3
		}
		if got != want {
			t.Fatalf("% x: first special byte %d, want %d", w, got, want)
		}
	}
	for b := 0; b < 256; b++ {
		for pos := 0; pos < 8; pos++ {
			w := [8]byte{'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'}
			w[pos] = byte(b)
			check(w)
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 200000 {
		var w [8]byte
		for i := range w {
			w[i] = byte(r.IntN(256))
			if r.IntN(2) == 0 {
				w[i] = byte(0x20 + r.IntN(0x5f)) // mostly printable ASCII
			}
		}
		check(w)
	}
}

// SkipChecked ends every value of a valid text where Skip ends it: in
// members, in elements and at the top, with escaped quotes and runs of
// backslashes before a closing quote.
func TestSkipChecked(t *testing.T) {
	values := []string{
		`""`, `"a"`, `"\""`, `"\\"`, `"\\\""`, `"\\\\"`, `"a\\\"b\\"`, `"\u0022"`, `"é\u00e9"`,
		`0`, `-1.5e+10`, `true`, `false`, `null`,
		`{}`, `[]`, `{"a":1}`, `[1,"]",{"}":"{"}]`, `{"a\"}":["\\",{"b":[[]]}],"c":"\\\"}"}`,
		`{ "a" : [ 1 , 2 ] , "b" : { } }`, `[ "x" , null ]`,
	}
	for _, v := range values {
		// The value at its start in each text, and each text whole.
		for _, c := range []struct {
			text  string
			start int
		}{{v, 0}, {`{"k":` + v + `,"z":1}`, 5}, {`[` + v + ` , 2]`, 1}, {`{"k": ` + v + ` }`, 6}} {
			for _, start := range []int{c.start, 0} {
				a := Scanner{Data: []byte(c.text), Pos: start}
				if err := a.Skip(); err != nil {
					t.Fatalf("%s: %v", c.text, err)
				}
				b := Scanner{Data: []byte(c.text), Pos: start}
				b.SkipChecked()
				if a.Pos != b.Pos {
					t.Errorf("%s from %d: SkipChecked ends at %d, Skip at %d", c.text, start, b.Pos, a.Pos)
				}
			}
		}
	}
	// At the end of the input, it stops there.
	for _, text := range []string{`"abc`, `{"a":[1,`, `tru`, `"a\"`} {
		s := Scanner{Data: []byte(text)}
		s.SkipChecked()
		if s.Pos != len(text) {
			t.Errorf("%s: SkipChecked ends at %d", text, s.Pos)
		}
	}
}
