package simulate

import (
	"sort"
	"strings"

	"github.com/mfapolicy/mfapolicy/simulate/engine"
)

// RuleWarningPrefix starts the note a login gets when its Rule used a shape
// that was never Auth0's API.
const RuleWarningPrefix = engine.RuleWarningPrefix

// Warnings gathers the distinct notes with a given prefix over a run, with
// how many logins carried each: once per shape per run, however many
// logins used it. Observe it from Options.OnDecision.
type Warnings struct {
	Prefix string
	counts map[string]int64
	order  []string
}

// Observe counts the matching notes of one decision.
func (w *Warnings) Observe(d Decision) {
	for _, n := range d.Notes {
		if !strings.HasPrefix(n, w.Prefix) {
			continue
		}
		if w.counts == nil {
			w.counts = map[string]int64{}
		}
		if _, ok := w.counts[n]; !ok {
			w.order = append(w.order, n)
		}
		w.counts[n]++
	}
}

// List returns each distinct note once with the number of logins that
// carried it, sorted by note.
func (w *Warnings) List() []Count {
	out := make([]Count, 0, len(w.order))
	for _, n := range w.order {
		out = append(out, Count{Name: n, Count: w.counts[n]})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
