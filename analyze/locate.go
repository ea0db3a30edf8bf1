package analyze

import (
	"maps"
	"slices"
	"strings"
)

// locate finds the classes of a concrete, well-formed event: for every
// dimension the one class holding the event's value. A symbolic condition
// is evaluated by cel-go; when it cannot be, all its classes are kept.
func (sp *space) locate(ev map[string]any) state {
	st := make(state, len(sp.Dims))
	for d, dim := range sp.Dims {
		st[d] = fullMask(len(dim.Classes))
		if dim.Kind == AtomDim {
			if i, ok := sp.atomClass(d, ev); ok {
				st[d] = 1 << i
			}
			continue
		}
		if i, ok := sp.classify(dim, ev); ok {
			st[d] = 1 << i
		}
	}
	return st
}

func (sp *space) classify(dim *Dim, ev map[string]any) (int, bool) {
	raw := getPath(ev, dim.field)
	switch dim.Kind {
	case PresenceDim:
		return map[bool]int{true: 0, false: 1}[raw != nil], true
	case BoolDim:
		b, _ := raw.(bool)
		return map[bool]int{true: 0, false: 1}[b], true
	case MemberDim:
		l, _ := raw.([]any)
		for _, x := range l {
			if x == dim.literal {
				return 0, true
			}
		}
		return 1, true
	case IntDim:
		var v int64
		if strings.HasPrefix(dim.Path, "size(") {
			l, _ := raw.([]any)
			v = int64(len(l))
		} else if f, ok := raw.(float64); ok {
			v = int64(f)
		}
		return sp.bySignature(dim, func(rep value) string { return dim.intSig(rep) }, intV(v))
	case IPDim:
		s, _ := raw.(string)
		return sp.bySignature(dim, func(rep value) string { return dim.ipSig(rep.s) }, strV(s))
	case EnumDim:
		s, _ := raw.(string)
		for i, c := range dim.Classes {
			for _, m := range c.Members {
				if m == s {
					return i, true
				}
			}
		}
		for i, c := range dim.Classes {
			if c.other {
				return i, true
			}
		}
	}
	return 0, false
}

// bySignature finds the class whose representative every test treats as
// it treats v.
func (sp *space) bySignature(dim *Dim, sig func(value) string, v value) (int, bool) {
	want := sig(v)
	for i, c := range dim.Classes {
		if sig(c.rep) == want {
			return i, true
		}
	}
	return 0, false
}

func (d *Dim) intSig(v value) string {
	s := ""
	for _, u := range d.uses {
		s += call(u.op, []value{v, intV(u.lit)}).key()
	}
	return s
}

// atomClass evaluates a symbolic condition on ev: class 0 true, 1 false,
// 2 an error.
func (sp *space) atomClass(d int, ev map[string]any) (int, bool) {
	dim := sp.Dims[d]
	prg, ok := sp.progs[d]
	if !ok {
		var err error
		if prg, err = sp.pols[dim.atomPol].CompileExpr(dim.atomCEL, slices.Sorted(maps.Keys(dim.atomVars))); err != nil {
			prg = nil
		}
		sp.progs[d] = prg
	}
	if prg == nil {
		return 0, false
	}
	vars := map[string]any{}
	for k, v := range dim.atomVars {
		vars[k] = nativeOf(v)
	}
	out, err := prg(ev, vars)
	switch {
	case err != nil:
		if dim.mayErr {
			return 2, true
		}
		return 0, false
	case out.Value() == true:
		return 0, true
	case out.Value() == false:
		return 1, true
	}
	return 0, false
}

func nativeOf(v value) any {
	switch v.k {
	case vString:
		return v.s
	case vInt:
		return v.i
	case vBool:
		return v.b
	case vList:
		out := make([]any, len(v.l))
		for i, e := range v.l {
			out[i] = nativeOf(e)
		}
		return out
	}
	return nil
}
