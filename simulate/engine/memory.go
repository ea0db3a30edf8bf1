package engine

import (
	"errors"
	"fmt"
	"runtime"
	"runtime/metrics"
	"sync"
	"time"

	"github.com/dop251/goja"
)

// goja has no heap limit of its own, so the simulator watches the Go heap
// while Actions run. What is guaranteed:
//
//   - When the live heap (as measured by the last garbage collection) has
//     grown by more than memoryLimit, or the heap in use (garbage included)
//     by more than garbageFactor times that, since logins began running
//     (the baseline is taken again whenever no login has been running for a
//     sample), the login that has been running longest is interrupted with
//     errMemory. It is almost always the culprit: ordinary logins finish in
//     microseconds, while filling hundreds of MiB takes milliseconds. That
//     login's decision is an error saying so, and its runtime is discarded
//     (its module state may hold what it allocated).
//   - The heap is sampled every memorySample (when the scheduler lets the
//     sampler run: on a machine with fewer CPUs than busy workers, later);
//     the simulator never forces a collection.
//
// What is not: a single allocation cannot be interrupted, so one statement
// that asks for gigabytes at once (new Array(2**31), a string doubled past
// the machine's memory) can still exhaust memory before a sample sees it;
// and the limit is per process, so a login running alongside the culprit
// may in rare cases be the one stopped.
var (
	memoryLimit  uint64 = 512 << 20
	memorySample        = 5 * time.Millisecond
	// garbageFactor bounds the heap in use, garbage not yet collected
	// included, in multiples of the limit: a login allocating faster than
	// the collector runs is stopped before a collection confirms it.
	garbageFactor uint64 = 3
	// memoryReclaim is how long after a stop a collection is forced.
	memoryReclaim = 20 * time.Millisecond
)

// SetMemoryLimit sets memoryLimit and returns the previous one. It is a
// test hook: the simulator's tests lower the limit to stop a runaway
// Action sooner, and restore it with the value returned.
func SetMemoryLimit(limit uint64) uint64 {
	old := memoryLimit
	memoryLimit = limit
	return old
}

// errMemory is what a login is interrupted with when the heap grew past
// the limit.
var errMemory = errors.New("memory limit")

// MemoryErrorPrefix starts the error of a login stopped for memory.
const MemoryErrorPrefix = "the Action used too much memory"

// MemoryError is the error of a login stopped for memory.
func MemoryError() error {
	return fmt.Errorf("%s: the simulator's heap grew by more than %d MiB while it ran, so it was stopped", MemoryErrorPrefix, memoryLimit>>20)
}

// watch is one login being run.
type watch struct {
	vm    *goja.Runtime
	start time.Time
	hit   bool
}

// memoryWatcher samples the heap while any login runs.
type memoryWatcher struct {
	mu       sync.Mutex
	running  map[*watch]bool
	sampling bool
	baseline uint64
	based    bool
	origin   uint64 // the baseline when sampling began
}

var memWatch = &memoryWatcher{running: map[*watch]bool{}}

// MemoryWatch watches the logins one runtime runs, one at a time: Begin
// registers the login that starts, End unregisters it. One MemoryWatch
// serves every login of its runtime, so that watching costs no
// allocation per login.
type MemoryWatch struct{ w watch }

// NewMemoryWatch returns the watch of the logins vm runs.
func NewMemoryWatch(vm *goja.Runtime) *MemoryWatch {
	return &MemoryWatch{w: watch{vm: vm}}
}

// Begin registers the login that starts on the watch's runtime.
func (mw *MemoryWatch) Begin() {
	w := &mw.w
	m := memWatch
	m.mu.Lock()
	w.start, w.hit = time.Now(), false
	if !m.based {
		m.baseline, m.based = heapLive(), true
		m.origin = m.baseline
	}
	m.running[w] = true
	if !m.sampling {
		m.sampling = true
		go m.sample()
	}
	m.mu.Unlock()
}

// End unregisters the login and reports whether it was stopped for
// memory.
func (mw *MemoryWatch) End() bool {
	w := &mw.w
	m := memWatch
	m.mu.Lock()
	delete(m.running, w)
	hit := w.hit
	m.mu.Unlock()
	if hit {
		// Collect once the stopped login's runtime has been dropped,
		// so that the raised baseline comes back down soon.
		time.AfterFunc(memoryReclaim, runtime.GC)
	}
	return hit
}

// sample runs while logins are registered.
func (m *memoryWatcher) sample() {
	t := time.NewTicker(memorySample)
	defer t.Stop()
	samples := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/gc/heap/live:bytes"}}
	for range t.C {
		metrics.Read(samples)
		inUse, live := samples[0].Value.Uint64(), samples[1].Value.Uint64()
		m.mu.Lock()
		if len(m.running) == 0 {
			m.sampling, m.based = false, false
			m.mu.Unlock()
			return
		}
		// After a stop the baseline is raised to the heap in use, so that
		// the next login is not blamed for the stopped one's memory; it
		// comes back down as the collector frees that memory.
		if inUse < m.baseline {
			m.baseline = max(m.origin, inUse)
		}
		if live > m.baseline+memoryLimit || inUse > m.baseline+garbageFactor*memoryLimit {
			m.stopOldest()
			m.baseline = max(m.baseline, inUse)
		}
		m.mu.Unlock()
	}
}

// stopOldest interrupts the login that has run longest. m.mu is held.
func (m *memoryWatcher) stopOldest() {
	var oldest *watch
	for w := range m.running {
		if oldest == nil || w.start.Before(oldest.start) {
			oldest = w
		}
	}
	if oldest != nil {
		oldest.hit = true
		oldest.vm.Interrupt(errMemory)
	}
}

// heapLive is the heap in use by reachable objects as of the last
// collection.
func heapLive() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return s[0].Value.Uint64()
}
