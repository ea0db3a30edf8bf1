package engine

import (
	"errors"
	"unicode/utf16"

	"github.com/dop251/goja"

	"github.com/mfapolicy/mfapolicy/simulate/internal/jsonscan"
)

// EventBuilder turns the JSON of one event into a JavaScript value in vm.
// It is the step that dominates the cost of a replay of a small Action.
// Runners use a decoder (below) unless a builder is set (tests and
// benchmarks); BuildWithJSONParse is the reference the decoder is tested
// against.
type EventBuilder func(vm *goja.Runtime, data []byte) (goja.Value, error)

// BuildWithJSONParse calls the runtime's own JSON.parse: exactly
// ECMAScript's semantics, and the reference the decoder is tested against.
func BuildWithJSONParse(vm *goja.Runtime, data []byte) (goja.Value, error) {
	parse, ok := goja.AssertFunction(vm.Get("JSON").ToObject(vm).Get("parse"))
	if !ok {
		return nil, errors.New("JSON.parse is not a function")
	}
	return parse(goja.Undefined(), vm.ToValue(string(data)))
}

// BuildFromGo builds every part of the event with a fresh decoder.
func BuildFromGo(vm *goja.Runtime, data []byte) (goja.Value, error) {
	return NewDecoder(vm, nil).Build(data)
}

// Decoder builds JavaScript values from event JSON in Go, as JSON.parse
// would: keys in order, defined as own data properties (so that a
// "__proto__" key stays an own property), the last of duplicate keys wins
// at the place of the first, every number a float64 rounded to nearest
// (1e400 is Infinity, as in Node.js; goja's JSON.parse rejects it), escapes
// decoded to UTF-16 with lone surrogates kept. With a plan (readplan.go) it
// builds only the parts of the event the Action can observe and skips the
// other bytes. One Decoder belongs to one runtime and reuses its buffers;
// short strings and keys are shared between events (JavaScript strings are
// immutable values, so sharing them cannot be observed).
type Decoder struct {
	jsonscan.Scanner
	vm    *goja.Runtime
	Plan  *ReadPlan
	stack []any // array elements being collected
	keys  map[string]string
	strs  map[string]goja.Value
	// defineLone is Object.defineProperty as it was before the Action
	// ran, for keys holding a lone surrogate, which goja's Go API cannot
	// name.
	defineLone goja.Callable
	// Define says that members must be defined, not assigned: something
	// on Object.prototype would take the assignment.
	Define bool
	// Checked says that every input has been checked as JSON already (the
	// simulator's reader validates each record before a runner sees
	// it), so that the members a plan leaves out are passed over without
	// checking them again (jsonscan.SkipChecked): what is built is still
	// read as strictly as before.
	Checked bool
	// index is where the members of the record being built are
	// (BuildIndexed), nil when they are not known.
	index *jsonscan.Index
	// Reuse lets each event have the objects built for the last one
	// wherever it has the same members (reuse.go): set it only for code
	// that neither keeps an event nor changes it (a compiled policy).
	// last is the last event's root, nil when there is none to reuse.
	Reuse bool
	last  *shape
	// values are the lists built under Reuse, by their text (reuse.go).
	values map[string]goja.Value
	// staleValue stands for a kept member that must be set again
	// (ForgetMember).
	staleValue goja.Value
}

func NewDecoder(vm *goja.Runtime, plan *ReadPlan) *Decoder {
	d := &Decoder{vm: vm, Plan: plan, keys: map[string]string{}, strs: map[string]goja.Value{}}
	fn, err := vm.RunString(`(function (defineProperty) {
  return function (o, k, v) { defineProperty(o, k, {value: v, writable: true, enumerable: true, configurable: true}); };
})(Object.defineProperty)`)
	if err != nil {
		panic(err) // a fresh runtime always has Object.defineProperty
	}
	d.defineLone, _ = goja.AssertFunction(fn)
	return d
}

// Build decodes one event. Input that is not valid JSON is an error (the
// reader has validated every record it hands on, so this is for callers
// that have not).
func (d *Decoder) Build(data []byte) (v goja.Value, err error) {
	return d.BuildIndexed(data, nil)
}

// BuildIndexed is Build for a record whose members a pass over all of it
// has already found (idx, used only when it describes data: see
// jsonscan.Index.For): under a plan, the decoder goes from member to
// member of the objects idx holds, reading only the keys and the values
// it builds, in the order of the record as when it scans them.
func (d *Decoder) BuildIndexed(data []byte, idx *jsonscan.Index) (v goja.Value, err error) {
	d.Scanner = jsonscan.Scanner{Data: data, U16: d.U16}
	d.index = idx.For(data)
	defer func() { d.Data, d.stack, d.index = nil, d.stack[:0], nil }()
	d.Space()
	switch {
	case d.Plan == nil || d.Plan.Whole:
		v, err = d.value()
	case d.index != nil && d.index.Objects[0].Start == d.Pos && d.Reuse && !d.Define:
		v, d.last, err = d.reused(d.Plan, &d.index.Objects[0], d.last)
	case d.index != nil && d.index.Objects[0].Start == d.Pos:
		v, err = d.indexed(d.Plan, &d.index.Objects[0])
	default:
		v, err = d.partial(d.Plan, nil)
	}
	if err != nil {
		d.last = nil
		return nil, err
	}
	d.Space()
	if d.Pos != len(d.Data) {
		return nil, d.Errorf("unexpected data after the JSON value")
	}
	return v, nil
}

