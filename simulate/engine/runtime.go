package engine

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dop251/goja"

	"github.com/mfapolicy/mfapolicy/simulate/internal/jsonscan"
)

// Program is an Action compiled once for goja, to be run on any number of
// runtimes.
type Program struct {
	name string
	prg  *goja.Program
	// now is when the clock of a login with no recorded time starts
	// (sandboxConfig.Now); nowGiven tells which. fixed starts every
	// login's clock there.
	now      time.Time
	nowGiven bool
	fixed    bool
	// http answers the logins' HTTP requests (nil: none is answered).
	http *HTTPFixtures
	// Plan is the part of each event the runners build (nil: all of it).
	Plan *ReadPlan
	// Multifactor is set for a compiled policy that can observe
	// event.user.multifactor, which the simulator then derives as Auth0
	// fills it (simulate/input/multifactor.go). A hand-written Action's bundle derives
	// it itself (bundle.go), unless the Action never reaches event.user
	// (userUnread): then the simulator does, as for a compiled policy.
	Multifactor bool
	UserUnread  bool
}

// DeriveFor sets the Program to derive event.user.multifactor in Go when
// its first runner found that the bundled Action never reaches event.user
// (runner.handlerPlan). Every runner of the Program finds the same plan;
// one that later builds whole events (the watch) receives the derived
// list before the glue runs, which then keeps it, as it keeps a list the
// event carries.
func (p *Program) DeriveFor(first *Runner) {
	if first.UserUnread {
		p.Multifactor, p.UserUnread = true, true
	}
}

// CompileAction compiles a CommonJS Action. The source is wrapped as Node
// wraps a module, (function (exports, require, module, __filename,
// __dirname) {...}), on the same first line so that line numbers in errors
// match the file.
func CompileAction(name string, code []byte) (*Program, error) {
	src := "(function (exports, require, module, __filename, __dirname) {" + string(code) + "\n})"
	prg, err := goja.Compile(name, src, false)
	if err != nil {
		return nil, fmt.Errorf("%s: the Action does not compile: %w", name, err)
	}
	return &Program{name: name, prg: prg}, nil
}

// SandboxConfig is what a run lends every login of a Program.
type SandboxConfig struct {
	// Now is when the clock of a login with no recorded time starts;
	// NowGiven says it was given rather than the start of the run.
	// FixedNow starts every login's clock there.
	Now      time.Time
	NowGiven bool
	FixedNow bool
	// HTTP answers the logins' HTTP requests (nil: none is answered).
	HTTP *HTTPFixtures
}

// Lend gives the Program what a run lends every login: the clock's
// start for logins with no recorded time and the HTTP fixtures.
func (p *Program) Lend(c SandboxConfig) {
	p.now, p.nowGiven, p.fixed, p.http = c.Now, c.NowGiven, c.FixedNow, c.HTTP
}

// Multifactor is what the simulator fills into event.user.multifactor
// before the Action runs (Runner.Exec).
type Multifactor uint8

const (
	MultifactorKept     Multifactor = iota // nothing: the event keeps what it carries
	MultifactorGuardian                    // ["guardian"]
	MultifactorNone                        // []
)

// errTimeout is the value a runtime is interrupted with at the time limit.
var errTimeout = errors.New("time limit")

// maxConsole bounds what one login may print: Auth0 keeps only 256
// characters of console output per execution
// (https://auth0.com/docs/customize/actions/limitations); the simulator
// keeps more, but not without limit.
const (
	maxConsoleLines = 100
	maxConsoleLine  = 1000
)

// EventState is what one login's execution accumulates.
type EventState struct {
	event      *goja.Object
	api        *goja.Object
	Calls      []Call
	Cmds       []Command
	Notes      []string
	Console    []string
	dropped    int
	cache      map[string]string
	redirected bool
	rendered   bool
	// noTime is set when the login has no recorded time, so that its
	// clock started at the run's default; clock is then the assumption
	// it states if it read the clock.
	noTime bool
	clock  string
	// refused lists the host of every request no HTTP fixture answered.
	refused []string
	// multifactor says how event.user.multifactor was derived, "" when it
	// was not.
	multifactor string
}

