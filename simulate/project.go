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
type projector struct {
	scanner
	plan *readPlan
	// unfaithful is set when a decoded string or key cannot be held
	// exactly as JavaScript holds it.
	unfaithful bool
}

func newProjector(plan *readPlan) *projector { return &projector{plan: plan} }

// project decodes data following the plan. valid is false when the data is
// not valid JSON; faithful is false when a decoded string or key is not
// exactly what JavaScript would hold.
func (p *projector) project(data []byte) (v any, valid, faithful bool) {
	p.scanner = scanner{data: data, u16: p.u16}
	p.unfaithful = false
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
		return p.array()
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

// partial decodes an object with the members plan names; anything else
// whole.
func (p *projector) partial(plan *readPlan) (any, error) {
	if p.pos < len(p.data) && p.data[p.pos] == '{' {
		return p.object(plan)
	}
	return p.value()
}

func (p *projector) object(plan *readPlan) (any, error) {
	p.pos++ // {
	obj := map[string]any{}
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
		key, keyOK, err := p.text()
		if err != nil {
			return nil, err
		}
		p.space()
		if p.pos >= len(p.data) || p.data[p.pos] != ':' {
			return nil, p.errorf("expected ':'")
		}
		p.pos++
		p.space()
		var sub *readPlan
		if plan != nil {
			sub = plan.keys[key]
		}
		switch {
		case plan != nil && (sub == nil || !keyOK):
			// A key no plan names (one JavaScript would hold differently
			// cannot be a plan's key either).
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

func (p *projector) array() (any, error) {
	p.pos++ // [
	out := []any{}
	p.space()
	if p.pos < len(p.data) && p.data[p.pos] == ']' {
		p.pos++
		return out, nil
	}
	for {
		p.space()
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		out = append(out, v)
		p.space()
		if p.pos >= len(p.data) {
			return nil, p.errorf("unexpected end of input in an array")
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
		case ']':
			p.pos++
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
		return string(raw), true, nil
	}
	if !hasEscape(raw) {
		return string(raw), utf8.Valid(raw), nil
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