// value builds the whole value at d.pos.
func (d *Decoder) value() (goja.Value, error) {
	if d.Pos >= len(d.Data) {
		return nil, d.Errorf("unexpected end of input")
	}
	switch c := d.Data[d.Pos]; {
	case c == '{':
		return d.object(nil)
	case c == '[':
		return d.array()
	case c == '"':
		return d.stringValue()
	case c == 't':
		return d.literal("true", d.vm.ToValue(true))
	case c == 'f':
		return d.literal("false", d.vm.ToValue(false))
	case c == 'n':
		return d.literal("null", goja.Null())
	case c == '-' || (c >= '0' && c <= '9'):
		return d.number()
	}
	return nil, d.Errorf("unexpected character %q", d.Data[d.Pos])
}

// partial builds the value at d.pos following plan: an object gets only
// the members the plan names; anything else is built whole. o is the
// index's entry of the object, nil when there is none.
func (d *Decoder) partial(plan *ReadPlan, o *jsonscan.Object) (goja.Value, error) {
	if d.Pos < len(d.Data) && d.Data[d.Pos] == '{' {
		if o != nil {
			return d.indexed(plan, o)
		}
		return d.object(plan)
	}
	return d.value()
}

// indexed builds the object o of the index following plan, as object
// does: the members plan names, in the order of the record, a duplicate
// key at the place of the first with the value of the last.
func (d *Decoder) indexed(plan *ReadPlan, o *jsonscan.Object) (goja.Value, error) {
	obj := d.vm.NewObject()
	for i := range o.Members {
		m := &o.Members[i]
		key, lone, sub, _, err := d.planned(plan, m)
		if err != nil {
			return nil, err
		}
		if sub == nil {
			continue
		}
		d.Pos = int(m.Val)
		var v goja.Value
		if sub.Whole {
			v, err = d.value()
		} else {
			v, err = d.partial(sub, d.index.At(m))
		}
		if err != nil {
			return nil, err
		}
		if err := d.put(obj, key, lone, v); err != nil {
			return nil, err
		}
	}
	d.Pos = o.End
	return obj, nil
}

// planned makes the key of member m and finds its plan, nil for a member
// plan leaves out; escaped says that the key holds an escape.
func (d *Decoder) planned(plan *ReadPlan, m *jsonscan.Member) (key string, lone goja.Value, sub *ReadPlan, escaped bool, err error) {
	raw := d.Data[m.Key:m.KeyEnd]
	escaped = !m.Plain && jsonscan.HasEscape(raw)
	if !escaped && plan.Keys[string(raw)] == nil {
		return "", nil, nil, escaped, nil
	}
	key, lone, err = d.key(raw, escaped)
	if err != nil {
		return "", nil, nil, escaped, err
	}
	return key, lone, plan.Keys[key], escaped, nil
}

func (d *Decoder) literal(word string, v goja.Value) (goja.Value, error) {
	if err := d.Word(word); err != nil {
		return nil, err
	}
	return v, nil
}

// object builds the object at d.pos: every member when plan is nil, else
// the members plan names (each after its own plan), skipping the others.
func (d *Decoder) object(plan *ReadPlan) (goja.Value, error) {
	d.Pos++ // {
	obj := d.vm.NewObject()
	d.Space()
	if d.Pos < len(d.Data) && d.Data[d.Pos] == '}' {
		d.Pos++
		return obj, nil
	}
	for {
		d.Space()
		if d.Pos >= len(d.Data) || d.Data[d.Pos] != '"' {
			return nil, d.Errorf("expected a string key")
		}
		raw, plain, err := d.ScanString()
		if err != nil {
			return nil, err
		}
		escaped := !plain && jsonscan.HasEscape(raw)
		if plan != nil && d.Checked && !escaped && plan.Keys[string(raw)] == nil {
			// A member the plan leaves out, of a checked record: passed
			// over without making its key.
			d.Space()
			d.Pos++ // :
			d.Space()
			d.SkipChecked()
			d.Space()
			if d.Pos >= len(d.Data) {
				return nil, d.Errorf("unexpected end of input in an object")
			}
			if d.Data[d.Pos] == '}' {
				d.Pos++
				return obj, nil
			}
			d.Pos++ // ,
			continue
		}
		key, lone, err := d.key(raw, escaped)
		if err != nil {
			return nil, err
		}
		d.Space()
		if d.Pos >= len(d.Data) || d.Data[d.Pos] != ':' {
			return nil, d.Errorf("expected ':'")
		}
		d.Pos++
		d.Space()
		var v goja.Value
		switch {
		case plan == nil:
			v, err = d.value()
		default:
			sub := plan.Keys[key]
			switch {
			case sub == nil && d.Checked:
				d.SkipChecked()
			case sub == nil:
				err = d.Skip()
			case sub.Whole:
				v, err = d.value()
			default:
				v, err = d.partial(sub, nil)
			}
		}
		if err != nil {
			return nil, err
		}
		if v != nil {
			if err := d.put(obj, key, lone, v); err != nil {
				return nil, err
			}
		}
		d.Space()
		if d.Pos >= len(d.Data) {
			return nil, d.Errorf("unexpected end of input in an object")
		}
		switch d.Data[d.Pos] {
		case ',':
			d.Pos++
		case '}':
			d.Pos++
			return obj, nil
		default:
			return nil, d.Errorf("expected ',' or '}'")
		}
	}
}