// Runner is one goja runtime with the Action loaded, owned by one worker.
type Runner struct {
	vm         *goja.Runtime
	onExecute  goja.Callable
	decide     goja.Callable
	stringify  goja.Callable
	apiProto   *goja.Object
	buildValue EventBuilder
	dec        *Decoder // builds events, unless a builder was given
	// Index is where the members of the record exec is given are, when
	// the locating pass has found them (nil: the decoder scans for them).
	Index      *jsonscan.Index
	timeout    time.Duration
	cur        *EventState
	clock      *Clock
	defaultNow time.Time
	fixedNow   bool
	fixtures   *HTTPFixtures
	noTimeFact string
	// memory watches the runner's logins for the memory limit; timer and
	// fired enforce the time limit (guard).
	memory *MemoryWatch
	timer  *time.Timer
	fired  chan struct{}
	// watch looks for accessors on Object.prototype (handlerplan.go); nil
	// for a compiled policy, whose event follows its fields.
	watch *ProtoWatch
	// factorCalls remembers what calls of challengeWith and the like
	// meant (api.go).
	factorCalls map[factorCallKey]factorCallResult
	// watched says that the Action is hand-written, so that the watch
	// looks at Object.prototype after every login.
	watched bool
	// watchPlan is what the watch looks for on Object.prototype: the
	// decoder's plan and the paths the glue reads on the event
	// (handlerPlan); nil when the decoder builds whole events.
	watchPlan *ReadPlan
	// UserUnread says that neither the handler nor decide reaches
	// event.user, so that the simulator derives event.user.multifactor
	// in Go (simulate/input/multifactor.go) rather than building the user for the
	// glue's derivation (handlerPlan).
	UserUnread bool
	// compiled says that the Action is a compiled policy (Options.Fields
	// set: its code is the compiler's), whose decide and handler neither
	// keep nor change what they are given.
	compiled bool
	// objectProto and arrayProto are Object.prototype and
	// Array.prototype as the runtime made them (api.go: plainJSON).
	objectProto, arrayProto *goja.Object
	// api is the api object every login of a compiled policy is given
	// (loginAPI).
	api *goja.Object
	// filled and filledList are the last assumed factors filled into a
	// compiled policy's event, and the list made of them (fillEnrolled).
	filled     []string
	filledList goja.Value
	// jsonScratch is where plainJSON writes, and jsonTexts the texts it
	// wrote, kept once each (internJSON).
	jsonScratch []byte
	jsonTexts   map[string]json.RawMessage
}

// NewRunner creates a runtime that holds only the ECMAScript built-ins,
// the module objects, a capturing console, the timers and clock of the
// login's virtual time (clock.go) and the Go functions the shims of
// bundled Actions call (host.go, http.go): no require (it throws), no
// process, no file or network access.
func NewRunner(p *Program, build EventBuilder, timeout time.Duration) (*Runner, error) {
	vm := goja.New()
	vm.SetMaxCallStackSize(4096)
	r := &Runner{vm: vm, factorCalls: map[factorCallKey]factorCallResult{}, buildValue: build, timeout: timeout, cur: &EventState{},
		clock: &Clock{}, memory: NewMemoryWatch(vm), defaultNow: p.now, fixedNow: p.fixed, fixtures: p.http, noTimeFact: clockFact(p), compiled: p.Plan != nil}
	if build == nil {
		r.dec = NewDecoder(vm, p.Plan)
		// exec's input is a record the reader has validated (simulate/input/reader.go).
		r.dec.Checked = true
		// A compiled policy neither keeps the event nor changes it: each
		// login's event is built in the objects of the last where their
		// members are the same (reuse.go).
		r.dec.Reuse = r.compiled
		r.buildValue = BuildFromGo
		if p.Plan == nil {
			// Made before the Action runs, so that nothing it redefines
			// can mislead the watch (handlerPlan).
			r.watch = NewProtoWatch(vm)
		}
	}
	r.objectProto = vm.Get("Object").ToObject(vm).Get("prototype").ToObject(vm)
	r.arrayProto = vm.Get("Array").ToObject(vm).Get("prototype").ToObject(vm)
	stringify, _ := goja.AssertFunction(vm.Get("JSON").ToObject(vm).Get("stringify"))
	r.stringify = stringify
	r.buildAPIPrototypes()
	_ = vm.Set("console", r.newConsole())
	installHost(r)
	InstallClock(r.vm, r.clock)

	wrapper, err := vm.RunProgram(p.prg)
	if err != nil {
		return nil, fmt.Errorf("%s: %s", p.name, ErrorText(err))
	}
	fn, ok := goja.AssertFunction(wrapper)
	if !ok {
		return nil, fmt.Errorf("%s: the Action did not compile to a module", p.name)
	}
	exports := vm.NewObject()
	module := vm.NewObject()
	_ = module.Set("exports", exports)
	require := vm.ToValue(func(call goja.FunctionCall) goja.Value {
		panic(r.newError(fmt.Sprintf("require(%s) is not available: the simulator runs the Action without npm modules or Node.js built-ins", call.Argument(0).String())))
	})
	if err := r.guard(func() error {
		_, err := fn(exports, exports, require, module, vm.ToValue(p.name), vm.ToValue("."))
		return err
	}); err != nil {
		return nil, fmt.Errorf("%s: loading the Action failed: %s", p.name, ErrorText(err))
	}
	mod := module.Get("exports").ToObject(vm)
	if r.onExecute, ok = goja.AssertFunction(mod.Get("onExecutePostLogin")); !ok {
		return nil, fmt.Errorf("%s: the Action does not export an onExecutePostLogin function", p.name)
	}
	r.decide, _ = goja.AssertFunction(mod.Get("decide"))
	if r.watch != nil {
		// A hand-written Action: its event is built after a plan of its
		// own, and Object.prototype is watched.
		r.dec.Plan, r.watchPlan = r.handlerPlan(mod)
		plain := mod.Get(BundledPlain)
		r.watched = plain == nil || !plain.ToBoolean()
	}
	return r, nil
}

