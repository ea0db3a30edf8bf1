package main

import (
	"encoding/json"
	"fmt"

	"github.com/mfapolicy/mfapolicy/simulate"
)

// ReplayStats is how one policy's logins were replayed, as simulate and
// diff print it in their JSON summaries.
type ReplayStats = simulate.ReplayStats

// Replay is how a measured simulate or diff replayed its logins: Simulate
// for simulate, Base and Head for diff.
type Replay struct {
	// Logins is the number of logins each policy replayed.
	Logins   int64        `json:"logins"`
	Simulate *ReplayStats `json:"simulate,omitempty"`
	Base     *ReplayStats `json:"base,omitempty"`
	Head     *ReplayStats `json:"head,omitempty"`
}

// readReplay reads the replay statistics from the JSON summary of
// simulate or the JSON report of diff.
func readReplay(summary []byte) (*Replay, error) {
	var s struct {
		Replayed int64 `json:"replayed"`
		Replay   *struct {
			ReplayStats
			Base *ReplayStats `json:"base"`
			Head *ReplayStats `json:"head"`
		} `json:"replay"`
	}
	if err := json.Unmarshal(summary, &s); err != nil {
		return nil, fmt.Errorf("reading the JSON summary: %w", err)
	}
	if s.Replay == nil {
		return nil, fmt.Errorf("the JSON summary has no replay object")
	}
	r := &Replay{Logins: s.Replayed, Base: s.Replay.Base, Head: s.Replay.Head}
	if r.Base == nil && r.Head == nil {
		st := s.Replay.ReplayStats
		r.Simulate = &st
	}
	return r, nil
}

// each lists the statistics present, with the name of the policy they are of.
func (r *Replay) each() (names []string, stats []*ReplayStats) {
	for i, st := range []*ReplayStats{r.Simulate, r.Base, r.Head} {
		if st != nil {
			names, stats = append(names, []string{"", "base", "head"}[i]), append(stats, st)
		}
	}
	return names, stats
}

// InGojaShare is the share of the logins, over all the policies replayed,
// whose Action ran in goja.
func (r *Replay) InGojaShare() float64 {
	return r.share(func(st *ReplayStats) int64 { return st.InGoja })
}

// VerifiedShare is the share of the logins, over all the policies
// replayed, decided from their class and run in goja as well to check it.
func (r *Replay) VerifiedShare() float64 {
	return r.share(func(st *ReplayStats) int64 { return st.Verified })
}

func (r *Replay) share(count func(*ReplayStats) int64) float64 {
	_, stats := r.each()
	if r.Logins == 0 || len(stats) == 0 {
		return 0
	}
	var n int64
	for _, st := range stats {
		n += count(st)
	}
	return float64(n) / float64(r.Logins*int64(len(stats)))
}

// warnings says what a run's replay did unexpectedly: another mode than
// the one asked for, logins the classes could not place, classes given up.
func (r *Replay) warnings(run string, exact bool) []string {
	want := "classes"
	if exact {
		want = "exact"
	}
	var out []string
	names, stats := r.each()
	for i, st := range stats {
		who := run
		if names[i] != "" {
			who += " (" + names[i] + ")"
		}
		if st.Mode != want {
			out = append(out, fmt.Sprintf("%s: replayed in mode %q, not %q", who, st.Mode, want))
		}
		if st.Unclassified > 0 {
			out = append(out, fmt.Sprintf("%s: %d of %d logins could not be classified and ran in goja", who, st.Unclassified, r.Logins))
		}
		if st.GaveUp {
			out = append(out, who+": a worker gave up on decision classes (most logins could not be classified)")
		}
	}
	return out
}
