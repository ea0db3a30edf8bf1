// Command mfapolicy type-checks adaptive-MFA policies written in CEL,
// compiles them into an Auth0 post-login Action, and replays recorded logins
// through that exact Action to preview every decision before deployment.
package main

import (
	"os"
	"runtime/debug"
	"time"
)

// The collector's settings when GOGC and GOMEMLIMIT are not set. Replaying
// logins allocates fast but keeps little alive (5 to 20 MB of heap,
// whatever the input's size), so collecting four times less often saves
// about a fifth of the CPU; the soft limit makes the collector run sooner
// instead of letting the heap grow past it, which keeps a long diff's peak
// RSS near 120 MB rather than 140 (docs/performance.md).
//
// A run that executes every login in goja (--exact, hand-written Actions
// and Rules) allocates about 14 KB per login, so that at GOGC=400 (a goal
// of about 24 MB) the collector runs every 45 ms. It collects at
// engineGCPercent instead, where the soft limit is what starts a cycle:
// about 10% less CPU, and a peak RSS at the limit (about 120 MB) from the
// first hundred thousand logins on. The class path keeps GOGC=400: it
// allocates so little that a run of 100,000 logins never reaches the
// limit, and its peak RSS would otherwise grow with the input's length.
const (
	gcPercent       = 400
	engineGCPercent = 2000
	memoryLimit     = 96 << 20
)

// gcTuned is set when main chose the collector's settings (neither GOGC
// nor GOMEMLIMIT set), which collectForEngine may then change.
var gcTuned bool

func main() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
	gcTuned = os.Getenv("GOGC") == "" && os.Getenv("GOMEMLIMIT") == ""
	// Auth0 runs Actions in UTC. cel-go keeps a timestamp parsed with an
	// offset equal to the local zone's in the local zone, whose daylight
	// saving rules would then shift string() after arithmetic; in UTC it
	// reads as the compiled Action does, on any machine.
	time.Local = time.UTC
	os.Exit(run(os.Args[1:], systemStreams()))
}

// collectForEngine sets the collector for a run that executes every login
// in goja, when main chose the settings.
func collectForEngine() {
	if gcTuned {
		debug.SetGCPercent(engineGCPercent)
	}
}
