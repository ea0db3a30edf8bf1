package simulate

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/mfapolicy/mfapolicy/geoip"
	"github.com/mfapolicy/mfapolicy/internal/diag"
	"github.com/mfapolicy/mfapolicy/simulate/engine"
	"github.com/mfapolicy/mfapolicy/simulate/input"
)

// Options configure a simulation run.
type Options struct {
	// Code is the CommonJS Action (exports.onExecutePostLogin), for example
	// a compiled policy's code.js. CodeName names it in messages.
	Code     []byte
	CodeName string
	// Rules lists the policy's rule ids in policy order, when known, so
	// that the summary lists hits per rule in that order (zero hits
	// included).
	Rules []string
	// Inputs are read in order.
	Inputs []input.Input
	// Workers is the number of goja runtimes run in parallel; 0 means
	// runtime.NumCPU().
	Workers int
	// Timeout is the time limit of one login; 0 means DefaultTimeout.
	Timeout time.Duration
	// Strict makes the first malformed record fatal.
	Strict bool
	// Limits bound the size and nesting of records and the expansion of
	// gzip input; the zero value means the defaults.
	Limits input.Limits
	// AssumeEnrolled is the list of factor types a user is taken to have
	// enrolled when the event does not carry event.user.enrolledFactors
	// (tenant logs never do). nil means all factors (see ParseFactorList).
	AssumeEnrolled []string
	// KeepEvents replays events exactly as read: the assumed enrolled
	// factors are not filled into events that lack them (they still decide
	// whether a challenge can be met). The fidelity tests use it.
	KeepEvents bool
	// EnabledFactors are the factors enabled on the tenant; nil means all.
	EnabledFactors []string
	// Tenant, when set, brings in the tenant context: its MFA policy,
	// enabled factors (replacing EnabledFactors), users' enrolments and
	// roles.
	Tenant *Tenant
	// GeoIP, when set, locates request.ip of the logins mapped from
	// tenant log records that have no location_info (package geoip);
	// records that have one are never changed.
	GeoIP *geoip.DB
	// OnDecision receives every decision in input order.
	OnDecision func(Decision) error
	// Progress is called from time to time with the number of records
	// read so far, and once at the end.
	Progress func(done int64)
	// MaxProblems caps the malformed-record messages kept in the summary;
	// 0 means 20.
	MaxProblems int
	// RuleFields maps each rule id to the event fields its condition reads
	// (paths without the leading "event.", such as
	// "request.geoip.countryCode"). When set, every decision lists in
	// Missing the fields absent from the event that the rules evaluated up
	// to the deciding one read, and the summary counts those logins as
	// decided on missing data.
	RuleFields map[string][]string
	// Fields, for a compiled policy, are the event paths its rules read
	// (compile.Result.Fields). When set, each event is built with only the
	// parts the policy can observe (see engine.ReadPlan); the rest of its bytes
	// are skipped, and built in the objects of the login before wherever
	// its members are the same (engine/reuse.go): a compiled policy keeps
	// nothing from one login to the next, but an Action that did could
	// tell. Leave it empty for any other Action. A compiled policy
	// (Fields or RuleFields set) that can observe event.user.multifactor
	// gets it derived as Auth0 fills it (multifactor.go), as a bundled
	// Action's glue derives it for the Action.
	Fields []string
	// Classifier, for a compiled policy, places each login in its decision
	// class, so that the Action runs in goja once per class and the other
	// logins of the class reuse its calls (classes.go). nil replays every
	// login in goja (--exact).
	Classifier Classifier
	// VerifyEvery replays 1 in VerifyEvery of the logins whose calls come
	// from their class in goja as well, chosen by a hash of the record;
	// they must make the same calls, or the run stops with a
	// DivergenceError. 0 means DefaultVerifyEvery; 1 verifies every login.
	VerifyEvery int
	// OnClassesOff, when set, is called when a worker gives up on
	// decision classes (most of its logins could not be placed in one)
	// and runs every later login in goja: a command may then set its
	// collector for that work. Workers may call it at the same time.
	OnClassesOff func()
	// Now is when the clock of a login with no recorded time starts
	// (Event.Time is zero); the zero value means the start of the run.
	// A login that reads the clock without a recorded time is counted in
	// the summary's assumptions. A compiled policy's `now` is the Action's
	// clock (Date.now()).
	Now time.Time
	// FixedNow starts the clock of every login at Now, whatever time the
	// login records: a test case's `now:`, or explaining a login as of a
	// given time.
	FixedNow bool
	// HTTP answers the requests Actions make (fetch, node:http and
	// node:https); nil refuses every request, as a firewall would.
	HTTP *engine.HTTPFixtures
	// ParseEvents builds every event with the runtime's own JSON.parse
	// instead of the simulator's decoder: slower, and the reference the
	// decoder is tested against.
	ParseEvents bool

	// builder overrides how events become JavaScript values (tests and
	// benchmarks).
	builder engine.EventBuilder
	// runStart is when the run started, for the clock of logins with no
	// recorded time when Now is zero.
	runStart time.Time
	// split is set on the base of a RunPair whose head runs under its own
	// tenant context.
	split bool
	// countsOnly leaves out of the summary what only its renderings show
	// (PairOptions.CountsOnly).
	countsOnly bool
	// tamper alters each class's execution as it is cached (tests of the
	// verification).
	tamper func(*engine.Execution)
}

