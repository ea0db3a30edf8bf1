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

	"github.com/mfapolicy/mfapolicy/internal/diag"
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
	Inputs []Input
	// Workers is the number of goja runtimes run in parallel; 0 means
	// runtime.NumCPU().
	Workers int
	// Timeout is the time limit of one login; 0 means DefaultTimeout.
	Timeout time.Duration
	// Strict makes the first malformed record fatal.
	Strict bool
	// Limits bound the size and nesting of records and the expansion of
	// gzip input; the zero value means the defaults.
	Limits Limits
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
	// enabled factors (replacing EnabledFactors) and users' enrolments.
	Tenant *Tenant
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
	// parts the policy can observe (see readPlan); the rest of its bytes
	// are skipped. Leave it empty for any other Action.
	Fields []string
	// ParseEvents builds every event with the runtime's own JSON.parse
	// instead of the simulator's decoder: slower, and the reference the
	// decoder is tested against.
	ParseEvents bool

	// builder overrides how events become JavaScript values (tests and
	// benchmarks).
	builder eventBuilder
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
	item Item
	dec  Decision
	head Decision // the second Action's decision, in a RunPair
}

// batch is a run of consecutive records, the unit the pipeline moves: the
// channel operations and the reordering cost once per batch, not once per
// login.
type batch struct {
	seq  int64
	jobs []job
}

// batchSize is the number of records in a full batch: small enough that a
// few hundred logins still spread over every worker, large enough that
// the pipeline's own cost is a small part of a batch's.
const batchSize = 16

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
	prog    *Program
	first   *runner
	acc     *accumulator
	onPair  func(Pair) error
	release func(*job) error
}

// run is Run, with a second Action run on every event when head is set.
func run(ctx context.Context, opts Options, head *second) (*Summary, *Summary, error) {
	prog, err := CompileAction(opts.CodeName, opts.Code)
	if err != nil {
		return nil, nil, err
	}
	prog.plan = planFor(opts.Code, opts.Fields, opts.RuleFields)
	// Load the Action once up front so that a broken module is one clear
	// error, not one per worker.
	first, err := newRunner(prog, opts.builder, opts.Timeout)
	if err != nil {
		return nil, nil, err
	}
	first.setFields(opts.RuleFields)
	if head != nil {
		if err := head.load(); err != nil {
			return nil, nil, err
		}
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)

	window := opts.Workers * 8 // batches
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

	var wg sync.WaitGroup
	for w := 0; w < opts.Workers; w++ {
		wg.Add(1)
		go func(r, hr *runner) {
			defer wg.Done()
			if head == nil {
				work(ctx, prog, opts, r, jobs, done)
				return
			}
			workPair(ctx, prog, opts, r, head, hr, jobs, done)
		}(pick(w, first), head.pick(w))
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

func pick(w int, first *runner) *runner {
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
		opts.builder = buildWithJSONParse
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
	b := &batch{jobs: make([]job, 0, batchSize)}
	send := func() bool {
		select {
		case tokens <- struct{}{}:
		case <-ctx.Done():
			return false
		}
		jobs <- b
		b = &batch{seq: b.seq + 1, jobs: make([]job, 0, batchSize)}
		return true
	}
	for _, in := range opts.Inputs {
		rc, err := in.Open()
		if err != nil {
			return fmt.Errorf("cannot read events: %w", err)
		}
		rd := NewLimitedReader(in.Name, rc, opts.Limits)
		rd.later = true
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

// work parses the records of the batches it receives and runs their
// events on its own runtime.
func work(ctx context.Context, prog *Program, opts Options, r *runner, jobs <-chan *batch, done chan<- *batch) {
	eachEvent(ctx, opts, jobs, done, func(j *job) {
		j.dec, r = replayOn(r, prog, opts, j.item.Event)
	})
}

// replayOn replays one event on r, creating the runner when it is nil,
// and returns the runner to use next (nil when it broke).
func replayOn(r *runner, prog *Program, opts Options, ev Event) (Decision, *runner) {
	if r == nil {
		var err error
		if r, err = newRunner(prog, opts.builder, opts.Timeout); err != nil {
			return errorDecision(ev, err.Error()), nil
		}
		r.setFields(opts.RuleFields)
	}
	d, broken := replay(r, opts, ev)
	if broken {
		return d, nil
	}
	return d, r
}

// eachEvent is a worker's loop: it parses the records of each batch,
// hands every event to run unless the run is cancelled, and passes the
// batch on to done.
func eachEvent(ctx context.Context, opts Options, jobs <-chan *batch, done chan<- *batch, run func(*job)) {
	limits := opts.Limits.withDefaults()
	for b := range jobs {
		for i := range b.jobs {
			j := &b.jobs[i]
			j.item = resolve(j.item, limits)
			if j.item.Kind == ItemEvent && ctx.Err() == nil {
				run(j)
			}
		}
		done <- b
	}
}

func errorDecision(ev Event, msg string) Decision {
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
				if j.item.Kind == ItemMalformed && opts.Strict {
					return fmt.Errorf("%s: %w: %s", j.item.Problem.Pos, ErrMalformed, j.item.Problem.Message)
				}
				if err := acc.add(j); err != nil {
					return err
				}
				if opts.Progress != nil && acc.read%512 == 0 {
					opts.Progress(acc.read)
				}
			}
		}
		if ctx.Err() != nil {
			return context.Cause(ctx)
		}
	}
	return nil
}

// replay runs one event and derives its decision. broken reports a runtime
// that should not be reused.
func replay(r *runner, opts Options, ev Event) (Decision, bool) {
	k := knownFactors(opts, ev)
	ex := r.exec(ev.JSON, k.fill)
	d := Decision{File: ev.File, Line: ev.Line, ID: ev.ID, Country: ev.Country, Application: ev.Application}
	d.Calls = ex.state.calls
	d.Console = ex.state.console
	d.Notes = ex.state.notes
	d.timedOut = ex.timedOut
	d.assumption, d.tenant = k.assumption, k.tenant
	if ex.decide != nil {
		d.hasDecide = true
		d.Rule = ex.decide.Rule
		d.Error = ex.decide.Error
	}
	if ex.absent != nil {
		d.Missing = missingFor(opts.Rules, opts.RuleFields, d.Rule, ex.absent)
	}
	if ex.err != "" {
		d.Outcome, d.Error = Error, ex.err
		// An interrupted runtime is not reused: goja may leave an
		// interrupted async function's state behind, so that no later
		// promise of that runtime settles.
		return d, ex.timedOut || strings.HasPrefix(ex.err, "the simulator's JavaScript engine failed") || strings.HasPrefix(ex.err, memoryErrorPrefix)
	}
	der := derive(ex.state.cmds, k.user)
	der.apply(&d)
	if ex.decide != nil && ex.decide.Outcome != string(der.Requested) {
		d.Notes = append(d.Notes, fmt.Sprintf("inconsistent: decide(event) says %s but the Action's calls ask for %s", ex.decide.Outcome, der.Requested))
	}
	return d, false
}

// DescribeFactors names a factor list the way summaries state assumptions:
// "none", "all", or the types joined by commas.
func DescribeFactors(fs []string) string {
	switch {
	case len(fs) == 0:
		return "none"
	case len(fs) == len(challengeFactors) && len(newFactorSet(fs)) == len(challengeFactors):
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
