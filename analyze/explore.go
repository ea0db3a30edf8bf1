package analyze

import (
	"errors"
	"math/bits"
	"sort"
)

// chain is one policy's rules, lowered, in order.
type chain struct {
	rules []*node
	reads [][]int // the dimensions each rule reads, in space order
}

// decider is what decides a login in one policy: a rule (its action, or
// on_error when Err), or the default when Rule is -1.
type decider struct {
	Rule int
	Err  bool
}

var defaultDecider = decider{Rule: -1}

// leaf is a cube of the space on which every chain's decider is fixed.
type leaf struct {
	st  state
	dec []decider
}

// maxLeaves bounds the exploration.
const maxLeaves = 500000

var (
	errTooLarge  = errors.New("the login space of this policy is too large to explore (more than 500000 regions)")
	errUndecided = errors.New("internal error: a rule has several outcomes on one point of the login space")
)

// explorer splits the space into cubes on which each chain, in turn, is
// decided by one rule: it evaluates a rule over the current cube, and when
// the rule can be both true and false there, splits the cube along a
// dimension the rule reads, grouping the classes that give the rule the
// same outcomes.
type explorer struct {
	sp     *space
	chains []*chain
	leaves []leaf
}

func (x *explorer) full() state {
	st := make(state, len(x.sp.Dims))
	for i, d := range x.sp.Dims {
		st[i] = fullMask(len(d.Classes))
	}
	return st
}

func fullMask(n int) uint64 {
	if n == 64 {
		return ^uint64(0)
	}
	return 1<<n - 1
}

func (x *explorer) run(st state) error {
	return x.explore(st, 0, 0, nil)
}

func (x *explorer) explore(st state, c, i int, decs []decider) error {
	if c == len(x.chains) {
		if len(x.leaves) >= maxLeaves {
			return errTooLarge
		}
		x.leaves = append(x.leaves, leaf{st: st, dec: append([]decider(nil), decs...)})
		return nil
	}
	ch := x.chains[c]
	if i == len(ch.rules) {
		return x.explore(st, c+1, 0, append(decs, defaultDecider))
	}
	switch m := x.sp.cond(ch.rules[i], st); m {
	case mTrue:
		return x.explore(st, c+1, 0, append(decs, decider{Rule: i}))
	case mFalse:
		return x.explore(st, c, i+1, decs)
	case mErr:
		return x.explore(st, c+1, 0, append(decs, decider{Rule: i, Err: true}))
	}
	parts, ok := x.split(ch.rules[i], ch.reads[i], st)
	if !ok {
		// Every dimension the rule reads is fixed, so its outcome must be
		// exact; several would be a bug, never a reason to drop logins.
		return errUndecided
	}
	for _, part := range parts {
		if err := x.explore(part, c, i, decs); err != nil {
			return err
		}
	}
	return nil
}

// split cuts st along one dimension that n reads into cubes that n tells
// apart; when no single dimension does, into one cube per class of the
// first undecided dimension.
func (x *explorer) split(n *node, reads []int, st state) ([]state, bool) {
	first := -1
	for _, d := range reads {
		if bits.OnesCount64(st[d]) < 2 {
			continue
		}
		if first < 0 {
			first = d
		}
		groups := map[uint8]uint64{}
		var order []uint8
		for m := st[d]; m != 0; m &= m - 1 {
			bit := m & -m
			sub := st.clone()
			sub[d] = bit
			o := x.sp.cond(n, sub)
			if _, ok := groups[o]; !ok {
				order = append(order, o)
			}
			groups[o] |= bit
		}
		if len(order) > 1 {
			var out []state
			for _, o := range order {
				if sub, ok := x.sp.restrict(st, d, groups[o]); ok {
					out = append(out, sub)
				}
			}
			return out, true
		}
	}
	if first < 0 {
		return nil, false
	}
	var out []state
	for m := st[first]; m != 0; m &= m - 1 {
		if sub, ok := x.sp.restrict(st, first, m&-m); ok {
			out = append(out, sub)
		}
	}
	return out, true
}

// restrict narrows dimension d of a copy of st to mask and propagates what
// absent objects imply: the fields of an absent object are absent, and a
// field that is present makes its objects present. It reports false when
// no point is left.
func (sp *space) restrict(st state, d int, mask uint64) (state, bool) {
	out := st.clone()
	if !sp.narrow(out, d, mask) {
		return nil, false
	}
	return out, true
}

func (sp *space) narrow(st state, d int, mask uint64) bool {
	before := st[d]
	st[d] &= mask
	if st[d] == 0 {
		return false
	}
	if st[d] == before {
		return true
	}
	dim := sp.Dims[d]
	if dim.Kind == PresenceDim && st[d] == 2 { // absent
		for _, e := range sp.below[d] {
			if !sp.narrow(st, e, sp.zeroMask(e)) {
				return false
			}
		}
	}
	if st[d]&sp.zeroMask(d) == 0 || dim.Kind == PresenceDim && st[d] == 1 {
		for _, p := range sp.under[d] {
			if p != d && !sp.narrow(st, p, 1) { // present
				return false
			}
		}
	}
	return true
}

// zeroMask is the classes of d that hold an absent field.
func (sp *space) zeroMask(d int) uint64 {
	var m uint64
	for i, c := range sp.Dims[d].Classes {
		if c.zero {
			m |= 1 << i
		}
	}
	return m
}

// readsOf lists the dimensions a lowered condition reads.
func readsOf(n *node, set map[int]bool) {
	if n.op == opDim {
		set[n.dim] = true
	}
	for _, k := range n.kids {
		readsOf(k, set)
	}
}

func sortedDims(set map[int]bool) []int {
	out := make([]int, 0, len(set))
	for d := range set {
		out = append(out, d)
	}
	sort.Ints(out)
	return out
}