// DefaultTimeout is the time limit of one login when none is given. A
// login normally takes well under a millisecond; the limit exists to stop
// endless loops, and is generous so that a busy machine never turns a slow
// login into a false error. (Auth0 itself allows 20 s:
// https://auth0.com/docs/customize/actions/limitations.)
const DefaultTimeout = 5 * time.Second

// ErrMalformed is returned (wrapped, with the position) by a strict run
// that met a malformed record.
var ErrMalformed = errors.New("malformed record")

// job is one record travelling through the pipeline.
type job struct {
	item input.Item
	dec  Decision
	head Decision // the second Action's decision, in a RunPair
	// causes say what changed the head's decision, when the two Actions
	// run under different tenant contexts (cause.go).
	causes []Cause
	// via and headVia say how each decision was made (classes.go).
	via, headVia route
	// err stops the run when this job is collected: a DivergenceError.
	err error
}

// batch is a run of consecutive records, the unit the pipeline moves: the
// channel operations and the reordering cost once per batch, not once per
// login.
type batch struct {
	seq  int64
	jobs []job
	// lines holds the records of the batch's jobs, one after the other
	// (Reader.arena): they are valid until the collector is done with the
	// batch, and nothing that outlives a login keeps their bytes.
	lines []byte
}

// batches holds the batches the collector is done with, for the reader
// to fill again.
var batches = sync.Pool{New: func() any { return &batch{jobs: make([]job, 0, batchSize)} }}

func newBatch(seq int64) *batch {
	b := batches.Get().(*batch)
	b.seq, b.jobs, b.lines = seq, b.jobs[:0], b.lines[:0]
	return b
}

// maxBatchLines bounds the line buffer a collected batch keeps for its
// next use: a batch of unusually long records does not hold on to them.
const maxBatchLines = 1 << 20

// batchSize is the number of records in a full batch: small enough that a
// thousand logins still spread over every worker, large enough that the
// pipeline's own cost is a small part of a batch's. Each batch wakes the
// reader and the collector once when they wait: with one worker and a
// second CPU they do, and at 16 records a batch those wake-ups cost about
// a tenth of the run's CPU time (`/usr/bin/time -v`: 17,000 voluntary
// context switches in 200,000 logins; 6,000 at 64).
const batchSize = 64

// Run replays every event of the inputs through the Action and returns the
// summary. Decisions reach OnDecision in input order although workers run
// in parallel: a reorder window bounds how far reading may run ahead of
// the slowest worker, so memory stays flat however many events there are.
func Run(ctx context.Context, opts Options) (*Summary, error) {
	sum, _, err := run(ctx, withDefaults(opts), nil)
	return sum, err
}

