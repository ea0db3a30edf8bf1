package logs

import (
	"context"
	"time"

	"github.com/auth0/go-auth0/management"
)

// Options configure Pull.
type Options struct {
	// From is the checkpoint: Pull reads the logs newer than this log_id.
	From string
	// Since, when From is empty, is where the pull starts: at the first
	// log of that time or later. Whatever From, logs older than Since are
	// read but not kept.
	Since time.Time
	// Types selects the logs kept; the others are read and skipped (the
	// checkpoint mode ignores every parameter but from and take, so the
	// API cannot filter them).
	Types Types
	// Take is the page size, at most 100; 0 means 100.
	Take int
	// Transform, when set, rewrites each kept record (one line of JSON)
	// before it is written, for example to add what the log lacks.
	Transform func(record []byte) []byte
	// Progress, when set, hears how far the pull is after each page.
	Progress func(Stats)
	// OnRequest, when set, hears the query of each request to
	// /api/v2/logs before it is sent (it never holds a secret).
	OnRequest func(query string)
}

// Stats say how far a pull got.
type Stats struct {
	// Requests counts the requests to /api/v2/logs that were answered.
	Requests int `json:"requests"`
	// Read counts the logs read, Kept those passed to the sink.
	Read int `json:"read"`
	Kept int `json:"kept"`
	// Checkpoint is the log_id of the last log read, and Newest the time
	// of the newest log kept.
	Checkpoint string    `json:"checkpoint,omitempty"`
	Newest     time.Time `json:"newest,omitzero"`
}

// Sink takes the logs of each page in checkpoint order. Page is called
// once per page with the records kept (one line of JSON each, no
// newline) and the checkpoint after them: when it returns, everything up
// to the checkpoint has been handed over.
type Sink interface {
	Page(records [][]byte, checkpoint Checkpoint) error
}

// Checkpoint is where a pull stands: the last log read, the last log
// kept, and the time of the newest log kept so far.
type Checkpoint struct {
	LogID  string    `json:"log_id"`
	Kept   string    `json:"kept,omitempty"`
	Newest time.Time `json:"newest,omitzero"`
}

// Pull reads the tenant's logs by checkpoint, oldest first, and hands
// them to sink page by page until a page comes back empty. The first
// request starts at opts.From or, without it, at opts.Since; each later
// one follows the previous response's Link rel="next" URL, as
// https://auth0.com/docs/deploy-monitor/logs/retrieve-log-events-using-mgmt-api
// asks. Rate-limited and briefly unavailable requests are retried by the
// client (deploy.NewClient); any other failure stops the pull, and the
// error, wording the endpoint and scope, comes back with the stats of what
// the sink already has.
func Pull(ctx context.Context, m *management.Management, opts Options, sink Sink) (Stats, error) {
	c, err := newClient(m, opts.OnRequest)
	if err != nil {
		return Stats{}, err
	}
	p := &puller{c: c, opts: opts, sink: sink}
	if p.opts.Take <= 0 || p.opts.Take > maxTake {
		p.opts.Take = maxTake
	}
	err = p.run(ctx)
	p.stats.Requests = c.answered
	return p.stats, err
}

type puller struct {
	c     *client
	opts  Options
	sink  Sink
	stats Stats
	kept  string // the last log_id kept
}

func (p *puller) run(ctx context.Context) error {
	from := p.opts.From
	if from == "" {
		var err error
		if from, err = p.start(ctx); err != nil || from == "" {
			return err
		}
	}
	next := p.c.checkpointURL(from, p.opts.Take)
	for {
		pg, err := p.c.get(ctx, next)
		if err != nil {
			return err
		}
		if len(pg.records) == 0 {
			return nil
		}
		if err := p.take(pg.records, from); err != nil {
			return err
		}
		if p.stats.Checkpoint == from {
			return errStuck(from)
		}
		from = p.stats.Checkpoint
		next = p.c.follow(pg.next)
		if next == "" || !p.ahead(next, from) {
			next = p.c.checkpointURL(from, p.opts.Take)
		}
	}
}

// ahead reports whether a next URL asks for logs after from, so that a
// Link header pointing back never makes the pull loop.
func (p *puller) ahead(next, from string) bool {
	u, err := p.c.base.Parse(next)
	return err == nil && !Before(u.Query().Get("from"), from)
}

// start finds the checkpoint to start a pull at opts.Since from: the id of
// the newest log older than Since. When the tenant keeps no log that old,
// the oldest log at Since or later is taken as the first one, and its id
// is the checkpoint. It returns "" when there is no log since.
func (p *puller) start(ctx context.Context) (string, error) {
	at := p.opts.Since.UTC().Format("2006-01-02T15:04:05.000Z")
	// Log search query syntax, ranges with * for an open end:
	// https://auth0.com/docs/deploy-monitor/logs/log-search-query-syntax
	before, err := p.c.get(ctx, p.c.searchURL("date:[* TO "+at+"}", false))
	if err != nil {
		return "", err
	}
	if len(before.records) > 0 {
		return before.records[0].LogID, nil
	}
	first, err := p.c.get(ctx, p.c.searchURL("date:["+at+" TO *]", true))
	if err != nil {
		return "", err
	}
	if len(first.records) == 0 {
		// Nothing since: the sink still hears of the (empty) pull.
		return "", p.sink.Page(nil, Checkpoint{})
	}
	if err := p.take(first.records[:1], ""); err != nil {
		return "", err
	}
	return first.records[0].LogID, nil
}

// take passes a page's records newer than from and of the types and
// times selected to the sink.
func (p *puller) take(recs []record, from string) error {
	var kept [][]byte
	cp := Checkpoint{LogID: p.stats.Checkpoint, Newest: p.stats.Newest, Kept: p.kept}
	for _, r := range recs {
		p.stats.Read++
		if from != "" && !Before(from, r.LogID) {
			continue // not newer than the checkpoint: already handed over
		}
		if Before(cp.LogID, r.LogID) {
			cp.LogID = r.LogID
		}
		if !p.opts.Types.Match(r.Type) || r.Date.Before(p.opts.Since) {
			continue
		}
		raw := r.raw
		if p.opts.Transform != nil {
			raw = p.opts.Transform(raw)
		}
		kept = append(kept, raw)
		cp.Kept = r.LogID
		if r.Date.After(cp.Newest) {
			cp.Newest = r.Date
		}
	}
	if err := p.sink.Page(kept, cp); err != nil {
		return err
	}
	p.stats.Kept += len(kept)
	p.stats.Checkpoint, p.stats.Newest, p.kept = cp.LogID, cp.Newest, cp.Kept
	if p.opts.Progress != nil {
		s := p.stats
		s.Requests = p.c.answered
		p.opts.Progress(s)
	}
	return nil
}

// Before reports whether log id a comes before log id b in checkpoint
// order. Auth0's log ids are decimal numbers of one width, so the longer
// id is the later one and ids of one length compare as text; "" comes
// before every id.
func Before(a, b string) bool {
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}
