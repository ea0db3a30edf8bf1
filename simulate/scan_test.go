package simulate

import (
	"math/rand/v2"
	"testing"
)

// special agrees with a byte-by-byte look at every byte value in every
// position, and on random words.
func TestSpecial(t *testing.T) {
	isSpecial := func(b byte) bool { return b == '"' || b == '\\' || b < 0x20 || b >= 0x80 }
	check := func(w [8]byte) {
		want := false
		for _, b := range w {
			want = want || isSpecial(b)
		}
		if got := special(load64(w[:])); got != want {
			t.Fatalf("% x: special %v, want %v", w, got, want)
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
