package analyze

import (
	"math/bits"
	"sort"
	"strings"

	"github.com/mfapolicy/mfapolicy/policy"
)

// Example logins are built from one point of a region: every dimension's
// class representative written into a post-login event. A region that
// rests on symbolic conditions also needs values for the fields those
// read; a bounded search tries values made from the conditions' own
// constants. Every example is confirmed with the reference evaluator.
const (
	maxPoints     = 24  // points of one cube tried
	maxCandidates = 256 // combinations of symbolic field values tried per point
)

// points lists up to max points of a cube. A dimension the cube leaves
// free takes the class of an absent field first, so that examples stay
// small; a restricted one takes data that is present first.
func (sp *space) points(st state, max int) []state {
	var out []state
	cur := make(state, len(st))
	var rec func(d int)
	rec = func(d int) {
		if len(out) >= max {
			return
		}
		if d == len(st) {
			out = append(out, cur.clone())
			return
		}
		for _, bit := range sp.classOrder(d, st[d]) {
			if len(out) >= max {
				return
			}
			cur[d] = bit
			rec(d + 1)
		}
	}
	rec(0)
	return out
}

// classOrder orders the classes of m for examples: a free dimension
// absent first; a restricted one named values first, then (but for
// countries and confidences, where another value reads better) absent.
func (sp *space) classOrder(d int, m uint64) []uint64 {
	dim := sp.Dims[d]
	free := m == fullMask(len(dim.Classes))
	rank := func(c Class) int {
		switch {
		case free && c.zero:
			return 0
		case free:
			return 1
		case !c.other && !c.Missing && !c.zero:
			return 0
		case c.other && closedSet(dim.field) != nil:
			return 1
		case c.zero:
			return 2
		}
		return 3
	}
	var out []uint64
	for r := 0; r <= 3; r++ {
		for mm := m; mm != 0; mm &= mm - 1 {
			if rank(dim.Classes[bits.TrailingZeros64(mm)]) == r {
				out = append(out, mm&-mm)
			}
		}
	}
	return out
}

// event writes the representatives of a point into a post-login event.
func (sp *space) event(pt state) map[string]any {
	ev := map[string]any{}
	lists := map[string][]any{}
	var listOrder []string
	for d, dim := range sp.Dims {
		c := dim.Classes[bits.TrailingZeros64(pt[d])]
		switch dim.Kind {
		case EnumDim, IPDim:
			if c.rep.s != "" {
				setPath(ev, dim.field, c.rep.s)
			}
		case BoolDim:
			if c.rep.b {
				setPath(ev, dim.field, true)
			}
		case IntDim:
			if strings.HasPrefix(dim.Path, "size(") {
				if _, ok := lists[dim.field]; !ok {
					listOrder = append(listOrder, dim.field)
				}
				lists[dim.field] = append(lists[dim.field], sizedList(dim.field, int(c.rep.i))...)
			} else if c.rep.i != 0 {
				setPath(ev, dim.field, float64(c.rep.i))
			}
		case MemberDim:
			if c.rep.b {
				if _, ok := lists[dim.field]; !ok {
					listOrder = append(listOrder, dim.field)
				}
				lists[dim.field] = append(lists[dim.field], dim.literal)
			}
		}
	}
	for _, f := range listOrder {
		if len(lists[f]) > 0 {
			setPath(ev, f, lists[f])
		}
	}
	for d, dim := range sp.Dims {
		if dim.Kind == PresenceDim && pt[d] == 1 {
			if getPath(ev, dim.field) == nil {
				setPath(ev, dim.field, zeroJSON(dim.field))
			}
		}
	}
	return ev
}

// sizedList is a list of n plausible elements for a list field.
func sizedList(path string, n int) []any {
	out := make([]any, n)
	for i := range out {
		switch path {
		case "event.user.enrolledFactors":
			out[i] = map[string]any{"type": "otp"}
		case "event.authentication.methods":
			out[i] = map[string]any{"name": "pwd"}
		default:
			if f, ok := fieldOf(path); ok && f.Kind == policy.MessageList {
				out[i] = map[string]any{}
			} else {
				out[i] = "value"
			}
		}
	}
	return out
}

// zeroJSON is a present value of a field that reads like an absent one.
func zeroJSON(path string) any {
	f, ok := fieldOf(path)
	if !ok {
		return map[string]any{}
	}
	switch f.Kind {
	case policy.String:
		return ""
	case policy.Bool:
		return false
	case policy.Int, policy.Double:
		return 0.0
	case policy.StringList, policy.MessageList:
		return []any{}
	}
	return map[string]any{}
}

// fieldOf looks up the typed field at an event path.
func fieldOf(path string) (policy.Field, bool) {
	names := strings.Split(strings.TrimPrefix(path, "event."), ".")
	typ := policy.EventType
	var f policy.Field
	for _, n := range names {
		var ok bool
		if f, ok = policy.LookupField(typ, n); !ok {
			return f, false
		}
		typ = f.Elem
	}
	return f, true
}

func setPath(ev map[string]any, path string, v any) {
	names := strings.Split(strings.TrimPrefix(path, "event."), ".")
	m := ev
	for _, n := range names[:len(names)-1] {
		next, ok := m[n].(map[string]any)
		if !ok {
			next = map[string]any{}
			m[n] = next
		}
		m = next
	}
	m[names[len(names)-1]] = v
}

