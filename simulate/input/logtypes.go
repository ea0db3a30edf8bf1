package input

import "sort"

// ReplayedLogTypes lists, sorted, the tenant log types that simulate maps
// onto a post-login event and replays (see replayedLogTypes); logs of
// every other type are counted and skipped. `mfapolicy logs pull` keeps
// these types by default.
func ReplayedLogTypes() []string {
	out := make([]string, 0, len(replayedLogTypes))
	for t := range replayedLogTypes {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}
