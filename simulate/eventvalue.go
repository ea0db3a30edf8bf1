package simulate

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"unicode/utf8"

	"github.com/dop251/goja"
)

// eventBuilder turns the JSON of one event into a JavaScript value in vm.
// It is the one step that dominates the cost of a replay, so it is kept
// swappable: buildFromGo is the default, buildWithJSONParse the reference.
type eventBuilder func(vm *goja.Runtime, data []byte) (goja.Value, error)

// buildWithJSONParse calls the runtime's own JSON.parse: exactly
// ECMAScript's semantics, and the reference buildFromGo is tested against.
func buildWithJSONParse(vm *goja.Runtime, data []byte) (goja.Value, error) {
	parse, ok := goja.AssertFunction(vm.Get("JSON").ToObject(vm).Get("parse"))
	if !ok {
		return nil, errors.New("JSON.parse is not a function")
	}
	return parse(goja.Undefined(), vm.ToValue(string(data)))
}

// buildFromGo decodes the JSON in Go and builds the objects directly, as
// JSON.parse would: keys in order, defined with DefineDataProperty so that
// a "__proto__" key stays an own property, every number a float64 parsed
// with round-to-nearest. The input has already been validated by the reader.
func buildFromGo(vm *goja.Runtime, data []byte) (goja.Value, error) {
	b := goBuilder{vm: vm, data: data}
	b.space()
	v, err := b.value()
	if err != nil {
		return nil, err
	}
	b.space()
	if b.pos != len(b.data) {
		return nil, b.errorf("unexpected data after the JSON value")
	}
	return v, nil
}

type goBuilder struct {
	vm   *goja.Runtime
	data []byte
	pos  int
}

func (b *goBuilder) errorf(format string, args ...any) error {
	return fmt.Errorf("invalid JSON at byte %d: %s", b.pos, fmt.Sprintf(format, args...))
}

func (b *goBuilder) space() {
	for b.pos < len(b.data) {
		switch b.data[b.pos] {
		case ' ', '\t', '\r', '\n':
			b.pos++
		default:
			return
		}
	}
}

func (b *goBuilder) value() (goja.Value, error) {
	if b.pos >= len(b.data) {
		return nil, b.errorf("unexpected end of input")
	}
	switch c := b.data[b.pos]; {
	case c == '{':
		return b.object()
	case c == '[':
		return b.array()
	case c == '"':
		s, err := b.str()
		if err != nil {
			return nil, err
		}
		return b.vm.ToValue(s), nil
	case c == 't':
		return b.literal("true", goja.Value(b.vm.ToValue(true)))
	case c == 'f':
		return b.literal("false", goja.Value(b.vm.ToValue(false)))
	case c == 'n':
		return b.literal("null", goja.Null())
	case c == '-' || (c >= '0' && c <= '9'):
		return b.number()
	}
	return nil, b.errorf("unexpected character %q", b.data[b.pos])
}

func (b *goBuilder) literal(word string, v goja.Value) (goja.Value, error) {
	if len(b.data)-b.pos < len(word) || string(b.data[b.pos:b.pos+len(word)]) != word {
		return nil, b.errorf("expected %s", word)
	}
	b.pos += len(word)
	return v, nil
}

func (b *goBuilder) object() (goja.Value, error) {
	b.pos++ // {
	obj := b.vm.NewObject()
	b.space()
	if b.pos < len(b.data) && b.data[b.pos] == '}' {
		b.pos++
		return obj, nil
	}
	for {
		b.space()
		if b.pos >= len(b.data) || b.data[b.pos] != '"' {
			return nil, b.errorf("expected a string key")
		}
		key, err := b.str()
		if err != nil {
			return nil, err
		}
		b.space()
		if b.pos >= len(b.data) || b.data[b.pos] != ':' {
			return nil, b.errorf("expected ':'")
		}
		b.pos++
		b.space()
		v, err := b.value()
		if err != nil {
			return nil, err
		}
		if err := obj.DefineDataProperty(key, v, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE); err != nil {
			return nil, err
		}
		b.space()
		if b.pos >= len(b.data) {
			return nil, b.errorf("unexpected end of input in an object")
		}
		switch b.data[b.pos] {
		case ',':
			b.pos++
		case '}':
			b.pos++
			return obj, nil
		default:
			return nil, b.errorf("expected ',' or '}'")
		}
	}
}

func (b *goBuilder) array() (goja.Value, error) {
	b.pos++ // [
	var items []any
	b.space()
	if b.pos < len(b.data) && b.data[b.pos] == ']' {
		b.pos++
		return b.vm.NewArray(), nil
	}
	for {
		b.space()
		v, err := b.value()
		if err != nil {
			return nil, err
		}
		items = append(items, v)
		b.space()
		if b.pos >= len(b.data) {
			return nil, b.errorf("unexpected end of input in an array")
		}
		switch b.data[b.pos] {
		case ',':
			b.pos++
		case ']':
			b.pos++
			return b.vm.NewArray(items...), nil
		default:
			return nil, b.errorf("expected ',' or ']'")
		}
	}
}

// str reads a JSON string. Strings without escapes are sliced directly;
// the rest go through encoding/json (which turns a lone surrogate escape
// into U+FFFD where JSON.parse would keep it: a documented difference).
func (b *goBuilder) str() (string, error) {
	start := b.pos
	b.pos++
	simple := true
	for b.pos < len(b.data) {
		c := b.data[b.pos]
		switch {
		case c == '"':
			b.pos++
			if simple {
				return string(b.data[start+1 : b.pos-1]), nil
			}
			var s string
			if err := json.Unmarshal(b.data[start:b.pos], &s); err != nil {
				return "", b.errorf("bad string: %v", err)
			}
			return s, nil
		case c == '\\':
			simple = false
			b.pos += 2
		case c < 0x20:
			return "", b.errorf("control character in a string")
		case c >= utf8.RuneSelf:
			simple = false
			b.pos++
		default:
			b.pos++
		}
	}
	return "", b.errorf("unterminated string")
}

func (b *goBuilder) number() (goja.Value, error) {
	start := b.pos
	for b.pos < len(b.data) {
		switch c := b.data[b.pos]; {
		case c >= '0' && c <= '9', c == '-', c == '+', c == '.', c == 'e', c == 'E':
			b.pos++
			continue
		}
		break
	}
	f, err := strconv.ParseFloat(string(b.data[start:b.pos]), 64)
	if err != nil {
		var ne *strconv.NumError
		if !errors.As(err, &ne) || ne.Err != strconv.ErrRange {
			return nil, b.errorf("bad number %q", b.data[start:b.pos])
		}
		// Out of range: ParseFloat returns ±Inf, as JSON.parse does.
	}
	return b.vm.ToValue(f), nil
}
