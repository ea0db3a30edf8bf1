package input

import (
	"unsafe"

	"github.com/mfapolicy/mfapolicy/simulate/internal/jsonscan"
)

// Projector decodes JSON values into plain Go values, the way
// encoding/json decodes into any (map[string]any, []any, string, float64,
// bool and nil), for the classifier's reads of a login's fields
// (Located.Tree).
//
// It follows JSON.parse, not encoding/json, where the two differ: the last
// of duplicate keys wins whole, and numbers out of float64's range are
// ±Inf. A string that JavaScript holds but a Go string cannot (a lone
// surrogate, invalid UTF-8) makes the value unfaithful: the caller then
// replays that login in goja instead of classifying it.
//
// Its values are valid until the next Reset, and only while the record
// they were decoded from is: its maps and slices are reused, and its plain
// strings are the record's own bytes, so that a login allocates almost
// nothing. Whatever outlives a login (the summary's facts) is copied by
// decodeText instead.
type Projector struct {
	jsonscan.Scanner
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

func NewProjector() *Projector {
	return &Projector{strs: map[string]string{}}
}

// newMap hands out an empty map, reusing one of an earlier projection.
func (p *Projector) newMap() map[string]any {
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
func (p *Projector) newList(elems []any) []any {
	if p.nlist == len(p.lists) {
		p.lists = append(p.lists, nil)
	}
	l := append(p.lists[p.nlist][:0], elems...)
	if l == nil {
		l = []any{} // an empty array is an empty list, not nil
	}
	p.lists[p.nlist] = l
	p.nlist++
	return l
}

// intern returns raw as a string, shared with earlier projections when it
// is short.
func (p *Projector) intern(raw []byte) string {
	if len(raw) > jsonscan.MaxInternedLen {
		return string(raw)
	}
	if s, ok := p.strs[string(raw)]; ok {
		return s
	}
	s := string(raw)
	if len(p.strs) >= jsonscan.MaxInterned {
		clear(p.strs)
	}
	p.strs[s] = s
	return s
}

func (p *Projector) value() (any, error) {
	if p.Pos >= len(p.Data) {
		return nil, p.Errorf("unexpected end of input")
	}
	switch c := p.Data[p.Pos]; {
	case c == '{':
		return p.object()
	case c == '[':
		return p.array()
	case c == '"':
		return p.str()
	case c == 't':
		return true, p.Word("true")
	case c == 'f':
		return false, p.Word("false")
	case c == 'n':
		return nil, p.Word("null")
	case c == '-' || (c >= '0' && c <= '9'):
		return p.Number()
	}
	return nil, p.Errorf("unexpected character %q", p.Data[p.Pos])
}

func (p *Projector) object() (any, error) {
	p.Pos++ // {
	obj := p.newMap()
	p.Space()
	if p.Pos < len(p.Data) && p.Data[p.Pos] == '}' {
		p.Pos++
		return obj, nil
	}
	for {
		p.Space()
		if p.Pos >= len(p.Data) || p.Data[p.Pos] != '"' {
			return nil, p.Errorf("expected a string key")
		}
		key, keyOK, err := p.text()
		if err != nil {
			return nil, err
		}
		p.Space()
		if p.Pos >= len(p.Data) || p.Data[p.Pos] != ':' {
			return nil, p.Errorf("expected ':'")
		}
		p.Pos++
		p.Space()
		obj[key], err = p.value()
		p.unfaithful = p.unfaithful || !keyOK
		if err != nil {
			return nil, err
		}
		p.Space()
		if p.Pos >= len(p.Data) {
			return nil, p.Errorf("unexpected end of input in an object")
		}
		switch p.Data[p.Pos] {
		case ',':
			p.Pos++
		case '}':
			p.Pos++
			return obj, nil
		default:
			return nil, p.Errorf("expected ',' or '}'")
		}
	}
}

func (p *Projector) array() (any, error) {
	p.Pos++ // [
	p.Space()
	if p.Pos < len(p.Data) && p.Data[p.Pos] == ']' {
		p.Pos++
		return p.newList(nil), nil
	}
	base := len(p.elems)
	for {
		p.Space()
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		p.elems = append(p.elems, v)
		p.Space()
		if p.Pos >= len(p.Data) {
			return nil, p.Errorf("unexpected end of input in an array")
		}
		switch p.Data[p.Pos] {
		case ',':
			p.Pos++
		case ']':
			p.Pos++
			out := p.newList(p.elems[base:])
			clear(p.elems[base:])
			p.elems = p.elems[:base]
			return out, nil
		default:
			return nil, p.Errorf("expected ',' or ']'")
		}
	}
}

func (p *Projector) str() (any, error) {
	s, ok, err := p.text()
	p.unfaithful = p.unfaithful || !ok
	return s, err
}

// text reads a string; ok is false when JavaScript would hold a different
// string than the Go one returned (lone surrogates, invalid UTF-8).
func (p *Projector) text() (s string, ok bool, err error) {
	raw, plain, err := p.ScanString()
	if err != nil {
		return "", false, err
	}
	if plain {
		// The record's own bytes: projected values live until the next
		// record, and are read, never kept (see the type's comment).
		if len(raw) == 0 {
			return "", true, nil
		}
		return unsafe.String(&raw[0], len(raw)), true, nil
	}
	if err := p.CheckEscapes(raw); err != nil {
		return "", false, err
	}
	s, ok = p.decodeText(raw)
	return s, ok, nil
}

// Reset makes the containers of earlier projections free again.
func (p *Projector) Reset() { p.nmaps, p.nlist = 0, 0 }

// ProjectValue decodes one whole value, keeping the containers handed out
// since the last reset.
func (p *Projector) ProjectValue(data []byte) (v any, valid, faithful bool) {
	p.Scanner = jsonscan.Scanner{Data: data, U16: p.U16}
	p.unfaithful = false
	v, err := p.value()
	valid = err == nil && p.Pos == len(p.Data)
	return v, valid, valid && !p.unfaithful
}

// Fill sets event.user.enrolledFactors to [{type}, ...] in a projected
// event, as simulate's fillEnrolled does in goja: event.user is made when
// it is absent or null, and a user of another JSON type is left alone.
func (p *Projector) Fill(event any, assumed []string) {
	ev, ok := event.(map[string]any)
	if !ok {
		return
	}
	var user map[string]any
	switch u := ev["user"].(type) {
	case nil:
		user = p.newMap()
		ev["user"] = user
	case map[string]any:
		user = u
	default:
		return
	}
	base := len(p.elems)
	for _, f := range assumed {
		m := p.newMap()
		m["type"] = f
		p.elems = append(p.elems, m)
	}
	user["enrolledFactors"] = p.newList(p.elems[base:])
	clear(p.elems[base:])
	p.elems = p.elems[:base]
}
