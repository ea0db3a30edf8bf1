package simulate

import (
	"unicode/utf16"
	"unicode/utf8"
)

// projector decodes the part of an event a compiled policy can observe
// (its readPlan) into plain Go values, the way encoding/json decodes into
// any: map[string]any, []any, string, float64, bool and nil. It is the
// input of a Classifier and of the missing-field report, and reads the
// bytes once, skipping everything the plan does not name.
//
// It follows JSON.parse, not encoding/json, where the two differ: keys are
// matched exactly (case-sensitive, escapes decoded), the last of duplicate
// keys wins whole, and numbers out of float64's range are ±Inf. A string
// that JavaScript holds but a Go string cannot (a lone surrogate, invalid
// UTF-8) makes the projection unfaithful: the caller then replays that
// login in goja instead of classifying it.
//
// The values of one projection are valid until the next: its maps and
// slices are reused, so that a login allocates almost nothing, and short
// strings are shared between logins.
type projector struct {
	scanner
	plan *readPlan
	// unfaithful is set when a decoded string or key cannot be held
	// exactly as JavaScript holds it.
	unfaithful bool
	// maps and lists are the containers of earlier projections, handed
	// out again from the start of each one; elems collects array elements.
	maps         []map[string]any
	lists        [][]any
	nmaps, nlist int
	elems        []any
	strs         map[string]string
}

func newProjector(plan *readPlan) *projector {
	return &projector{plan: plan, strs: map[string]string{}}
}

// newMap hands out an empty map, reusing one of an earlier projection.
func (p *projector) newMap() map[string]any {
	if p.nmaps == len(p.maps) {
		p.maps = append(p.maps, make(map[string]any, 8))
	}
	m := p.maps[p.nmaps]
	p.nmaps++
	clear(m)
	return m
}

// newList hands out a list holding elems, reusing the storage of one of
// an earlier projection.
func (p *projector) newList(elems []any) []any {
	if p.nlist == len(p.lists) {
		p.lists = append(p.lists, nil)
	}
	l := append(p.lists[p.nlist][:0], elems...)
	p.lists[p.nlist] = l
	p.nlist++
	return l
}

// intern returns raw as a string, shared with earlier projections when it
// is short.
func (p *projector) intern(raw []byte) string {
	if len(raw) > maxInternedLen {
		return string(raw)
	}
	if s, ok := p.strs[string(raw)]; ok {
		return s
	}
	s := string(raw)
	if len(p.strs) >= maxInterned {
		clear(p.strs)
	}
	p.strs[s] = s
	return s
}

// project decodes data following the plan. valid is false when the data is
// not valid JSON; faithful is false when a decoded string or key is not
// exactly what JavaScript would hold.
func (p *projector) project(data []byte) (v any, valid, faithful bool) {
	p.scanner = scanner{data: data, u16: p.u16}
	p.unfaithful = false
	p.nmaps, p.nlist = 0, 0
	p.space()
	var err error
	if p.plan != nil && !p.plan.whole {
		v, err = p.partial(p.plan)
	} else {
		v, err = p.value()
	}
	if err != nil {
		return nil, false, false
	}
	p.space()
	valid = p.pos == len(p.data)
	return v, valid, valid && !p.unfaithful
}

func (p *projector) value() (any, error) {
	if p.pos >= len(p.data) {
		return nil, p.errorf("unexpected end of input")
	}
	switch c := p.data[p.pos]; {
	case c == '{':
		return p.object(nil)
	case c == '[':
		return p.array(nil)
	case c == '"':
		return p.str()
	case c == 't':
		return true, p.word("true")
	case c == 'f':
		return false, p.word("false")
	case c == 'n':
		return nil, p.word("null")
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number()
	}
	return nil, p.errorf("unexpected character %q", p.data[p.pos])
}

// partial decodes an object with the members plan names, an array whose
// plan has an element plan ("[]") with each element after it; anything
// else whole.
func (p *projector) partial(plan *readPlan) (any, error) {
	if p.pos < len(p.data) {
		switch p.data[p.pos] {
		case '{':
			return p.object(plan)
		case '[':
			if elem := plan.keys[elemKey]; elem != nil && !elem.whole {
				return p.array(elem)
			}
		}
	}
	return p.value()
}

