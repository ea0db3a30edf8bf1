package policytest

import (
	"math"

	yaml "go.yaml.in/yaml/v4"

	"github.com/mfapolicy/mfapolicy/simulate"
)

// eventOf converts a YAML mapping into the JSON object of an event:
// mappings become objects (string keys only), lists arrays, and scalars
// strings, numbers, booleans or null as YAML resolves them (quote a value
// to keep it a string: '123', 'true').
func (l *loader) eventOf(n *yaml.Node, what string) (map[string]any, bool) {
	if n.Kind != yaml.MappingNode {
		l.errorf(l.pos(n), "not-a-mapping", "%s must be a mapping of event fields, not %s", what, nodeKind(n))
		return nil, false
	}
	budget := maxValues
	v, ok := l.value(n, 0, &budget)
	if !ok {
		return nil, false
	}
	return v.(map[string]any), true
}

// maxDepth bounds the nesting of an event in a test file; maxValues the
// values one event may hold once YAML aliases are expanded, so that a few
// lines of nested aliases ("billion laughs") cannot exhaust memory.
const (
	maxDepth  = 64
	maxValues = 100000
)

func (l *loader) value(n *yaml.Node, depth int, budget *int) (any, bool) {
	n = resolveAlias(n)
	if depth > maxDepth {
		l.errorf(l.pos(n), "too-deep", "the event nests deeper than %d levels", maxDepth)
		return nil, false
	}
	if *budget--; *budget < 0 {
		l.errorf(l.pos(n), "too-large", "the event holds more than %d values once its YAML aliases are expanded", maxValues)
		return nil, false
	}
	switch n.Kind {
	case yaml.MappingNode:
		m := map[string]any{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := resolveAlias(n.Content[i])
			if k.Kind != yaml.ScalarNode || k.Tag == "!!null" {
				l.errorf(l.pos(k), "bad-key", "event keys must be strings, not %s", nodeKind(k))
				return nil, false
			}
			if _, dup := m[k.Value]; dup {
				l.errorf(l.pos(k), "duplicate-key", "%q is given twice", k.Value)
				return nil, false
			}
			v, ok := l.value(n.Content[i+1], depth+1, budget)
			if !ok {
				return nil, false
			}
			m[k.Value] = v
		}
		return m, true
	case yaml.SequenceNode:
		list := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			v, ok := l.value(c, depth+1, budget)
			if !ok {
				return nil, false
			}
			list = append(list, v)
		}
		return list, true
	case yaml.ScalarNode:
		return l.scalar(n)
	}
	l.errorf(l.pos(n), "bad-value", "unsupported YAML value in an event")
	return nil, false
}

func (l *loader) scalar(n *yaml.Node) (any, bool) {
	switch n.Tag {
	case "!!null":
		return nil, true
	case "!!bool", "!!int", "!!float":
		var v any
		if err := n.Decode(&v); err != nil {
			l.errorf(l.pos(n), "bad-value", "%v", err)
			return nil, false
		}
		switch x := v.(type) {
		case int:
			return int64(x), true
		case uint64:
			if x > math.MaxInt64 {
				return float64(x), true
			}
			return int64(x), true
		case float64:
			if math.IsInf(x, 0) || math.IsNaN(x) {
				l.errorf(l.pos(n), "bad-value", "%s is not a JSON number", n.Value)
				return nil, false
			}
		}
		return v, true
	case "!!str", "":
		return n.Value, true
	}
	l.errorf(l.pos(n), "bad-value", "unsupported YAML tag %s; events hold JSON values", n.Tag)
	return nil, false
}

// merge lays over on top of base: mappings merge key by key, any other
// value of over replaces base's, and a null in over removes the key
// (the field is absent). Neither argument is modified.
func merge(base, over map[string]any) map[string]any {
	out := make(map[string]any, len(base)+len(over))
	for k, v := range base {
		out[k] = v
	}
	for k, v := range over {
		if v == nil {
			delete(out, k)
			continue
		}
		bm, bok := out[k].(map[string]any)
		om, ook := v.(map[string]any)
		if bok && ook {
			out[k] = merge(bm, om)
			continue
		}
		out[k] = v
	}
	return out
}

// withEnrolled returns the event with user.enrolledFactors filled from the
// assumption when it has none, as the simulator does, so that the
// reference evaluator and the Action see the same event.
func withEnrolled(ev map[string]any, assumed []string) map[string]any {
	user, isMap := ev["user"].(map[string]any)
	if ev["user"] != nil && !isMap {
		return ev // a user of the wrong type: both evaluators see it as is
	}
	if _, has := user["enrolledFactors"]; has && user["enrolledFactors"] != nil {
		return ev
	}
	factors := make([]any, len(assumed))
	for i, f := range assumed {
		factors[i] = map[string]any{"type": f}
	}
	nu := merge(user, map[string]any{})
	nu["enrolledFactors"] = factors
	out := merge(ev, map[string]any{})
	out["user"] = nu
	return out
}

// withMultifactor returns the event with user.multifactor derived as
// Auth0 fills it on every login (simulate.DeriveMultifactor), after the
// enrolled factors are filled: a case's event that carries multifactor
// keeps it. The case's own maps are not changed.
func withMultifactor(ev map[string]any) map[string]any {
	user, ok := ev["user"].(map[string]any)
	if !ok {
		return ev
	}
	out := merge(ev, map[string]any{})
	out["user"] = merge(user, map[string]any{})
	if simulate.DeriveMultifactor(out) == "" {
		return ev
	}
	return out
}
