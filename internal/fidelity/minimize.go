package fidelity

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"

	yaml "go.yaml.in/yaml/v4"
)

// Disagreement runs one policy and one event through all three evaluators
// and describes how they differ ("" when they agree).
func Disagreement(dir, src string, event any) string {
	c, err := NewCase(src)
	if err != nil {
		return "" // a smaller policy that no longer checks is not a smaller counter-example
	}
	line, err := json.Marshal(event)
	if err != nil {
		return ""
	}
	g, err := c.Goja([][]byte{line})
	if err != nil {
		return "goja: " + err.Error()
	}
	n, err := Node(dir, []*Case{c}, [][]byte{line})
	if err != nil {
		return "node: " + err.Error()
	}
	var ev any
	_ = json.Unmarshal(line, &ev)
	return Compare(c.Reference(ev), g[0], n[0][0])
}

// Minimize shrinks a disagreeing policy and event: it drops rules, then
// event keys and array elements, as long as the three still disagree.
func Minimize(dir, src string, event any) (string, any) {
	still := func(s string, e any) bool { return Disagreement(dir, s, e) != "" }
	src = minimizeRules(src, func(s string) bool { return still(s, event) })
	event = minimizeValue(event, func(e any) bool { return still(src, e) })
	return src, event
}

func minimizeRules(src string, fails func(string) bool) string {
	var doc yaml.Node
	if err := yaml.Load([]byte(src), &doc); err != nil || len(doc.Content) == 0 {
		return src
	}
	top := doc.Content[0]
	var rules *yaml.Node
	for i := 0; i+1 < len(top.Content); i += 2 {
		if top.Content[i].Value == "rules" {
			rules = top.Content[i+1]
		}
	}
	if rules == nil {
		return src
	}
	for i := len(rules.Content) - 1; i >= 0 && len(rules.Content) > 1; i-- {
		saved := rules.Content
		rules.Content = append(append([]*yaml.Node{}, saved[:i]...), saved[i+1:]...)
		out, err := yaml.Dump(&doc)
		if err == nil && fails(string(out)) {
			src = string(out)
			continue
		}
		rules.Content = saved
	}
	return src
}

// minimizeValue removes map keys and array elements of v while fails
// holds for the whole event; root is rebuilt for each attempt.
func minimizeValue(v any, fails func(any) bool) any {
	switch x := v.(type) {
	case map[string]any:
		for _, k := range slices.Sorted(maps.Keys(x)) {
			saved := x[k]
			delete(x, k)
			if fails(v) {
				continue
			}
			x[k] = saved
			x[k] = minimizeValue(saved, func(child any) bool {
				x[k] = child
				defer func() { x[k] = saved }()
				return fails(v)
			})
		}
	case []any:
		for i := len(x) - 1; i >= 0; i-- {
			shorter := append(append([]any{}, x[:i]...), x[i+1:]...)
			if fails(shorter) {
				x = shorter
			}
		}
		return x
	}
	return v
}

// Report formats a minimised counter-example for a test failure.
func Report(src string, event any, why string) string {
	ev, _ := json.Marshal(event)
	return fmt.Sprintf("evaluators disagree:\n  %s\npolicy:\n%s\nevent:\n%s\n", why, src, ev)
}