// handlerPlan finds the paths of the event the handler (and decide) read
// (handlerplan.go), for an Action without a list of fields. A bundled
// Action exports its own handler beside the glue that calls it
// (bundle.go), whose reads of the event are added as they are, with those
// of the api methods that read it (api.go).
//
// The glue derives event.user.multifactor from event.user.enrolledFactors
// before the handler runs (shims/user.js), which needs the user built.
// When neither the handler nor decide reaches event.user, nothing the
// Action runs can see the user: the decoder leaves it out, and the
// simulator derives the list in Go from the record as it does for a
// compiled policy (UserUnread; simulate/player.go), which
// TestMultifactorTwins holds equal to the glue's derivation. The watch
// still looks for the glue's names (watch), so that an accessor on
// Object.prototype that the glue's read of event.user would run makes
// every event whole again.
func (r *Runner) handlerPlan(mod *goja.Object) (plan, watch *ReadPlan) {
	fns := []goja.Value{mod.Get("onExecutePostLogin")}
	extra := []string{"request.query", "request.body", "transaction.protocol"}
	var glue []string
	if h := mod.Get(BundledHandler); h != nil && !goja.IsUndefined(h) {
		fns[0] = h
		extra = append(extra, "secrets")
		glue = []string{"user.multifactor", "user.enrolledFactors"}
	}
	if d := mod.Get("decide"); d != nil && !goja.IsUndefined(d) {
		fns = append(fns, d)
	}
	sources := make([]string, len(fns))
	for i, fn := range fns {
		src, err := r.watch.Source(fn)
		if err != nil {
			return nil, nil
		}
		sources[i] = src
	}
	plan = HandlerPlan(sources, extra)
	watch = plan
	if glue != nil && plan != nil {
		watch = HandlerPlan(sources, append(extra, glue...))
		if plan.Keys["user"] != nil {
			plan = watch
		} else {
			r.UserUnread = true
		}
	}
	found, _ := r.watch.Look(watch)
	if found&ProtoUnusual != 0 {
		r.dec.Define = true
	}
	if found&ProtoAccessor != 0 {
		r.UserUnread = false
		return nil, nil
	}
	return plan, watch
}

// guard runs f under the time limit and the memory watch (memory.go). When
// either fires the runtime is interrupted; the interrupt is cleared before
// guard returns so the runtime can run the next login.
func (r *Runner) guard(f func() error) (err error) {
	r.memory.Begin()
	defer func() {
		if r.memory.End() {
			err = MemoryError()
			r.vm.ClearInterrupt()
		}
	}()
	if r.timeout <= 0 {
		return f()
	}
	// One timer serves every login of the runner: reset as a login
	// starts, stopped as it ends. When Stop finds it fired, the interrupt
	// has been (or is being) set, and fired says when it has.
	if r.timer == nil {
		r.fired = make(chan struct{}, 1)
		r.timer = time.AfterFunc(time.Hour, func() {
			r.vm.Interrupt(errTimeout)
			r.fired <- struct{}{}
		})
		r.timer.Stop()
	}
	r.timer.Reset(r.timeout)
	err = f()
	if !r.timer.Stop() {
		<-r.fired
	}
	r.vm.ClearInterrupt()
	return err
}

