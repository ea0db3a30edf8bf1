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
const (
	gcPercent   = 400
	memoryLimit = 96 << 20
)

func main() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
	// Auth0 runs Actions in UTC. cel-go keeps a timestamp parsed with an
	// offset equal to the local zone's in the local zone, whose daylight
	// saving rules would then shift string() after arithmetic; in UTC it
	// reads as the compiled Action does, on any machine.
	time.Local = time.UTC
	os.Exit(run(os.Args[1:], systemStreams()))
}
