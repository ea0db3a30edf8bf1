package policy

import (
	"fmt"
	"math"
	"reflect"

	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
)

// object is a typed view over one JSON object of the event: its fields are
// read lazily with the rules of docs/semantics.md (absent or null reads as
// the zero value, a wrong JSON type is an error naming the field path).
type object struct {
	typeName string
	// path names the object in messages; a child's is made from its
	// parent's when first needed (pathOf), since most reads need none.
	path    string
	parent  *object
	name    string
	index   int            // for an element of a list of objects: its index, else -1
	m       map[string]any // nil when absent
	adapter types.Adapter
	// reads keeps the fields read so far: a condition that reads a field
	// in a loop (a macro over a list) reads it once. Most conditions read
	// a field or two of an object, which first holds.
	reads []fieldRead
	first [2]fieldRead
	// arena hands out the objects below this one (nil: new ones).
	arena *objectArena
}

// objectArena holds the objects of one evaluation's event for the next
// evaluation to reuse: a Memo evaluates on one goroutine, and nothing an
// evaluation makes outlives it (its result is a bool or an error's text).
type objectArena struct {
	objs []*object
	n    int
}

// reset makes every object of the arena free again.
func (a *objectArena) reset() { a.n = 0 }

func (a *objectArena) next() *object {
	if a.n == len(a.objs) {
		a.objs = append(a.objs, new(object))
	}
	o := a.objs[a.n]
	a.n++
	return o
}

type fieldRead struct {
	name string
	v    any
	err  error
}

// pathOf returns the object's path, such as "event.request.geoip".
func (o *object) pathOf() string {
	if o.path == "" && o.parent != nil {
		o.path = o.parent.pathOf() + "." + o.name
		if o.index >= 0 {
			o.path = fmt.Sprintf("%s[%d]", o.path, o.index)
		}
	}
	return o.path
}

// child is the object of the message field name, read from m.
func (o *object) child(typeName, name string, index int, m map[string]any) *object {
	c := object{typeName: typeName, parent: o, name: name, index: index, m: m, adapter: o.adapter, arena: o.arena}
	if o.arena == nil {
		return &c
	}
	p := o.arena.next()
	*p = c
	return p
}

func (o *object) ConvertToNative(t reflect.Type) (any, error) {
	return nil, fmt.Errorf("%s cannot be converted to %v", o.typeName, t)
}

func (o *object) ConvertToType(t ref.Type) ref.Val {
	if t == types.TypeType {
		return types.NewObjectType(o.typeName)
	}
	return types.NewErr("type conversion error from '%s' to '%s'", o.typeName, t.TypeName())
}

func (o *object) Equal(ref.Val) ref.Val {
	return types.NewErr("objects of the event cannot be compared as a whole")
}

func (o *object) Type() ref.Type { return types.NewObjectType(o.typeName) }

func (o *object) Value() any { return o }

// IsSet reports whether the field is present and not null.
func (o *object) IsSet(field ref.Val) ref.Val {
	name, ok := field.(types.String)
	if !ok {
		return types.ValOrErr(field, "no such overload")
	}
	v, present := o.m[string(name)]
	return types.Bool(present && v != nil)
}

// Get reads a member when the object is reached dynamically: through
// dyn() or an index. The object then reads as its JSON, as the Action's
// event object reads in the compiled code (rt.select, rt.index_map): an
// absent member is an error, null is null and a value keeps the type it
// has in the record, not the schema's, nor the schema's zero value.
// (A field selected on the object's own type is read by the provider,
// following the missing-data rules.)
func (o *object) Get(field ref.Val) ref.Val {
	name, ok := field.(types.String)
	if !ok {
		return types.ValOrErr(field, "no such overload")
	}
	raw, present := o.m[string(name)]
	if !present {
		return types.NewErr("no such key: %s", string(name))
	}
	return o.adapter.NativeToValue(raw)
}