// second is the other Action of a RunPair: its options (code, rules and
// fields; everything else shared) and its summary.
type second struct {
	opts    Options
	prog    *engine.Program
	first   *engine.Runner
	acc     *accumulator
	onPair  func(Pair) error
	release func(*job) error
}

// run is Run, with a second Action run on every event when head is set.
func run(ctx context.Context, opts Options, head *second) (*Summary, *Summary, error) {
	prog, err := engine.CompileAction(opts.CodeName, opts.Code)
	if err != nil {
		return nil, nil, err
	}
	prog.Plan = engine.PlanFor(opts.Code, opts.Fields, opts.RuleFields)
	prog.Multifactor = readsMultifactor(prog.Plan, opts)
	prog.Lend(sandboxOf(opts))
	// Load the Action once up front so that a broken module is one clear
	// error, not one per worker.
	first, err := engine.NewRunner(prog, opts.builder, opts.Timeout)
	if err != nil {
		return nil, nil, err
	}
	prog.DeriveFor(first)
	if head != nil {
		if err := head.load(); err != nil {
			return nil, nil, err
		}
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)

	window := opts.Workers * 4 // batches
	tokens := make(chan struct{}, window)
	jobs := make(chan *batch, window)
	done := make(chan *batch, window)
	acc := newAccumulator(opts)
	if head != nil {
		acc.pair = head
	}

	var readErr error
	go func() {
		defer close(jobs)
		readErr = readAll(ctx, opts, acc, tokens, jobs)
		if readErr != nil {
			cancel(readErr)
		}
	}()

	fields := laneFields([]*engine.Program{prog}, opts)
	if head != nil {
		fields = laneFields([]*engine.Program{prog, head.prog}, opts, head.opts)
	}
	var wg sync.WaitGroup
	for w := 0; w < opts.Workers; w++ {
		var a, b *player
		if head != nil {
			wa, wb := classWorkers(opts, head.opts, fields)
			a = newPlayer(prog, opts, fields, pick(w, first), wa)
			b = newPlayer(head.prog, head.opts, fields, head.pick(w), wb)
		} else {
			a = newPlayer(prog, opts, fields, pick(w, first), nil)
		}
		l := newLane(opts, fields, a, b)
		wg.Add(1)
		go func() {
			defer wg.Done()
			eachEvent(ctx, opts, jobs, done, l)
		}()
	}
	go func() { wg.Wait(); close(done) }()

	if err := collect(ctx, opts, acc, tokens, done); err != nil {
		cancel(err)
		for range done { // let the workers drain
		}
		return nil, nil, err
	}
	if readErr != nil {
		return nil, nil, readErr
	}
	if err := context.Cause(ctx); err != nil && ctx.Err() != nil {
		return nil, nil, err
	}
	if opts.Progress != nil {
		opts.Progress(acc.read)
	}
	if head != nil {
		return acc.summary(), head.acc.summary(), nil
	}
	return acc.summary(), nil, nil
}

func pick(w int, first *engine.Runner) *engine.Runner {
	if w == 0 {
		return first
	}
	return nil
}

