package policy

import (
	"fmt"

	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
)

// provider adds the event struct types to CEL's standard registry, so the
// checker knows every field's type and the interpreter reads fields through
// object.read.
type provider struct {
	*types.Registry
}

func newProvider() (*provider, error) {
	reg, err := types.NewRegistry()
	if err != nil {
		return nil, err
	}
	return &provider{Registry: reg}, nil
}

func (p *provider) FindStructType(name string) (*types.Type, bool) {
	if _, ok := schema[name]; ok {
		return types.NewTypeTypeWithParam(types.NewObjectType(name)), true
	}
	return p.Registry.FindStructType(name)
}

func (p *provider) FindStructFieldNames(name string) ([]string, bool) {
	if _, ok := schema[name]; ok {
		return FieldNames(name), true
	}
	return p.Registry.FindStructFieldNames(name)
}

func (p *provider) FindStructFieldType(name, field string) (*types.FieldType, bool) {
	if _, ok := schema[name]; !ok {
		return p.Registry.FindStructFieldType(name, field)
	}
	f, ok := LookupField(name, field)
	if !ok {
		return nil, false
	}
	return &types.FieldType{
		Type: f.CELType(),
		IsSet: func(target any) bool {
			o, ok := target.(*object)
			if !ok {
				return false
			}
			v, present := o.m[field]
			return present && v != nil
		},
		GetFrom: func(target any) (any, error) {
			o, ok := target.(*object)
			if !ok {
				return nil, fmt.Errorf("no such field %q", field)
			}
			return o.read(f)
		},
	}, true
}

func (p *provider) NewValue(name string, fields map[string]ref.Val) ref.Val {
	if _, ok := schema[name]; ok {
		return types.NewErr("event objects cannot be constructed in a policy")
	}
	return p.Registry.NewValue(name, fields)
}