// Execution is the outcome of one execution before Auth0's rules are applied.
type Execution struct {
	State    *EventState
	Decide   *DecideResult
	Err      string
	TimedOut bool
}

// DecideResult is what a compiled policy's decide(event) returns.
type DecideResult struct {
	Rule    string
	Outcome string
	Factors []string
	Reason  string
	Error   string
}

// Exec runs the Action on one event: onExecutePostLogin(event, api),
// awaiting its promise. A compiled policy's onExecutePostLogin resolves to
// the decision it applied (templates/action.js), which names the deciding
// rule; any other Action that exports decide(event) has it called once
// more, after the handler, for the rule. Go panics inside goja are caught
// and reported as errors of this login. When assumed is not nil, the event
// has no event.user.enrolledFactors and the assumed factor types are
// filled in before the Action sees it, so that the policy's rules and the
// decision derived from its calls rest on the same assumption.
//
// The login's clock starts at its recorded time at (the run's default
// when zero, or always with sandboxConfig.FixedNow) and advances only with the
// timers the Action sets (clock.go).
func (r *Runner) Exec(data []byte, assumed []string, mf Multifactor, at time.Time) (ex Execution) {
	r.cur = &EventState{}
	switch {
	case r.fixedNow:
		at = r.defaultNow
	case at.IsZero():
		at = r.defaultNow
		r.cur.noTime = true
	}
	r.clock.Begin(at)
	ex.State = r.cur
	defer func() {
		if p := recover(); p != nil {
			ex.Err = fmt.Sprintf("the simulator's JavaScript engine failed: %v", p)
			r.vm.ClearInterrupt()
		}
	}()
	err := r.guard(func() error {
		ev, err := r.build(data)
		if err != nil {
			return err
		}
		obj, _ := ev.(*goja.Object)
		if assumed != nil && obj != nil && r.buildsUser() {
			r.changesUser(obj)
			r.fillEnrolled(obj, assumed)
		}
		if mf != MultifactorKept && obj != nil {
			r.changesUser(obj)
			r.fillMultifactor(obj, mf)
		}
		r.cur.event = obj
		r.cur.api = r.loginAPI()
		ret, err := r.onExecute(goja.Undefined(), ev, r.cur.api)
		if err != nil {
			return err
		}
		val, err := r.clock.Await(ret, r.timeout)
		if err != nil {
			return err
		}
		if ex.Decide = r.returnedDecision(val); ex.Decide == nil && r.decide != nil {
			v, err := r.decide(goja.Undefined(), ev)
			if err != nil {
				return fmt.Errorf("decide(event) threw: %w", err)
			}
			ex.Decide = r.readDecide(v)
		}
		return nil
	})
	if err != nil {
		ex.Err = ErrorText(err)
		var ie *goja.InterruptedError
		var vt *VirtualTimeout
		if errors.As(err, &vt) {
			ex.TimedOut = true
		}
		if errors.As(err, &ie) {
			ex.TimedOut = true
			ex.Err = fmt.Sprintf("the Action did not finish within %s", r.timeout)
		}
	}
	if r.cur.noTime && r.clock.Read {
		r.cur.clock = r.noTimeFact
	}
	if r.watched {
		if found, ok := r.watch.Look(r.watchPlan); ok {
			if found&ProtoUnusual != 0 {
				r.dec.Define = true
			}
			if found&ProtoAccessor != 0 && r.dec.Plan != nil {
				// The Action defined an accessor that a read of a missing
				// member runs with the object as this: from now on every
				// event is built whole, beginning with this login's, run
				// again.
				r.dec.Plan, r.watchPlan = nil, nil
				return r.Exec(data, assumed, mf, at)
			}
		}
	}
	if r.cur.dropped > 0 {
		r.cur.Console = append(r.cur.Console, fmt.Sprintf("... %d more console lines not kept", r.cur.dropped))
	}
	return ex
}