// read returns the CEL value of field f, following the missing-data rules.
func (o *object) read(f Field) (any, error) {
	for _, r := range o.reads {
		if r.name == f.Name {
			return r.v, r.err
		}
	}
	v, err := o.readOnce(f)
	if o.reads == nil {
		o.reads = o.first[:0]
	}
	o.reads = append(o.reads, fieldRead{name: f.Name, v: v, err: err})
	return v, err
}

func (o *object) readOnce(f Field) (any, error) {
	raw := o.m[f.Name]
	if raw == nil {
		return o.zeroValue(f), nil
	}
	path := func() string { return o.pathOf() + "." + f.Name }
	switch f.Kind {
	case String:
		if s, ok := raw.(string); ok {
			return types.String(s), nil
		}
	case Bool:
		if b, ok := raw.(bool); ok {
			return types.Bool(b), nil
		}
	case Double:
		if d, ok := raw.(float64); ok {
			return types.Double(d), nil
		}
	case Int:
		if d, ok := raw.(float64); ok {
			if d != math.Trunc(d) || d < -9223372036854775808 || d >= 9223372036854775808 {
				return nil, fmt.Errorf("%s: %v is not a whole number in the int range", path(), d)
			}
			return types.Int(int64(d)), nil
		}
	case StringList:
		if l, ok := raw.([]any); ok {
			out := make([]string, len(l))
			for i, e := range l {
				s, ok := e.(string)
				if !ok {
					return nil, fmt.Errorf("%s[%d]: expected a string, got %s", path(), i, jsonKind(e))
				}
				out[i] = s
			}
			return types.NewStringList(o.adapter, out), nil
		}
	case StringMap:
		if m, ok := raw.(map[string]any); ok {
			out := make(map[string]string, len(m))
			for k, e := range m {
				s, ok := e.(string)
				if !ok {
					return nil, fmt.Errorf("%s.%s: expected a string, got %s", path(), k, jsonKind(e))
				}
				out[k] = s
			}
			return types.NewStringStringMap(o.adapter, out), nil
		}
	case DynMap:
		if m, ok := raw.(map[string]any); ok {
			return types.NewStringInterfaceMap(o.adapter, m), nil
		}
	case Message:
		if m, ok := raw.(map[string]any); ok {
			return o.child(f.Elem, f.Name, -1, m), nil
		}
	case MessageList:
		if l, ok := raw.([]any); ok {
			out := make([]ref.Val, len(l))
			for i, e := range l {
				m, ok := e.(map[string]any)
				if !ok {
					return nil, fmt.Errorf("%s[%d]: expected an object, got %s", path(), i, jsonKind(e))
				}
				out[i] = o.child(f.Elem, f.Name, i, m)
			}
			return types.NewRefValList(o.adapter, out), nil
		}
	}
	return nil, fmt.Errorf("%s: expected %s, got %s", path(), kindName(f.Kind), jsonKind(raw))
}

// zeroValue is the value of field f when it is absent or null.
func (o *object) zeroValue(f Field) any {
	a := o.adapter
	switch f.Kind {
	case String:
		return types.String("")
	case Bool:
		return types.False
	case Int:
		return types.IntZero
	case Double:
		return types.Double(0)
	case StringList:
		return types.NewStringList(a, nil)
	case StringMap:
		return types.NewStringStringMap(a, map[string]string{})
	case DynMap:
		return types.NewStringInterfaceMap(a, map[string]any{})
	case Message:
		return o.child(f.Elem, f.Name, -1, nil)
	case MessageList:
		return types.NewRefValList(a, nil)
	}
	panic("policy: unknown field kind")
}

func kindName(k Kind) string {
	switch k {
	case String:
		return "a string"
	case Bool:
		return "a boolean"
	case Int:
		return "a whole number"
	case Double:
		return "a number"
	case StringList:
		return "an array of strings"
	case StringMap:
		return "an object of strings"
	case DynMap, Message:
		return "an object"
	case MessageList:
		return "an array of objects"
	}
	return "?"
}

// jsonKind names the JSON type of a decoded value the way a user reads it.
func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case float64:
		return "a number"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}
