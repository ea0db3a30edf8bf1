package simulate

import (
	"sort"
	"strings"
)

// assumedField is the field the simulator fills in from --assume-enrolled:
// its absence is reported under the assumptions, not as missing data.
const assumedField = "user.enrolledFactors"

// fieldPaths lists the distinct fields of ruleFields, split at the dots;
// nil when ruleFields is.
func fieldPaths(ruleFields map[string][]string) [][]string {
	if ruleFields == nil {
		return nil
	}
	seen := map[string]bool{}
	paths := [][]string{}
	for _, fields := range ruleFields {
		for _, f := range fields {
			if !seen[f] {
				seen[f] = true
				paths = append(paths, strings.Split(f, "."))
			}
		}
	}
	return paths
}

// absentIn returns the paths that are absent or null in the event (decoded
// as encoding/json decodes into any), following docs/semantics.md: an
// object on the way that is absent or null makes every field below it
// absent. A value of another JSON type on the way is not absence (the rule
// errors instead). filled says the simulator fills
// event.user.enrolledFactors from its assumption.
func absentIn(event any, paths [][]string, filled bool) map[string]bool {
	out := map[string]bool{}
	for _, path := range paths {
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

func isAbsent(v any, path []string) bool {
	for _, key := range path {
		obj, ok := v.(map[string]any)
		switch {
		case v == nil:
			return true
		case !ok:
			return false
		}
		v = obj[key]
	}
	return v == nil
}

// fillTree sets event.user.enrolledFactors to [{type}, ...] in the decoded
// event, as fillEnrolled does in goja: event.user is made when it is
// absent or null, and a user of another JSON type is left alone.
func fillTree(event any, assumed []string) {
	ev, ok := event.(map[string]any)
	if !ok {
		return
	}
	var user map[string]any
	switch u := ev["user"].(type) {
	case nil:
		user = map[string]any{}
		ev["user"] = user
	case map[string]any:
		user = u
	default:
		return
	}
	list := make([]any, len(assumed))
	for i, f := range assumed {
		list[i] = map[string]any{"type": f}
	}
	user["enrolledFactors"] = list
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
