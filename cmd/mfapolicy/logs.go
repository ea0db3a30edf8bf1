package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/mfapolicy/mfapolicy/deploy"
	"github.com/mfapolicy/mfapolicy/geoip"
	"github.com/mfapolicy/mfapolicy/logs"
	"github.com/mfapolicy/mfapolicy/simulate"
	"github.com/mfapolicy/mfapolicy/simulate/input"
)

type logsPullOptions struct {
	s *streams

	Out        string
	Checkpoint string
	From       string
	Since      time.Time
	Types      logs.Types
	Take       int
	Verbose    bool
	GeoIP      string
	Creds      deploy.Credentials
	// Transform rewrites each record before it is written; nil keeps
	// records as the API sent them.
	Transform func(record []byte) []byte
	// Retry bounds the client's retries; tests shorten the waits.
	Retry deploy.RetryPolicy
}

func newLogsCmd(s *streams, runPull func(*logsPullOptions) error) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "logs",
		Short: "Fetch the tenant's logs, the real logins to replay",
		Long: `The tenant's logs are the logins simulate, diff and explain replay. logs
pull fetches them through the Management API into an NDJSON file that
those commands read as it is. See docs/logs.md.`,
	}
	cmd.AddCommand(newLogsPullCmd(s, runPull))
	return cmd
}