func (p *projector) object(plan *readPlan) (any, error) {
	p.pos++ // {
	obj := p.newMap()
	p.space()
	if p.pos < len(p.data) && p.data[p.pos] == '}' {
		p.pos++
		return obj, nil
	}
	for {
		p.space()
		if p.pos >= len(p.data) || p.data[p.pos] != '"' {
			return nil, p.errorf("expected a string key")
		}
		key, sub, keyOK, err := p.key(plan)
		if err != nil {
			return nil, err
		}
		p.space()
		if p.pos >= len(p.data) || p.data[p.pos] != ':' {
			return nil, p.errorf("expected ':'")
		}
		p.pos++
		p.space()
		switch {
		case plan != nil && sub == nil:
			err = p.skip()
		case plan == nil || sub.whole:
			obj[key], err = p.value()
			p.unfaithful = p.unfaithful || !keyOK
		default:
			obj[key], err = p.partial(sub)
		}
		if err != nil {
			return nil, err
		}
		p.space()
		if p.pos >= len(p.data) {
			return nil, p.errorf("unexpected end of input in an object")
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
		case '}':
			p.pos++
			return obj, nil
		default:
			return nil, p.errorf("expected ',' or '}'")
		}
	}
}

// key reads a member's name and, in an object the plan walks through, the
// plan of that member (nil: not in the plan). A plain key is looked up in
// the plan without being copied; a key JavaScript would hold differently
// (keyOK false) is never a plan's.
func (p *projector) key(plan *readPlan) (key string, sub *readPlan, keyOK bool, err error) {
	if plan != nil {
		start := p.pos
		raw, plain, err := p.scanString()
		if err != nil {
			return "", nil, false, err
		}
		if plain {
			if sub = plan.member(raw); sub != nil {
				return sub.name, sub, true, nil
			}
			return "", nil, true, nil
		}
		p.pos = start
	}
	key, keyOK, err = p.text()
	if plan != nil && keyOK && key != elemKey {
		sub = plan.keys[key]
	}
	return key, sub, keyOK, err
}

// array decodes an array, each element after elem (nil: whole).
func (p *projector) array(elem *readPlan) (any, error) {
	p.pos++ // [
	p.space()
	if p.pos < len(p.data) && p.data[p.pos] == ']' {
		p.pos++
		return p.newList(nil), nil
	}
	base := len(p.elems)
	for {
		p.space()
		var v any
		var err error
		if elem != nil {
			v, err = p.partial(elem)
		} else {
			v, err = p.value()
		}
		if err != nil {
			return nil, err
		}
		p.elems = append(p.elems, v)
		p.space()
		if p.pos >= len(p.data) {
			return nil, p.errorf("unexpected end of input in an array")
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
		case ']':
			p.pos++
			out := p.newList(p.elems[base:])
			clear(p.elems[base:])
			p.elems = p.elems[:base]
			return out, nil
		default:
			return nil, p.errorf("expected ',' or ']'")
		}
	}
}

func (p *projector) str() (any, error) {
	s, ok, err := p.text()
	p.unfaithful = p.unfaithful || !ok
	return s, err
}

// text reads a string; ok is false when JavaScript would hold a different
// string than the Go one returned (lone surrogates, invalid UTF-8).
func (p *projector) text() (s string, ok bool, err error) {
	raw, plain, err := p.scanString()
	if err != nil {
		return "", false, err
	}
	if plain {
		return p.intern(raw), true, nil
	}
	if !hasEscape(raw) {
		return p.intern(raw), utf8.Valid(raw), nil
	}
	if !utf8.Valid(raw) {
		return "", false, nil
	}
	u, err := p.unescape(raw)
	if err != nil {
		return "", false, err
	}
	for i := 0; i < len(u); i++ {
		switch {
		case u[i] >= 0xD800 && u[i] < 0xDC00 && i+1 < len(u) && u[i+1] >= 0xDC00 && u[i+1] <= 0xDFFF:
			i++
		case utf16.IsSurrogate(rune(u[i])):
			return "", false, nil
		}
	}
	return string(utf16.Decode(u)), true, nil
}
