package compile

import (
	"bufio"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/dop251/goja"
)

// BenchmarkDecideExample runs decide() of the compiled example policy in
// goja over the example events, twice per event as the simulator does (once
// for the deciding rule, once inside onExecutePostLogin). It measures the
// generated code and runtime helpers alone, without decoding.
func BenchmarkDecideExample(b *testing.B) {
	benchDecide(b, "../examples/policy.yaml", "../examples/events.ndjson")
}

// BenchmarkDecideMacros does the same for the macros golden case: macros
// nested in && and ||, chains of && and free-form maps.
func BenchmarkDecideMacros(b *testing.B) {
	benchDecide(b, "testdata/macros/policy.yaml", "testdata/macros/events.ndjson")
}

func benchDecide(b *testing.B, policyFile, eventsFile string) {
	res, err := CompileFile(policyFile, Options{})
	if err != nil {
		b.Fatal(err)
	}
	m := loadGoja(b, res.Code)
	decide, _ := goja.AssertFunction(m.exports.Get("decide"))
	parse, _ := goja.AssertFunction(m.vm.Get("JSON").ToObject(m.vm).Get("parse"))
	f, err := os.Open(eventsFile)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	var events []goja.Value
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		v, err := parse(goja.Undefined(), m.vm.ToValue(sc.Text()))
		if err == nil {
			events = append(events, v)
		}
	}
	if out := os.Getenv("JSPROF"); out != "" {
		pf, err := os.Create(out)
		if err != nil {
			b.Fatal(err)
		}
		if err := goja.StartProfile(pf); err != nil {
			b.Fatal(err)
		}
		defer func() { goja.StopProfile(); pf.Close() }()
	}
	start := cpuTime()
	b.ResetTimer()
	defer func() { b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op") }()
	for i := 0; i < b.N; i++ {
		ev := events[i%len(events)]
		for range 2 {
			if _, err := decide(goja.Undefined(), ev); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// cpuTime is the process's user and system CPU time: on a shared machine
// it varies less than wall time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
