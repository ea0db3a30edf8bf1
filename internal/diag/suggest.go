package diag

import (
	"sort"
	"strings"

	"github.com/agnivade/levenshtein"
)

// Suggest returns the candidate closest to word when it is close enough to
// be a likely typo ("did you mean"), or "" when none is.
func Suggest(word string, candidates []string) string {
	best, bestDist := "", -1
	sorted := append([]string(nil), candidates...)
	sort.Strings(sorted)
	lw := strings.ToLower(word)
	for _, c := range sorted {
		if strings.ToLower(c) == lw {
			return c
		}
		d := levenshtein.ComputeDistance(lw, strings.ToLower(c))
		if bestDist < 0 || d < bestDist {
			best, bestDist = c, d
		}
	}
	limit := 2
	if len(word) >= 8 {
		limit = 3
	}
	if bestDist < 0 || bestDist > limit || bestDist >= len(word) {
		return ""
	}
	return best
}
