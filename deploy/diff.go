package deploy

import (
	"strings"

	"github.com/pmezard/go-difflib/difflib"
)

// unifiedDiff is the unified diff (three lines of context) from old to
// new, or "" when they are equal.
func unifiedDiff(old, new []byte, oldName, newName string) string {
	if string(old) == string(new) {
		return ""
	}
	d, err := difflib.GetUnifiedDiffString(difflib.UnifiedDiff{
		A: lines(string(old)), B: lines(string(new)),
		FromFile: oldName, ToFile: newName, Context: 3,
	})
	if err != nil { // writes to a strings.Builder cannot fail
		return ""
	}
	return d
}

// lines splits s into lines that each end in a newline, marking a last
// line that had none as diff does.
func lines(s string) []string {
	if s == "" {
		return nil
	}
	out := strings.SplitAfter(s, "\n")
	if last := out[len(out)-1]; last == "" {
		out = out[:len(out)-1]
	} else {
		out[len(out)-1] = last + "\n\\ No newline at end of file\n"
	}
	return out
}
