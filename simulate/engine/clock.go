package engine

import (
	"fmt"
	"math"
	"time"

	"github.com/dop251/goja"
)

// The login's clock and timers. An Action's Date.now(), new Date() and
// performance.now() read a virtual clock that starts at the login's
// recorded time (Event.Time, else Options.Now) and advances only when
// every job the Action queued has run and a timer is due next: then it
// jumps to that timer. So a 4 s sleep costs no real time, the same input
// gives the same output on any day, and virtual time counts against the
// login's time limit. Nothing here runs per login unless the Action reads
// the clock or sets a timer.
//
// Node's timer semantics followed: a delay below 1 ms, above 2^31-1 ms or
// not a number is 1 ms; setTimeout returns an object with ref, unref,
// hasRef and refresh that converts to the timer's id; timers due at the same time run in the order they
// were set; setImmediate runs before any timer set for later
// (https://nodejs.org/docs/latest-v22.x/api/timers.html).

// Clock is one runtime's virtual clock and pending timers.
type Clock struct {
	start   time.Time     // the login's recorded time
	elapsed time.Duration // virtual time since the login started
	// Read is set when the Action Read the clock during this login.
	Read   bool
	timers []*timer
	nextID int64
	seq    int64
	proto  *goja.Object // prototype of the Timeout objects
}

// timer is one pending setTimeout, setInterval or setImmediate, or a
// delayed HTTP fixture response (run set, fn nil).
type timer struct {
	id    int64
	due   time.Duration
	seq   int64
	delay time.Duration
	every time.Duration // > 0 for setInterval
	fn    goja.Callable
	args  []goja.Value
	run   func() error
}

// maxDelay is the largest delay Node accepts (2^31-1 ms).
const maxDelay = math.MaxInt32 * time.Millisecond

// Begin resets the clock for a login recorded at t.
func (c *Clock) Begin(t time.Time) {
	c.start, c.elapsed, c.Read = t, 0, false
	clear(c.timers)
	c.timers = c.timers[:0]
}

// now is the runtime's time source.
func (c *Clock) now() time.Time {
	c.Read = true
	return c.start.Add(c.elapsed)
}

// add schedules a timer after delay and returns it.
func (c *Clock) add(delay time.Duration, t *timer) *timer {
	c.nextID++
	c.seq++
	t.id, t.seq, t.due, t.delay = c.nextID, c.seq, c.elapsed+delay, delay
	c.timers = append(c.timers, t)
	return t
}

// cancel removes the timer with the given id, if pending.
func (c *Clock) cancel(id int64) {
	for i, t := range c.timers {
		if t.id == id {
			c.timers = append(c.timers[:i], c.timers[i+1:]...)
			return
		}
	}
}

// next removes and returns the timer due first (ties: the first set), or
// nil when none is pending.
func (c *Clock) next() *timer {
	best := -1
	for i, t := range c.timers {
		if best < 0 || t.due < c.timers[best].due || (t.due == c.timers[best].due && t.seq < c.timers[best].seq) {
			best = i
		}
	}
	if best < 0 {
		return nil
	}
	t := c.timers[best]
	c.timers = append(c.timers[:best], c.timers[best+1:]...)
	return t
}

// delayOf reads a timer's delay argument as Node does.
func delayOf(v goja.Value) time.Duration {
	if v == nil || goja.IsUndefined(v) {
		return time.Millisecond
	}
	ms := v.ToFloat()
	if math.IsNaN(ms) || ms < 1 || ms > float64(math.MaxInt32) {
		return time.Millisecond
	}
	return time.Duration(ms * float64(time.Millisecond))
}

