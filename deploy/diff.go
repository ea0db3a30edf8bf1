package deploy

import "github.com/pmezard/go-difflib/difflib"

// unifiedDiff is the unified diff (three lines of context) from old to
// new, or "" when they are equal.
func unifiedDiff(old, new []byte, oldName, newName string) string {
	if string(old) == string(new) {
		return ""
	}
	var a []string
	if len(old) > 0 {
		a = difflib.SplitLines(string(old))
	}
	d, err := difflib.GetUnifiedDiffString(difflib.UnifiedDiff{
		A: a, B: difflib.SplitLines(string(new)),
		FromFile: oldName, ToFile: newName, Context: 3,
	})
	if err != nil { // writes to a strings.Builder cannot fail
		return ""
	}
	return d
}