// loginAPI is the api object of this login: a new one for every login,
// but for a compiled policy, whose handler neither keeps nor changes it,
// the same one, whose namespace objects are then made once. The calls
// are recorded in the login's own state (r.cur) either way.
func (r *Runner) loginAPI() *goja.Object {
	if !r.compiled {
		return r.newAPI()
	}
	if r.api == nil {
		r.api = r.newAPI()
	}
	return r.api
}

// changesUser tells the decoder that the simulator is about to change
// event.user of this event (FillEnrolled, fillMultifactor), so that the
// next event does not reuse what changed: the user alone when it is a
// plain object, absent or null (the event's other objects are still
// reused), else everything, the lists shared by their text included (a
// user that is a list may be one of them).
func (r *Runner) changesUser(event *goja.Object) {
	if r.dec == nil {
		return
	}
	u := event.Get("user")
	if o, ok := u.(*goja.Object); ok && o.ClassName() == "Object" || u == nil || goja.IsUndefined(u) || goja.IsNull(u) {
		r.dec.ForgetMember("user")
		return
	}
	r.dec.Forget()
}

// buildsUser tells whether the event the Action receives has its user
// built: whole, or after a plan that reaches event.user. Assumed factors
// are filled only into a user that is built; a plan without the user is
// one under which no code of the Action reads it.
func (r *Runner) buildsUser() bool {
	if r.dec == nil || r.dec.Plan == nil {
		return true
	}
	return r.dec.Plan.Whole || r.dec.Plan.Keys["user"] != nil
}

// build turns the event's JSON into the value the Action receives.
func (r *Runner) build(data []byte) (goja.Value, error) {
	if r.dec == nil {
		return r.buildValue(r.vm, data)
	}
	return r.dec.BuildIndexed(data, r.Index)
}

// returnedDecision reads the decision a compiled policy's
// onExecutePostLogin resolves to: an object with a string outcome and a
// rule. Anything else (undefined, or the api object of the common
// `return api.access.deny(...)`) is no decision.
func (r *Runner) returnedDecision(v goja.Value) *DecideResult {
	o, ok := v.(*goja.Object)
	if !ok || r.decide == nil || o.ClassName() != "Object" {
		return nil
	}
	if out := o.Get("outcome"); out == nil || goja.IsUndefined(out) {
		return nil
	} else if _, ok := out.(goja.String); !ok {
		return nil
	}
	if rule := o.Get("rule"); rule == nil || goja.IsUndefined(rule) {
		return nil
	}
	return r.readDecide(o)
}

func (r *Runner) readDecide(v goja.Value) *DecideResult {
	o, ok := v.(*goja.Object)
	if !ok {
		return &DecideResult{Error: "decide(event) did not return an object"}
	}
	str := func(k string) string {
		x := o.Get(k)
		if x == nil || goja.IsUndefined(x) || goja.IsNull(x) {
			return ""
		}
		return x.String()
	}
	d := &DecideResult{Rule: str("rule"), Outcome: str("outcome"), Reason: str("reason"), Error: str("error")}
	if fs, ok := o.Get("factors").(*goja.Object); ok {
		d.Factors = r.factorList(fs)
	}
	return d
}

// factorList is fs exported to a []string, nil when it does not export to
// one. For a compiled policy, whose decide returns a fresh array of
// strings, the list is read from the array's own export, which gives the
// same strings without the reflection of goja's ExportTo (several times
// dearer). Any other Action goes through ExportTo: it follows an
// Array.prototype[Symbol.iterator] the Action may have replaced.
func (r *Runner) factorList(fs *goja.Object) []string {
	if r.compiled && fs.ClassName() == "Array" {
		if list, ok := stringElems(fs); ok {
			return list
		}
	}
	var list []string
	if r.vm.ExportTo(fs, &list) != nil {
		return nil
	}
	return list
}

// stringElems reads an array whose elements are all strings, element by
// element (an array's own export would first copy it to a []any), and
// says whether they were.
func stringElems(a *goja.Object) ([]string, bool) {
	n := a.Get("length").ToInteger()
	if n < 0 || n > 64 {
		return nil, false
	}
	list := make([]string, n)
	for i := range list {
		s, ok := a.Get(strconv.Itoa(i)).(goja.String)
		if !ok {
			return nil, false
		}
		list[i] = s.String()
	}
	return list, true
}

