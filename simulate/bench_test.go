package simulate

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"testing"

	"github.com/dop251/goja"

	"github.com/mfapolicy/mfapolicy/internal/eventgen"
	"github.com/mfapolicy/mfapolicy/simulate/engine"
	"github.com/mfapolicy/mfapolicy/simulate/input"
)

var memEvents = flag.String("memevents", "", "comma-separated event counts for TestMemoryFlat, e.g. 100000,1000000")

// benchAction is shaped like a compiled policy: a few rules over geoip,
// risk and roles.
const benchAction = `
const HOME = ['US', 'CA', 'GB', 'DE'];
exports.onExecutePostLogin = async (event, api) => {
  const geo = event.request.geoip || {};
  const risk = (event.authentication && event.authentication.riskAssessment) || {};
  if (geo.countryCode === 'KP' || geo.countryCode === 'IR') { api.access.deny('blocked'); return; }
  if ((event.authorization || {roles: []}).roles.includes('admin')) { api.authentication.challengeWith({type: 'webauthn-roaming'}); return; }
  if (risk.confidence === 'low') { api.authentication.challengeWithAny([{type: 'otp'}, {type: 'push-notification'}]); return; }
  if (geo.countryCode && !HOME.includes(geo.countryCode)) api.authentication.challengeWith({type: 'otp'});
};`

// corpus streams n generated events without holding them in memory.
func corpus(n int) io.Reader {
	pr, pw := io.Pipe()
	go func() {
		pw.CloseWithError(eventgen.WriteCorpus(pw, eventgen.Events, n, 1))
	}()
	return pr
}

func BenchmarkRun(b *testing.B) {
	for _, name := range []string{"go", "jsonparse"} {
		b.Run(name, func(b *testing.B) {
			var data strings.Builder
			_ = eventgen.WriteCorpus(&data, eventgen.Events, 5000, 1)
			b.ResetTimer()
			events := 0
			for i := 0; i < b.N; i++ {
				opts := Options{Code: []byte(benchAction), Inputs: []input.Input{input.ReaderInput("bench", strings.NewReader(data.String()))}}
				if name == "jsonparse" {
					opts.builder = engine.BuildWithJSONParse
				}
				sum, err := Run(context.Background(), opts)
				if err != nil {
					b.Fatal(err)
				}
				events += int(sum.Replayed)
			}
			b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
		})
	}
}

// BenchmarkBuild compares the two ways of turning event JSON into goja
// objects, on one core.
func BenchmarkBuild(b *testing.B) {
	g := eventgen.New(1)
	ev := g.Event()
	for name, build := range map[string]engine.EventBuilder{"go": engine.BuildFromGo, "jsonparse": engine.BuildWithJSONParse} {
		b.Run(name, func(b *testing.B) {
			vm := goja.New()
			b.SetBytes(int64(len(ev)))
			for i := 0; i < b.N; i++ {
				if _, err := build(vm, ev); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// peakHeap replays n generated events and returns the peak heap in use,
// sampled as decisions arrive.
func peakHeap(t *testing.T, n int) (uint64, int64) {
	var peak uint64
	var ms runtime.MemStats
	opts := Options{
		Code:       []byte(benchAction),
		Inputs:     []input.Input{input.ReaderInput("gen", corpus(n))},
		OnDecision: func(Decision) error { return nil },
		Progress: func(done int64) {
			if done%4096 == 0 {
				runtime.ReadMemStats(&ms)
				peak = max(peak, ms.HeapInuse)
			}
		},
	}
	sum, err := Run(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	return peak, sum.Replayed
}

// TestMemoryFlat checks that peak heap does not grow with the number of
// events. CI runs small counts; -memevents runs large ones.
func TestMemoryFlat(t *testing.T) {
	counts := []int{2000, 20000}
	if testing.Short() {
		t.Skip("replays 22k events")
	}
	if *memEvents != "" {
		counts = nil
		for _, s := range strings.Split(*memEvents, ",") {
			var n int
			fmt.Sscan(s, &n)
			counts = append(counts, n)
		}
	}
	var peaks []uint64
	for _, n := range counts {
		runtime.GC()
		p, replayed := peakHeap(t, n)
		peaks = append(peaks, p)
		t.Logf("%d events (%d replayed): peak heap in use %.1f MiB, process peak RSS %s", n, replayed, float64(p)/(1<<20), peakRSS())
	}
	first, last := peaks[0], peaks[len(peaks)-1]
	if last > first+16<<20 {
		t.Errorf("peak heap grew from %.1f MiB to %.1f MiB", float64(first)/(1<<20), float64(last)/(1<<20))
	}
}

// peakRSS reads the process's high-water resident set size (Linux).
func peakRSS() string {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return "unknown"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "VmHWM:") {
			return strings.TrimSpace(strings.TrimPrefix(sc.Text(), "VmHWM:"))
		}
	}
	return "unknown"
}