// InstallClock sets the runtime's time source to the virtual clock and
// defines the timer globals and performance.now.
func InstallClock(vm *goja.Runtime, c *Clock) {
	vm.SetTimeSource(c.now)
	c.proto = vm.NewObject()
	self := func(call goja.FunctionCall) goja.Value { return call.This }
	for _, name := range []string{"ref", "unref"} {
		_ = c.proto.Set(name, self)
	}
	_ = c.proto.Set("hasRef", func(goja.FunctionCall) goja.Value { return vm.ToValue(true) })
	// refresh starts a pending timer's delay again from now.
	_ = c.proto.Set("refresh", func(call goja.FunctionCall) goja.Value {
		id := call.This.ToObject(vm).Get("_id").ToInteger()
		for _, t := range c.timers {
			if t.id == id {
				c.seq++
				t.due, t.seq = c.elapsed+t.delay, c.seq
			}
		}
		return call.This
	})
	_ = c.proto.SetSymbol(goja.SymToPrimitive, func(call goja.FunctionCall) goja.Value {
		return call.This.ToObject(vm).Get("_id")
	})
	schedule := func(every bool, immediate bool) func(goja.FunctionCall) goja.Value {
		return func(call goja.FunctionCall) goja.Value {
			fn, ok := goja.AssertFunction(call.Argument(0))
			if !ok {
				panic(vm.NewTypeError(fmt.Sprintf("The \"callback\" argument must be of type function. Received %s", ValueText(call.Argument(0)))))
			}
			t := &timer{fn: fn}
			var delay time.Duration
			rest := 1
			if !immediate {
				delay, rest = delayOf(call.Argument(1)), 2
			}
			if len(call.Arguments) > rest {
				t.args = append([]goja.Value(nil), call.Arguments[rest:]...)
			}
			if every {
				t.every = delay
			}
			c.add(delay, t)
			return c.timeoutObject(vm, t.id)
		}
	}
	clearer := func(call goja.FunctionCall) goja.Value {
		v := call.Argument(0)
		if o, ok := v.(*goja.Object); ok {
			v = o.Get("_id")
		}
		if v != nil && !goja.IsUndefined(v) && !goja.IsNull(v) {
			c.cancel(v.ToInteger())
		}
		return goja.Undefined()
	}
	g := vm.GlobalObject()
	def := func(name string, fn func(goja.FunctionCall) goja.Value) {
		_ = g.DefineDataProperty(name, vm.ToValue(fn), goja.FLAG_TRUE, goja.FLAG_FALSE, goja.FLAG_TRUE)
	}
	def("setTimeout", schedule(false, false))
	def("setInterval", schedule(true, false))
	def("setImmediate", schedule(false, true))
	def("clearTimeout", clearer)
	def("clearInterval", clearer)
	def("clearImmediate", clearer)
	def("queueMicrotask", func(call goja.FunctionCall) goja.Value {
		if _, ok := goja.AssertFunction(call.Argument(0)); !ok {
			panic(vm.NewTypeError("The \"callback\" argument must be of type function"))
		}
		p, resolve, _ := vm.NewPromise()
		then, _ := goja.AssertFunction(vm.ToValue(p).ToObject(vm).Get("then"))
		if _, err := then(vm.ToValue(p), call.Argument(0)); err != nil {
			panic(err)
		}
		_ = resolve(goja.Undefined())
		return goja.Undefined()
	})
	perf := vm.NewObject()
	_ = perf.Set("now", func(goja.FunctionCall) goja.Value {
		c.Read = true
		return vm.ToValue(float64(c.elapsed) / float64(time.Millisecond))
	})
	_ = perf.Set("timeOrigin", float64(0))
	_ = g.DefineDataProperty("performance", perf, goja.FLAG_TRUE, goja.FLAG_FALSE, goja.FLAG_TRUE)
}

// timeoutObject is what setTimeout returns in Node: an object with
// ref/unref/hasRef that converts to the timer's id.
func (c *Clock) timeoutObject(vm *goja.Runtime, id int64) *goja.Object {
	o := vm.NewObject()
	_ = o.SetPrototype(c.proto)
	_ = o.DefineDataProperty("_id", vm.ToValue(id), goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE)
	return o
}

// Await runs the login's timers on the virtual clock until the value the
// handler returned settles, and returns what it settled to. A timer that
// throws ends the login as an uncaught exception ends a Node process; a
// timer due past timeout, the login's time limit, ends it as a timeout.
func (c *Clock) Await(ret goja.Value, timeout time.Duration) (goja.Value, error) {
	p := promiseOf(ret)
	for p != nil && p.State() == goja.PromiseStatePending {
		t := c.next()
		if t == nil {
			break
		}
		if t.due > timeout {
			return nil, &VirtualTimeout{limit: timeout, due: t.due}
		}
		c.elapsed = t.due
		if t.every > 0 {
			t.due += t.every
			c.seq++
			t.seq = c.seq
			c.timers = append(c.timers, t)
		}
		var err error
		if t.run != nil {
			err = t.run()
		} else {
			_, err = t.fn(goja.Undefined(), t.args...)
		}
		if err != nil {
			return nil, fmt.Errorf("uncaught exception in a timer: %s", ErrorText(err))
		}
	}
	return Settle(ret)
}

// VirtualTimeout ends a login whose next timer is due past the time
// limit: it counts as a login that hit the time limit.
type VirtualTimeout struct{ limit, due time.Duration }

func (e *VirtualTimeout) Error() string {
	return fmt.Sprintf("the Action was still waiting after %s of virtual time: a timer set for %s would pass the time limit (Auth0 allows 20s; --timeout)", e.limit, e.due.Round(time.Millisecond))
}

// promiseOf returns the promise v is, or nil.
func promiseOf(v goja.Value) *goja.Promise {
	obj, ok := v.(*goja.Object)
	if !ok {
		return nil
	}
	p, _ := obj.Export().(*goja.Promise)
	return p
}