// newConsole returns a console whose output is kept per login.
func (r *Runner) newConsole() *goja.Object {
	c := r.vm.NewObject()
	for _, level := range []string{"log", "info", "warn", "error", "debug", "trace"} {
		prefix := ""
		if level == "warn" || level == "error" {
			prefix = level + ": "
		}
		_ = c.Set(level, func(call goja.FunctionCall) goja.Value {
			r.print(prefix, call.Arguments)
			return goja.Undefined()
		})
	}
	return c
}

func (r *Runner) print(prefix string, args []goja.Value) {
	st := r.cur
	if len(st.Console) >= maxConsoleLines {
		st.dropped++
		return
	}
	parts := make([]string, len(args))
	for i, a := range args {
		if o, ok := a.(*goja.Object); ok && o.ClassName() != "Error" && o.ClassName() != "Function" {
			if s, err := r.stringify(goja.Undefined(), o); err == nil && !goja.IsUndefined(s) {
				parts[i] = s.String()
				continue
			}
		}
		parts[i] = ValueText(a)
	}
	line := prefix + strings.Join(parts, " ")
	if len(line) > maxConsoleLine {
		line = line[:maxConsoleLine] + "..."
	}
	st.Console = append(st.Console, line)
}

// newError makes a JavaScript Error to throw from a Go method.
func (r *Runner) newError(msg string) *goja.Object {
	ctor := r.vm.Get("Error")
	o, err := r.vm.New(ctor, r.vm.ToValue(msg))
	if err != nil {
		return r.vm.NewTypeError(msg)
	}
	return o
}

// fillMultifactor sets event.user.multifactor to the list derived for
// the login (simulate/input/multifactor.go: the derivation has checked that event.user is
// an object without multifactor), as Auth0 fills it before a compiled
// policy's Action runs.
func (r *Runner) fillMultifactor(event *goja.Object, mf Multifactor) {
	user, ok := event.Get("user").(*goja.Object)
	if !ok {
		return
	}
	list := r.vm.NewArray()
	if mf == MultifactorGuardian {
		list = r.vm.NewArray("guardian")
	}
	_ = user.DefineDataProperty("multifactor", list, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE)
}

// fillEnrolled is FillEnrolled on the runner's runtime. A compiled
// policy, which neither keeps nor changes its event, is given the same
// list for the same assumed factors from one login to the next, as lists
// of the same text are (reuse.go).
func (r *Runner) fillEnrolled(event *goja.Object, assumed []string) {
	if !r.compiled {
		FillEnrolled(r.vm, event, assumed)
		return
	}
	if r.filledList == nil || !slices.Equal(assumed, r.filled) {
		r.filled, r.filledList = slices.Clone(assumed), enrolledList(r.vm, assumed)
	}
	fillEnrolledWith(r.vm, event, r.filledList)
}

// FillEnrolled sets event.user.enrolledFactors to [{type}, ...] for the
// assumed factors, creating event.user when it is absent or null. A user
// of the wrong JSON type is left alone: the Action sees it as Node would.
func FillEnrolled(vm *goja.Runtime, event *goja.Object, assumed []string) {
	fillEnrolledWith(vm, event, enrolledList(vm, assumed))
}

// enrolledList is [{type}, ...] for the assumed factors.
func enrolledList(vm *goja.Runtime, assumed []string) goja.Value {
	factors := make([]any, len(assumed))
	for i, f := range assumed {
		fo := vm.NewObject()
		_ = fo.Set("type", f)
		factors[i] = fo
	}
	return vm.NewArray(factors...)
}

// fillEnrolledWith sets event.user.enrolledFactors to list, as
// FillEnrolled does.
func fillEnrolledWith(vm *goja.Runtime, event *goja.Object, list goja.Value) {
	userVal := event.Get("user")
	var user *goja.Object
	switch {
	case userVal == nil || goja.IsUndefined(userVal) || goja.IsNull(userVal):
		user = vm.NewObject()
		_ = event.DefineDataProperty("user", user, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE)
	default:
		o, ok := userVal.(*goja.Object)
		if !ok || o.ClassName() != "Object" {
			return
		}
		user = o
	}
	_ = user.DefineDataProperty("enrolledFactors", list, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE)
}
