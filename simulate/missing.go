package simulate

import (
	"slices"
	"sort"
	"strings"

	"github.com/mfapolicy/mfapolicy/simulate/input"
)

// assumedField is the field the simulator fills in from --assume-enrolled:
// its absence is reported under the assumptions, not as missing data.
const assumedField = "user.enrolledFactors"

// multifactorField is the field the simulator derives for a compiled
// policy as Auth0 fills it (multifactor.go): its absence is not reported
// where it was derived.
const multifactorField = "user.multifactor"

// derivedPresent is absent without multifactorField (absent itself when
// it does not hold it: the maps may be shared, and are read only).
func derivedPresent(absent map[string]bool) map[string]bool {
	if !absent[multifactorField] {
		return absent
	}
	out := make(map[string]bool, len(absent))
	for f := range absent {
		if f != multifactorField {
			out[f] = true
		}
	}
	return out
}

// fieldPath is a field the rules read: its name and the ref of its path
// in the lane's tree (input.FieldTree.Resolve).
type fieldPath struct {
	name string
	ref  int
}

// fieldPaths lists the distinct fields of ruleFields by name, resolved in
// tree; nil when ruleFields is.
func fieldPaths(ruleFields map[string][]string, tree *input.FieldTree) []fieldPath {
	if ruleFields == nil {
		return nil
	}
	seen := map[string]bool{}
	paths := []fieldPath{}
	for _, fields := range ruleFields {
		for _, f := range fields {
			if !seen[f] {
				seen[f] = true
				paths = append(paths, fieldPath{name: f, ref: tree.Resolve(strings.Split(f, "."))})
			}
		}
	}
	slices.SortFunc(paths, func(a, b fieldPath) int { return strings.Compare(a.name, b.name) })
	return paths
}

// noneAbsent is the answer when no field is absent (read only).
var noneAbsent = map[string]bool{}

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
