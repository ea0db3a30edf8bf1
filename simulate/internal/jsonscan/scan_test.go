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
