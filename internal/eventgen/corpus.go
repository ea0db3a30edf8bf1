package eventgen

import (
	"bufio"
	"fmt"
	"io"
)

// Kind selects what a corpus holds.
type Kind string

const (
	// Events is post-login event objects.
	Events Kind = "events"
	// Logs is log-stream records of mixed types.
	Logs Kind = "logs"
)

// malformedEvery puts one malformed line among this many, so that examples
// show how bad input is reported.
const malformedEvery = 997

// badLines are the kinds of damage real exports show.
var badLines = []string{
	`{"request":{"ip":"203.0.113.9","geoip":{"countryCode":"US"}},"user":{"user_id":"auth0|cut`,
	`this line is not JSON`,
	`["an", "array", "is", "not", "an", "event"]`,
}

// WriteCorpus writes n NDJSON records of the given kind, generated from
// seed, with a few malformed lines mixed in (counted in n).
func WriteCorpus(w io.Writer, kind Kind, n int, seed uint64) error {
	g := New(seed)
	bw := bufio.NewWriter(w)
	bad := 0
	for i := 1; i <= n; i++ {
		var line []byte
		switch {
		case i%malformedEvery == 0:
			line = []byte(badLines[bad%len(badLines)])
			bad++
		case kind == Logs:
			line = g.LogRecord()
		case kind == Events:
			line = g.Event()
		default:
			return fmt.Errorf("unknown corpus kind %q", kind)
		}
		bw.Write(line)
		bw.WriteByte('\n')
	}
	return bw.Flush()
}
