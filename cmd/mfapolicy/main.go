// Command mfapolicy type-checks adaptive-MFA policies written in CEL,
// compiles them into an Auth0 post-login Action, and replays recorded logins
// through that exact Action to preview every decision before deployment.
package main

import (
	"os"
	"runtime/debug"
	"time"
)

// The collector's settings when GOGC and GOMEMLIMIT are not set.
//
// Until a replay starts (and for the commands that replay little), the
// collector runs at gcPercent: loading, checking and compiling a policy
// allocates tens of MB in a few milliseconds (esbuild, cel-go, goja's
// compiler), and at GOGC=100 the collector's cycles made simulate of one
// login 7 ms slower (24 → 31 ms) and diff 7 ms (37 → 44 ms).
//
// A run by decision class allocates a few hundred bytes per login and
// keeps 5 to 10 MB alive, and its peak RSS follows the heap's goal, which
// the first 100,000 logins must reach for the peak to stay level on a long
// run: it replays at classGCPercent. The benchmark's streamed runs (go run
// ./bench -rss) peak at 47, 49 and 50 MB after 100,000, 1,000,000 and
// 10,000,000 logins at GOGC=100; at 200 they grew from 52 to 59 MB, at 400
// from 68 to 85 MB by a million. The collector then costs about 4% of the
// instructions of a login of ten-rules by class (2.6% at 200). The soft
// limit keeps a long diff's peak RSS near 120 MB rather than 140
// (docs/performance.md).
//
// A run that executes every login in goja (--exact, hand-written Actions
// and Rules, a policy that reads now, or classes given up on) allocates
// about 10 KB per login, so that at GOGC=400 (a goal of about 24 MB) the
// collector ran every 45 ms. It replays at engineGCPercent, where the soft
// limit is what starts a cycle: about 10% less CPU, and a peak RSS at the
// limit (about 120 MB) from the first hundred thousand logins on.
const (
	gcPercent       = 400
	classGCPercent  = 100
	engineGCPercent = 2000
	memoryLimit     = 96 << 20
)

// gcTuned is set when main chose the collector's settings (neither GOGC
// nor GOMEMLIMIT set), which collectForReplay and collectForEngine may
// then change.
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

// collectForReplay sets the collector as a replay starts, when main chose
// the settings: for a run that executes every login in goja, or one by
// decision class.
func collectForReplay(everyLoginInGoja bool) {
	if everyLoginInGoja {
		collectForEngine()
	} else if gcTuned {
		debug.SetGCPercent(classGCPercent)
	}
}