func getPath(ev map[string]any, path string) any {
	var cur any = ev
	for _, n := range strings.Split(strings.TrimPrefix(path, "event."), ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = m[n]
	}
	return cur
}

// symbolicFields lists the fields read by the symbolic dimensions of a
// cube that no exact dimension fixes, with the values to try for each.
func (sp *space) symbolicFields(st state) ([]string, [][]any) {
	cands := map[string][]any{}
	var order []string
	for _, dim := range sp.Dims {
		if dim.Kind != AtomDim {
			continue
		}
		for _, f := range dim.atomIDs {
			if _, ok := cands[f]; !ok {
				order = append(order, f)
			}
			cands[f] = appendUnique(cands[f], candidates(f, dim.atomLits)...)
		}
	}
	sort.Strings(order)
	out := make([][]any, len(order))
	for i, f := range order {
		out[i] = cands[f]
	}
	return order, out
}

// candidates are values worth trying for a field read symbolically: its
// absence, the constants of the conditions, and near misses of them.
func candidates(path string, lits []value) []any {
	if base, key, ok := strings.Cut(path, "["); ok {
		key = strings.TrimSuffix(key, "]")
		out := []any{nil}
		for _, v := range lits {
			out = append(out, map[string]any{key: jsonOf(v)})
		}
		_ = base
		return append(out, map[string]any{key: "other"})
	}
	f, ok := fieldOf(path)
	if !ok {
		return []any{nil}
	}
	out := []any{nil}
	for _, v := range lits {
		switch {
		case f.Kind == policy.String && v.k == vString:
			out = append(out, "user"+v.s, v.s, v.s+"x", strings.ToUpper(v.s))
		case (f.Kind == policy.Int || f.Kind == policy.Double) && v.k == vInt:
			out = append(out, float64(v.i), float64(v.i+1), float64(v.i-1))
		case f.Kind == policy.StringList && v.k == vString:
			out = append(out, []any{v.s})
		case f.Kind == policy.MessageList && v.k == vString:
			out = append(out, []any{map[string]any{"type": v.s, "name": v.s, "connection": v.s}})
		}
	}
	switch f.Kind {
	case policy.String:
		out = append(out, "other")
		if strings.HasSuffix(path, ".ip") {
			out = append(out, ipCandidates...)
		}
	case policy.Bool:
		out = append(out, true, false)
	case policy.MessageList:
		out = append(out, []any{map[string]any{}})
	case policy.StringList:
		out = append(out, []any{"other"})
	}
	return out
}

// ipCandidates are addresses of the special kinds CEL's ip methods test.
var ipCandidates = []any{"198.51.100.7", "127.0.0.1", "::1", "0.0.0.0", "10.0.0.1",
	"169.254.1.1", "fe80::1", "224.0.0.1", "ff02::1", "2001:db8::1", "not-an-ip"}

func jsonOf(v value) any {
	switch v.k {
	case vString:
		return v.s
	case vInt:
		return float64(v.i)
	case vBool:
		return v.b
	}
	return nil
}

func appendUnique(set []any, vs ...any) []any {
	for _, v := range vs {
		dup := false
		for _, x := range set {
			if sameJSON(x, v) {
				dup = true
				break
			}
		}
		if !dup {
			set = append(set, v)
		}
	}
	return set
}

func sameJSON(a, b any) bool {
	return jsonText(a) == jsonText(b)
}

// witness searches a cube for a login that ok accepts.
func (sp *space) witness(st state, ok func(map[string]any) bool) map[string]any {
	fields, cands := sp.symbolicFields(st)
	for _, pt := range sp.points(st, maxPoints) {
		base := sp.event(pt)
		if sp.within(base, st) && ok(base) {
			return base
		}
		if len(fields) == 0 {
			continue
		}
		idx := make([]int, len(fields))
		for tries := 0; tries < maxCandidates; tries++ {
			ev := deepCopy(base).(map[string]any)
			for i, f := range fields {
				v := cands[i][idx[i]]
				if v == nil {
					continue
				}
				if p, key, isKey := strings.Cut(f, "["); isKey {
					if m, _ := v.(map[string]any); m != nil {
						_ = key
						setPath(ev, p, deepCopy(m))
					}
					continue
				}
				setPath(ev, f, deepCopy(v))
			}
			if sp.within(ev, st) && ok(ev) {
				return ev
			}
			if !next(idx, cands) {
				break
			}
		}
	}
	return nil
}

// within reports whether the exact dimensions of ev fall in cube st.
func (sp *space) within(ev map[string]any, st state) bool {
	loc := sp.locate(ev)
	for d := range st {
		if loc[d]&st[d] == 0 {
			return false
		}
	}
	return true
}

// next advances an odometer over the candidate lists.
func next(idx []int, cands [][]any) bool {
	for i := len(idx) - 1; i >= 0; i-- {
		idx[i]++
		if idx[i] < len(cands[i]) {
			return true
		}
		idx[i] = 0
	}
	return false
}

func deepCopy(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, x := range v {
			out[k] = deepCopy(x)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = deepCopy(x)
		}
		return out
	}
	return v
}
