package analyze

import (
	"math/bits"
	"strings"
)

// Condition restricts one dimension of a region: the dimension's value is
// in one of the classes named (or, with Not, in none of them).
type Condition struct {
	// Dimension is the label of the dimension, for example "country".
	Dimension string `json:"dimension"`
	// Path is the event field, or the CEL text of a symbolic condition.
	Path string   `json:"path"`
	Kind DimKind  `json:"kind"`
	Not  bool     `json:"not,omitempty"`
	In   []string `json:"values"`
}

// merge joins cubes that differ in one dimension only, and drops cubes
// inside others, until no more can be joined. Cubes are taken in order,
// so the result is deterministic.
func merge(cubes []state) []state {
	out := append([]state(nil), cubes...)
	for changed := true; changed; {
		changed = false
		for i := 0; i < len(out); i++ {
			for j := i + 1; j < len(out); j++ {
				if u, ok := join(out[i], out[j]); ok {
					out[i] = u
					out = append(out[:j], out[j+1:]...)
					changed = true
					j = i
				}
			}
		}
	}
	return out
}

// join returns the union of a and b when it is a cube: they are equal
// but in one dimension, or one holds the other.
func join(a, b state) (state, bool) {
	diff := -1
	aInB, bInA := true, true
	for d := range a {
		if a[d] != b[d] {
			if diff >= 0 {
				diff = -2
			} else if diff == -1 {
				diff = d
			}
		}
		if a[d]&^b[d] != 0 {
			aInB = false
		}
		if b[d]&^a[d] != 0 {
			bInA = false
		}
	}
	switch {
	case bInA:
		return a, true
	case aInB:
		return b, true
	case diff >= 0:
		u := a.clone()
		u[diff] |= b[diff]
		return u, true
	}
	return nil, false
}

// describe lists the conditions of a cube: one per dimension that is not
// free, naming the classes in, or those out when that is shorter.
func (sp *space) describe(st state) []Condition {
	out := []Condition{}
	for d, dim := range sp.Dims {
		full := fullMask(len(dim.Classes))
		if st[d] == full {
			continue
		}
		c := Condition{Dimension: dim.Label, Path: dim.Path, Kind: dim.Kind}
		// A set holding "any other value" reads best as the values it
		// leaves out, unless one of those is the absent field.
		in, outSet := labels(dim, st[d]), labels(dim, full&^st[d])
		if (dim.Kind == EnumDim || dim.Kind == IPDim) && sp.hasClass(d, st[d], func(c Class) bool { return c.other }) &&
			!sp.hasClass(d, full&^st[d], func(c Class) bool { return c.Missing }) {
			c.Not, c.In = true, outSet
		} else {
			c.In = in
		}
		out = append(out, c)
	}
	return out
}

func labels(dim *Dim, m uint64) []string {
	var out []string
	for ; m != 0; m &= m - 1 {
		c := dim.Classes[bits.TrailingZeros64(m)]
		if len(c.Members) > 0 && !c.Missing {
			out = append(out, c.Members...)
		} else {
			out = append(out, c.Label)
		}
	}
	return out
}

// hasClass reports whether a class of m satisfies f.
func (sp *space) hasClass(d int, m uint64, f func(Class) bool) bool {
	for ; m != 0; m &= m - 1 {
		if f(sp.Dims[d].Classes[bits.TrailingZeros64(m)]) {
			return true
		}
	}
	return false
}

// Text renders a condition as a phrase.
func (c Condition) Text() string {
	switch c.Kind {
	case AtomDim:
		return "(" + c.Path + ") is " + orList(c.In)
	case MemberDim:
		return c.Dimension + " " + orList(c.In)
	case PresenceDim:
		return c.Dimension + " is " + orList(c.In)
	case IntDim:
		return c.Dimension + " " + orList(c.In)
	}
	if c.Not && len(c.In) == 1 {
		return c.Dimension + " is not " + strings.TrimPrefix(c.In[0], "in ")
	}
	if c.Not {
		vals := make([]string, len(c.In))
		for i, v := range c.In {
			vals[i] = strings.TrimPrefix(v, "in ")
		}
		return c.Dimension + " is none of " + strings.Join(vals, ", ")
	}
	return c.Dimension + " is " + orList(c.In)
}

func orList(s []string) string {
	switch len(s) {
	case 0:
		return ""
	case 1:
		return s[0]
	}
	return strings.Join(s[:len(s)-1], ", ") + " or " + s[len(s)-1]
}

// missingDims lists the dimensions of a cube that hold only missing data
// there.
func (sp *space) missingDims(st state) []int {
	var out []int
	for d, dim := range sp.Dims {
		var miss uint64
		for i, c := range dim.Classes {
			if c.Missing {
				miss |= 1 << i
			}
		}
		if miss != 0 && st[d]&^miss == 0 {
			out = append(out, d)
		}
	}
	return out
}