func newLogsPullCmd(s *streams, runF func(*logsPullOptions) error) *cobra.Command {
	opts := &logsPullOptions{s: s}
	var since, types string
	var flagCreds deploy.Credentials
	cmd := &cobra.Command{
		Use:   "pull -o FILE (--since AGE | --from LOG_ID)",
		Short: "Fetch the tenant's logs into an NDJSON file, resuming where the last pull stopped",
		Long: `Pull reads the tenant's logs through the Management API by checkpoint
(GET /api/v2/logs?from=LOG_ID&take=100, following each response's Link
header, the way Auth0 recommends for exporting logs), oldest first, and
appends them to FILE, one JSON object a line, gzip-compressed when FILE
ends in .gz.

The first pull starts at --since (7d, 36h, 2026-11-01 or an RFC 3339
time) or after --from LOG_ID. It leaves a checkpoint beside FILE
(FILE.checkpoint, or --checkpoint) holding the last log_id read, and each
later pull appends only the logs newer than it, so a cached file grows by
the delta. With --since, a later pull also drops the file's logs older
than it: run after run, --since 7d keeps the last seven days.

--types selects the log types kept (codes from Auth0's log event type
list; a trailing * is a prefix, * alone keeps everything). The default is
the types simulate replays: ` + strings.Join(input.ReplayedLogTypes(), ",") + `. The API cannot filter
by type in checkpoint mode, so every log is read and the others skipped.

FILE and its checkpoint are replaced atomically (a temporary file renamed
over them) every 256 KiB of new logs or so, and at the end. Interrupted (Ctrl-C, a
server error, a rate limit that does not recover), pull keeps what it
fetched, says so and exits 1; run it again to continue. Rate-limited
requests (429) wait as Retry-After or X-RateLimit-Reset says; 502, 503 and
504 are retried with a doubling wait.

Credentials as for deploy: AUTH0_DOMAIN with AUTH0_CLIENT_ID and
AUTH0_CLIENT_SECRET (a machine-to-machine application granted read:logs
on the Auth0 Management API), or AUTH0_ACCESS_TOKEN (or the matching
flags). Secrets are never printed, --verbose included.

Exit status: 0 pulled (or nothing new); 1 the pull stopped part-way (what
was fetched is kept); 2 bad usage, missing or rejected credentials, a
missing scope, or a FILE and checkpoint that do not fit together.`,
		Example: `  export AUTH0_DOMAIN=example.eu.auth0.com
  export AUTH0_CLIENT_ID=... AUTH0_CLIENT_SECRET=...

  # The last week's successful logins, then replay them
  mfapolicy logs pull --since 7d -o logins.ndjson.gz
  mfapolicy simulate policy.yaml --events logins.ndjson.gz

  # Later: append only what is new since the last pull
  mfapolicy logs pull --since 7d -o logins.ndjson.gz

  # Failed logins and Guardian events too, from a given log on
  mfapolicy logs pull --from 90020261201... --types s,f,gd_* -o all.ndjson`,
		Args: cobra.NoArgs,
		RunE: func(_ *cobra.Command, _ []string) error {
			if err := opts.validate(since, types, flagCreds, time.Now()); err != nil {
				return err
			}
			return runF(opts)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&opts.Out, "out", "o", "", "append the logs to this NDJSON file (.gz: gzip)")
	f.StringVar(&since, "since", "", "start at logs this old (7d, 36h, 90m) or this time (2026-11-01, RFC 3339); older logs are not kept, and are dropped from FILE")
	f.StringVar(&opts.From, "from", "", "start after this log_id (a first pull only)")
	f.StringVar(&types, "types", strings.Join(input.ReplayedLogTypes(), ","), "log type codes to keep, comma-separated; gd_* is a prefix, * keeps every type")
	f.StringVar(&opts.Checkpoint, "checkpoint", "", "the checkpoint file (default FILE.checkpoint)")
	f.IntVar(&opts.Take, "take", 100, "logs per request (at most 100)")
	f.BoolVarP(&opts.Verbose, "verbose", "v", false, "print each request (never a secret)")
	addGeoIPFlag(f, &opts.GeoIP)
	credentialFlags(f, &flagCreds)
	return cmd
}

// validate fills the options from the flags, resolving --since against
// now and the credentials against the environment.
func (o *logsPullOptions) validate(since, types string, creds deploy.Credentials, now time.Time) error {
	switch {
	case o.Out == "":
		return usageErr("logs pull needs -o FILE")
	case o.Take < 1 || o.Take > 100:
		return usageErr("--take must be between 1 and 100, not %d", o.Take)
	}
	if o.Checkpoint == "" {
		o.Checkpoint = logs.CheckpointPath(o.Out)
	}
	t, err := logs.ParseTypes(types)
	if err != nil {
		return usageErr("--types: %v", err)
	}
	o.Types = t
	if since != "" {
		if o.Since, err = parseSince(since, now); err != nil {
			return usageErr("--since: %v", err)
		}
	}
	o.Creds, err = checkedCredentials(creds)
	return err
}

var ageRE = regexp.MustCompile(`^(\d+)([wdhm])$`)

// parseSince reads an age (7d, 2w, 36h, 90m) before now, a date
// (2026-11-01, midnight UTC) or an RFC 3339 time.
func parseSince(s string, now time.Time) (time.Time, error) {
	if m := ageRE.FindStringSubmatch(s); m != nil {
		n, err := strconv.Atoi(m[1])
		if err == nil && n > 0 && n < 100000 {
			unit := map[string]time.Duration{"w": 7 * 24 * time.Hour, "d": 24 * time.Hour, "h": time.Hour, "m": time.Minute}[m[2]]
			return now.Add(-time.Duration(n) * unit).UTC(), nil
		}
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC(), nil
	}
	return time.Time{}, fmt.Errorf("%q is neither an age such as 7d, 36h or 90m nor a time such as 2026-11-01 or 2026-11-01T09:00:00Z", s)
}

func runLogsPull(opts *logsPullOptions) error {
	out, err := logs.OpenOutput(opts.Out, opts.Checkpoint)
	if err != nil {
		return usageErr("%v", err)
	}
	defer out.Close()
	if !opts.Since.IsZero() {
		out.DropBefore(opts.Since)
	}
	from, err := opts.start(out)
	if err != nil {
		return err
	}
	ctx := opts.s.context()
	m, err := deploy.NewClient(ctx, opts.Creds, deploy.ClientOptions{UserAgent: "mfapolicy", OnRetry: opts.retried, Retry: opts.Retry})
	if err != nil {
		return usageErr("%v", err)
	}
	popts := logs.Options{From: from, Since: opts.Since, Types: opts.Types, Take: opts.Take, Transform: opts.Transform}
	geo, err := openGeoIP(opts.GeoIP)
	if err != nil {
		return err
	}
	defer geo.Close()
	var located *simulate.GeoIPStats
	if geo != nil {
		st := simulate.GeoIPStatsOf(geo)
		located = &st
		popts.Transform = locateWith(geo, located, opts.Transform)
	}
	if opts.Verbose {
		fmt.Fprintf(opts.s.Err, "logs pull: %s, types %s\n", opts.Creds, opts.Types)
		popts.OnRequest = func(q string) { fmt.Fprintf(opts.s.Err, "GET /api/v2/logs?%s\n", q) }
	}
	if opts.s.ErrTTY {
		popts.Progress = func(st logs.Stats) {
			fmt.Fprintf(opts.s.Err, "\r\x1b[Klogs: %d kept of %d read%s", st.Kept, st.Read, newest(st.Newest, ", newest "))
		}
	}
	st, perr := logs.Pull(ctx, m, popts, out)
	if opts.s.ErrTTY {
		fmt.Fprint(opts.s.Err, "\r\x1b[K")
	}
	cerr := out.Commit()
	if cerr == nil && (st.Requests > 0 || perr == nil) {
		opts.report(st, out)
		if located != nil {
			fmt.Fprintf(opts.s.Err, "%s: GeoIP: %s\n", opts.Out, located.Sentence(located.Type, located.Database))
		}
	}
	return logsExit(ctx, perr, cerr, st.Kept)
}

// locateWith is the Transform of --geoip: it adds location_info to the
// records that have none (geoip.DB.FillLogRecord) and counts them in st,
// after then (nil: none). Records are written located, so that every later
// replay of the file sees the same places, from the database as it was
// on the day of the pull.
func locateWith(db *geoip.DB, st *simulate.GeoIPStats, then func([]byte) []byte) func([]byte) []byte {
	return func(rec []byte) []byte {
		if then != nil {
			rec = then(rec)
		}
		out, fill, err := db.FillLogRecord(rec)
		switch {
		case err != nil:
			// Not a log object: the replay reports it as it is.
		case fill == geoip.Located:
			st.Enriched++
		case fill == geoip.HadLocation:
			st.HadLocation++
		default:
			st.NotFound++
		}
		return out
	}
}

// start is the checkpoint to pull from: the output's own when it has one,
// else --from; with neither, the pull starts at --since.
func (o *logsPullOptions) start(out *logs.Output) (string, error) {
	resume := out.Resume().LogID
	switch {
	case resume != "" && o.From != "" && o.From != resume:
		return "", usageErr("%s already holds logs up to %s; --from applies to a new file: drop --from, or write to another file", o.Out, resume)
	case resume != "":
		return resume, nil
	case o.From == "" && o.Since.IsZero():
		return "", usageErr("a first pull into %s needs --since (for example --since 7d) or --from LOG_ID", o.Out)
	}
	return o.From, nil
}

func (o *logsPullOptions) retried(r deploy.Retry) {
	fmt.Fprintf(o.s.Err, "%d %s on %s %s: retrying in %s\n", r.Status, http.StatusText(r.Status), r.Method, r.Path, r.Wait.Round(time.Millisecond))
}

// report says what the file holds now, on standard error.
func (o *logsPullOptions) report(st logs.Stats, out *logs.Output) {
	what := fmt.Sprintf("%d new logs", st.Kept)
	if st.Kept == 0 {
		what = "no new logs"
	}
	if d := out.Dropped(); d > 0 {
		what += fmt.Sprintf(", %d older than --since dropped", d)
	}
	fmt.Fprintf(o.s.Err, "%s: %s (%d read in %d requests); %d logs in all%s; checkpoint %s\n",
		o.Out, what, st.Read, st.Requests, out.Records(), newest(out.Resume().Newest, ", the newest of "), o.Checkpoint)
}

func newest(t time.Time, prefix string) string {
	if t.IsZero() {
		return ""
	}
	return prefix + t.UTC().Format(time.RFC3339)
}

// logsExit maps the outcome of a pull to the exit status: refused
// credentials or scope are 2, a pull that stopped part-way is 1.
func logsExit(ctx context.Context, perr, cerr error, added int) error {
	if cerr != nil {
		return inputErr(cerr)
	}
	if perr == nil {
		return nil
	}
	if s := deploy.HTTPStatus(perr); s == http.StatusUnauthorized || s == http.StatusForbidden {
		return usageErr("%v", perr)
	}
	kept := fmt.Sprintf("the %d new logs fetched are kept; run logs pull again to continue", added)
	if ctx.Err() != nil || errors.Is(perr, context.Canceled) {
		return &exitError{code: exitFinding, err: fmt.Errorf("interrupted: %s", kept)}
	}
	return &exitError{code: exitFinding, err: fmt.Errorf("%v\n%s", perr, kept)}
}
