// Command eventgen writes a deterministic corpus of Auth0 login data as
// NDJSON to standard output: post-login events or log-stream records.
//
//	go run ./internal/eventgen/cmd/eventgen -kind events -n 3000 -seed 1 > examples/events.ndjson
//	go run ./internal/eventgen/cmd/eventgen -kind logs -n 1000 -seed 2 > examples/logs.ndjson
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/mfapolicy/mfapolicy/internal/eventgen"
)

func main() {
	kind := flag.String("kind", "events", "events (post-login event objects) or logs (log-stream records)")
	n := flag.Int("n", 3000, "number of records")
	seed := flag.Uint64("seed", 1, "random seed; the same seed gives the same bytes")
	flag.Parse()
	if err := eventgen.WriteCorpus(os.Stdout, eventgen.Kind(*kind), *n, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "eventgen:", err)
		os.Exit(2)
	}
}