// put makes member key (lone, when it holds a lone surrogate) of the
// fresh object obj hold v, as JSON.parse does.
func (d *Decoder) put(obj *goja.Object, key string, lone, v goja.Value) error {
	switch {
	case lone != nil:
		_, err := d.defineLone(goja.Undefined(), obj, lone, v)
		return err
	case key == "__proto__":
		// An own property, as JSON.parse makes it; assigning it would
		// set the prototype instead.
		return obj.DefineDataProperty(key, v, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE)
	case d.Define:
		return obj.DefineDataProperty(key, v, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE)
	}
	// On a fresh object whose prototype is Object.prototype, whose only
	// setter is __proto__, assigning makes (or, for a duplicate key,
	// overwrites in place) a writable, enumerable, configurable own
	// property: what defining it does, with half the allocations. A
	// hand-written Action may add accessors or read-only properties to
	// Object.prototype; the runner's watch (handlerplan.go) then sets
	// Define.
	return obj.Set(key, v)
}

func (d *Decoder) array() (goja.Value, error) {
	d.Pos++ // [
	d.Space()
	if d.Pos < len(d.Data) && d.Data[d.Pos] == ']' {
		d.Pos++
		return d.vm.NewArray(), nil
	}
	base := len(d.stack)
	for {
		d.Space()
		v, err := d.value()
		if err != nil {
			return nil, err
		}
		d.stack = append(d.stack, v)
		d.Space()
		if d.Pos >= len(d.Data) {
			return nil, d.Errorf("unexpected end of input in an array")
		}
		switch d.Data[d.Pos] {
		case ',':
			d.Pos++
		case ']':
			d.Pos++
			arr := d.vm.NewArray(d.stack[base:]...)
			clear(d.stack[base:])
			d.stack = d.stack[:base]
			return arr, nil
		default:
			return nil, d.Errorf("expected ',' or ']'")
		}
	}
}

// key makes the object key whose raw contents are raw (escaped: holding
// escapes) the Go string goja's property API takes, or a JavaScript string
// (lone) when it holds a lone surrogate, which a Go string cannot.
func (d *Decoder) key(raw []byte, escaped bool) (k string, lone goja.Value, err error) {
	if !escaped {
		if k, ok := d.keys[string(raw)]; ok {
			return k, nil, nil
		}
		k := string(raw)
		if len(d.keys) < jsonscan.MaxInterned && len(raw) <= jsonscan.MaxInternedLen {
			d.keys[k] = k
		}
		return k, nil, nil
	}
	u, err := d.Unescape(raw)
	if err != nil {
		return "", nil, err
	}
	for i := 0; i < len(u); i++ {
		switch {
		case u[i] >= 0xD800 && u[i] < 0xDC00 && i+1 < len(u) && u[i+1] >= 0xDC00 && u[i+1] <= 0xDFFF:
			i++
		case utf16.IsSurrogate(rune(u[i])):
			return "", goja.StringFromUTF16(u), nil
		}
	}
	return string(utf16.Decode(u)), nil, nil
}

// stringValue reads a string value.
func (d *Decoder) stringValue() (goja.Value, error) {
	raw, plain, err := d.ScanString()
	if err != nil {
		return nil, err
	}
	if !plain && jsonscan.HasEscape(raw) {
		u, err := d.Unescape(raw)
		if err != nil {
			return nil, err
		}
		return goja.StringFromUTF16(u), nil
	}
	// Raw UTF-8 is converted by goja as it converts the whole input of
	// JSON.parse, so invalid bytes become U+FFFD the same way.
	if len(raw) > jsonscan.MaxInternedLen {
		return d.vm.ToValue(string(raw)), nil
	}
	if v, ok := d.strs[string(raw)]; ok {
		return v, nil
	}
	v := d.vm.ToValue(string(raw))
	if len(d.strs) >= jsonscan.MaxInterned {
		clear(d.strs)
	}
	d.strs[string(raw)] = v
	return v, nil
}

// number reads a number as JSON.parse does.
func (d *Decoder) number() (goja.Value, error) {
	f, err := d.Scanner.Number()
	if err != nil {
		return nil, err
	}
	return d.vm.ToValue(f), nil
}
