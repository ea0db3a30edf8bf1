package input

import (
	"io"
	"os"
	"time"
)

// Input is one named source of recorded events: a file, standard input or
// any reader. Name is what positions in messages and decisions show.
type Input struct {
	Name string
	Open func() (io.ReadCloser, error)
}

// FileInput reads the file at path; "-" reads r instead (standard input),
// named "<stdin>".
func FileInput(path string, stdin io.Reader) Input {
	if path == "-" {
		return ReaderInput("<stdin>", stdin)
	}
	return Input{Name: path, Open: func() (io.ReadCloser, error) { return os.Open(path) }}
}

// ReaderInput reads r once, under the given name.
func ReaderInput(name string, r io.Reader) Input {
	return Input{Name: name, Open: func() (io.ReadCloser, error) { return io.NopCloser(r), nil }}
}

// Event is one login ready to replay: the post-login event object as JSON,
// where it came from, and the few facts the summary groups by.
type Event struct {
	File string
	Line int
	// ID is the log_id of a tenant log record, else event.transaction.id,
	// else event.session.id, else empty.
	ID string
	// LogType is the tenant log type ("s") when the event was mapped from a
	// log record, empty for a post-login event object.
	LogType string
	// JSON is the post-login event object.
	JSON []byte

	// Country is request.geoip.countryCode, Application client.name (or
	// client.client_id when unnamed): the summary groups by them.
	Country     string
	Application string
	// Time is when the login happened: the date of a tenant log record,
	// else the latest authentication.methods[].timestamp of the event;
	// zero when neither is there (the summary counts it as "no time").
	Time time.Time
	// Confidence is authentication.riskAssessment.confidence, empty when
	// the event has none.
	Confidence string
	// UserID is user.user_id and IP request.ip, empty when absent or not
	// strings: reports count users and show examples by them.
	UserID, IP string
	// Enrolled lists the types of event.user.enrolledFactors; HasEnrolled
	// tells an absent list from an empty one.
	Enrolled    []string
	HasEnrolled bool

	// Enriched says what the run's enrichment did to a login mapped
	// from a log record.
	Enriched Enriched

	// Located is set while the worker's Located holds this record's
	// fields (spans.go), from parsing to replay.
	Located bool
}
