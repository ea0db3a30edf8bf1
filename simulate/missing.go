package simulate

import (
	"sort"
	"strings"

	"github.com/dop251/goja"
)

// assumedField is the field the simulator fills in from --assume-enrolled:
// its absence is reported under the assumptions, not as missing data.
const assumedField = "user.enrolledFactors"

// setFields makes the runner record which of the rules' fields each event
// lacks.
func (r *runner) setFields(ruleFields map[string][]string) {
	if ruleFields == nil {
		return
	}
	seen := map[string]bool{}
	r.paths = [][]string{}
	for _, fields := range ruleFields {
		for _, f := range fields {
			if !seen[f] {
				seen[f] = true
				r.paths = append(r.paths, strings.Split(f, "."))
			}
		}
	}
}

// absentPaths returns the runner's paths that are absent or null in the
// event, following docs/semantics.md: an object on the way that is absent
// or null makes every field below it absent. A value of the wrong type on
// the way is not absence (the rule errors instead). filled says the
// simulator fills event.user.enrolledFactors from its assumption.
func (r *runner) absentPaths(event *goja.Object, filled bool) map[string]bool {
	out := map[string]bool{}
	for _, path := range r.paths {
		name := strings.Join(path, ".")
		if filled && name == assumedField {
			continue
		}
		if isAbsent(event, path) {
			out[name] = true
		}
	}
	return out
}

func isAbsent(obj *goja.Object, path []string) bool {
	if obj == nil {
		return true
	}
	for i, key := range path {
		v := obj.Get(key)
		if v == nil || goja.IsUndefined(v) || goja.IsNull(v) {
			return true
		}
		if i == len(path)-1 {
			return false
		}
		o, ok := v.(*goja.Object)
		if !ok {
			return false
		}
		obj = o
	}
	return false
}

// missingFor lists the absent fields read by the rules evaluated for a
// decision: those before the deciding rule and the deciding rule itself,
// or every rule when the default decided (rule is "") or the rule is not
// in the list.
func missingFor(rules []string, ruleFields map[string][]string, rule string, absent map[string]bool) []string {
	if len(absent) == 0 {
		return nil
	}
	set := map[string]bool{}
	evaluated := rules
	for i, id := range rules {
		if id == rule {
			evaluated = rules[:i+1]
			break
		}
	}
	if len(rules) == 0 {
		for id := range ruleFields {
			evaluated = append(evaluated, id)
		}
	}
	for _, id := range evaluated {
		for _, f := range ruleFields[id] {
			if absent[f] {
				set[f] = true
			}
		}
	}
	if len(set) == 0 {
		return nil
	}
	out := make([]string, 0, len(set))
	for f := range set {
		out = append(out, f)
	}
	sort.Strings(out)
	return out
}
