// Command mfapolicy type-checks adaptive-MFA policies written in CEL,
// compiles them into an Auth0 post-login Action, and replays recorded logins
// through that exact Action to preview every decision before deployment.
package main

import "os"

func main() {
	os.Exit(run(os.Args[1:], systemStreams()))
}
