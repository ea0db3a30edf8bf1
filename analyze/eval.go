package analyze

import "math/bits"

// state is a set of points of the space: for every dimension, the set of
// its classes still possible, as a bit set. It stands for the product of
// these sets (a cube).
type state []uint64

func (s state) clone() state { return append(state(nil), s...) }

// outcome masks: which of true, false and error a condition can be.
const (
	mTrue  uint8 = 1
	mFalse uint8 = 2
	mErr   uint8 = 4
)

func maskOf(v value) uint8 {
	switch {
	case v.k == vBool && v.b:
		return mTrue
	case v.k == vBool:
		return mFalse
	}
	return mErr
}

// cond evaluates a lowered condition over every point of the state at
// once, returning what it can be. It over-approximates (two reads of one
// dimension are taken independently) and is exact when every dimension
// the condition reads has a single class.
func (sp *space) cond(n *node, st state) uint8 {
	switch n.op {
	case opNot:
		m := sp.cond(n.kids[0], st)
		return m&mErr | (m&mTrue)<<1 | (m&mFalse)>>1
	case opAnd, opOr:
		acc := mTrue
		if n.op == opOr {
			acc = mFalse
		}
		for _, k := range n.kids {
			m := sp.cond(k, st)
			if n.op == opAnd {
				acc = and3(acc, m)
			} else {
				acc = or3(acc, m)
			}
		}
		return acc
	case opCond:
		c := sp.cond(n.kids[0], st)
		var m uint8
		if c&mTrue != 0 {
			m |= sp.cond(n.kids[1], st)
		}
		if c&mFalse != 0 {
			m |= sp.cond(n.kids[2], st)
		}
		return m | c&mErr
	}
	var m uint8
	for _, v := range sp.values(n, st) {
		m |= maskOf(v)
	}
	return m
}

// and3 and or3 combine outcome sets with CEL's commutative logic: false
// (true) absorbs an error in && (||).
func and3(a, b uint8) uint8 {
	var m uint8
	if a&mFalse != 0 || b&mFalse != 0 {
		m |= mFalse
	}
	if a&mTrue != 0 && b&mTrue != 0 {
		m |= mTrue
	}
	if a&mErr != 0 && b&(mTrue|mErr) != 0 || b&mErr != 0 && a&(mTrue|mErr) != 0 {
		m |= mErr
	}
	return m
}

func or3(a, b uint8) uint8 {
	var m uint8
	if a&mTrue != 0 || b&mTrue != 0 {
		m |= mTrue
	}
	if a&mFalse != 0 && b&mFalse != 0 {
		m |= mFalse
	}
	if a&mErr != 0 && b&(mFalse|mErr) != 0 || b&mErr != 0 && a&(mFalse|mErr) != 0 {
		m |= mErr
	}
	return m
}

// values evaluates a non-logical node to the set of values it can take.
func (sp *space) values(n *node, st state) []value {
	switch n.op {
	case opConst:
		return []value{n.v}
	case opDim:
		var out []value
		for m := st[n.dim]; m != 0; m &= m - 1 {
			out = append(out, sp.Dims[n.dim].Classes[bits.TrailingZeros64(m)].rep)
		}
		return out
	case opCall:
		sets := make([][]value, len(n.kids))
		for i, k := range n.kids {
			sets[i] = sp.values(k, st)
		}
		var out []value
		args := make([]value, len(sets))
		var rec func(i int)
		rec = func(i int) {
			if i == len(sets) {
				out = addValue(out, call(n.fn, args))
				return
			}
			for _, v := range sets[i] {
				args[i] = v
				rec(i + 1)
			}
		}
		rec(0)
		return out
	}
	// A logical node used as a value.
	var out []value
	m := sp.cond(n, st)
	for _, b := range []struct {
		m uint8
		v value
	}{{mTrue, vTrue}, {mFalse, vFalse}, {mErr, errV}} {
		if m&b.m != 0 {
			out = append(out, b.v)
		}
	}
	return out
}

func addValue(set []value, v value) []value {
	k := v.key()
	for _, x := range set {
		if x.k == v.k && x.key() == k {
			return set
		}
	}
	return append(set, v)
}