func withDefaults(opts Options) Options {
	if opts.Workers <= 0 {
		opts.Workers = runtime.NumCPU()
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.CodeName == "" {
		opts.CodeName = "action.js"
	}
	if opts.MaxProblems <= 0 {
		opts.MaxProblems = 20
	}
	if opts.builder == nil && opts.ParseEvents {
		opts.builder = engine.BuildWithJSONParse
	}
	if opts.Now.IsZero() {
		opts.runStart = time.Now().UTC().Truncate(time.Second)
	}
	if opts.AssumeEnrolled == nil {
		opts.AssumeEnrolled = AllFactors()
	}
	if opts.EnabledFactors == nil {
		opts.EnabledFactors = AllFactors()
	}
	return withTenant(opts)
}

// readAll reads every input in order and sends its records down the
// pipeline in batches, unparsed (the workers parse them), malformed and
// skipped ones too, so that they are counted in order by the collector.
func readAll(ctx context.Context, opts Options, acc *accumulator, tokens chan struct{}, jobs chan<- *batch) error {
	b := newBatch(0)
	var rd *input.Reader
	send := func() bool {
		select {
		case tokens <- struct{}{}:
		case <-ctx.Done():
			return false
		}
		jobs <- b
		b = newBatch(b.seq + 1)
		if rd != nil {
			rd.KeepIn(&b.lines)
		}
		return true
	}
	for _, in := range opts.Inputs {
		rc, err := in.Open()
		if err != nil {
			return fmt.Errorf("cannot read events: %w", err)
		}
		rd = input.NewLimitedReader(in.Name, rc, opts.Limits)
		rd.Later()
		rd.KeepIn(&b.lines)
		for {
			it, err := rd.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				rc.Close()
				return fmt.Errorf("cannot read events: %w", err)
			}
			b.jobs = append(b.jobs, job{item: it})
			if len(b.jobs) == batchSize && !send() {
				rc.Close()
				return nil
			}
		}
		rc.Close()
	}
	if len(b.jobs) > 0 {
		send()
	}
	return nil
}

// eachEvent is a worker's loop: it parses the records of each batch,
// hands every event to the lane unless the run is cancelled, and passes
// the batch on to done.
func eachEvent(ctx context.Context, opts Options, jobs <-chan *batch, done chan<- *batch, l *lane) {
	limits := opts.Limits.WithDefaults()
	for b := range jobs {
		for i := range b.jobs {
			j := &b.jobs[i]
			j.item = input.Resolve(j.item, limits, l.loc, l.en)
			if j.item.Kind == input.ItemEvent && ctx.Err() == nil {
				l.run(j)
			}
			j.item.Event.Located = false
		}
		done <- b
	}
}

func errorDecision(ev input.Event, msg string) Decision {
	return Decision{File: ev.File, Line: ev.Line, ID: ev.ID, Outcome: Error, Error: msg,
		Country: ev.Country, Application: ev.Application}
}

// collect receives finished batches in any order and releases their
// records in input order. A strict run stops at the first malformed one.
func collect(ctx context.Context, opts Options, acc *accumulator, tokens chan struct{}, done <-chan *batch) error {
	pending := map[int64]*batch{}
	var next int64
	for b := range done {
		pending[b.seq] = b
		for {
			b, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			<-tokens
			for i := range b.jobs {
				j := &b.jobs[i]
				if j.err != nil {
					return j.err
				}
				if j.item.Kind == input.ItemMalformed && opts.Strict {
					return fmt.Errorf("%s: %w: %s", j.item.Problem.Pos, ErrMalformed, j.item.Problem.Message)
				}
				if err := acc.add(j); err != nil {
					return err
				}
				if opts.Progress != nil && acc.read%512 == 0 {
					opts.Progress(acc.read)
				}
			}
			clear(b.jobs)
			if cap(b.lines) > maxBatchLines {
				b.lines = nil
			}
			batches.Put(b)
		}
		if ctx.Err() != nil {
			return context.Cause(ctx)
		}
	}
	return nil
}

// DescribeFactors names a factor list the way summaries state assumptions:
// "none", "all", or the types joined by commas.
func DescribeFactors(fs []string) string {
	switch {
	case len(fs) == 0:
		return "none"
	case len(fs) == len(challengeFactors) && newFactorSet(fs) == 1<<len(challengeFactors)-1:
		return "all"
	}
	return strings.Join(fs, ",")
}

// problemList keeps the first n malformed-record messages.
type problemList struct {
	n    int
	list diag.List
}

func (p *problemList) add(d diag.Diagnostic) {
	if len(p.list) < p.n {
		p.list = append(p.list, d)
	}
}
