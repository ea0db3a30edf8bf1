// Command bench measures how fast mfapolicy replays recorded logins,
// against Node.js running the same code.js on the same file.
//
//	go run ./bench -n 200000
//
// It builds mfapolicy, writes a deterministic corpus of N post-login events
// (internal/eventgen, the generator of the example corpus), compiles the
// policies, and then runs, one after the other on that one file:
//
//   - for the policy (-policy, examples/policy.yaml): the Node.js harness
//     (harness/node/replay.js) on the compiled code.js; mfapolicy simulate
//     by decision class (the default) and with --exact (every login in
//     goja), each with the default workers and with --workers 1; simulate
//     of the head policy (-head, examples/policy-v2.yaml); diff of the two,
//     by class and with --exact;
//   - the hand-written example Action in Node.js and in mfapolicy simulate
//     --action, with --workers 1 and the default workers;
//   - test of the example tests, and check of the policy;
//   - for the second policy (-policy2 and -head2, bench/testdata/ten-rules.yaml
//     and ten-rules-v2.yaml: ten rules with CIDR lists, string functions,
//     arithmetic, sizes, roles and risk assessments): Node.js, simulate and
//     simulate --exact, simulate of the head policy, diff and diff --exact;
//   - logs pull of -logs logins from the local fake Management API
//     (deploy/deploytest), with its requests per second and the CPU time
//     per request of mfapolicy and of the fake;
//   - with -rss, simulate of corpora of the given sizes streamed into its
//     standard input.
//
// Each run is a child process: its events per second and its peak resident
// set size (the kernel's rusage ru_maxrss) are printed with the ratio to
// Node.js running the same code. simulate and diff run with --format json,
// and the replay object of their summaries gives the share of logins whose
// Action ran in goja and of those verified there against their decision
// class. The targets of the performance work (targets.go) are checked at
// the end, and everything is written to a JSON file so that runs can be
// compared. Ratios are what matter: compare them within one run, on a
// machine that is not busy.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

type config struct {
	n       int
	seed    uint64
	dir     string
	out     string
	policy  string
	head    string
	policy2 string
	head2   string
	tests   string
	action  string
	node    string
	repeat  int
	rss     string
	pgo     string
	logs    int
	keep    bool
	verbose bool
}

func main() {
	var c config
	flag.IntVar(&c.n, "n", 200000, "events in the generated corpus")
	flag.Uint64Var(&c.seed, "seed", 1, "corpus seed; the same seed gives the same bytes")
	flag.StringVar(&c.dir, "dir", "", "work directory for the binary, corpus and code (default: a temporary one, removed afterwards)")
	flag.StringVar(&c.out, "out", "bench-results.json", "write the results to this JSON file")
	flag.StringVar(&c.policy, "policy", "examples/policy.yaml", "policy to compile and simulate")
	flag.StringVar(&c.head, "head", "examples/policy-v2.yaml", "next version of the policy, for diff")
	flag.StringVar(&c.policy2, "policy2", "bench/testdata/ten-rules.yaml", "a second policy to compile, simulate and diff (empty: none)")
	flag.StringVar(&c.head2, "head2", "bench/testdata/ten-rules-v2.yaml", "next version of the second policy, for diff")
	flag.StringVar(&c.tests, "tests", "examples/tests/policy_test.yaml", "test file, for test")
	flag.StringVar(&c.action, "action", "examples/actions/adaptive.js", "hand-written CommonJS Action, run in Node.js and simulated")
	flag.StringVar(&c.node, "node", "node", "Node.js executable")
	flag.IntVar(&c.repeat, "repeat", 1, "measure every row this many times, in rounds over all the rows, and keep the fastest of each")
	flag.StringVar(&c.pgo, "pgo", "", "instead of measuring, profile simulate (the policy and the hand-written Action, one worker) and diff on the corpus and write the merged CPU profile to this file, such as cmd/mfapolicy/default.pgo, from which go build optimises")
	flag.IntVar(&c.logs, "logs", 20000, "logs served by the local fake Management API to one logs pull (0: no logs pull run)")
	flag.StringVar(&c.rss, "rss", "", "also stream corpora of these sizes (comma-separated, such as 100000,1000000,10000000) into simulate's standard input, without files, and report its peak RSS at each")
	flag.Parse()
	if err := run(c, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// Result is one measured command.
type Result struct {
	Name      string   `json:"name"`
	Command   []string `json:"command"`
	Seconds   float64  `json:"seconds"`
	Events    int      `json:"events"`
	PerSecond float64  `json:"events_per_second"`
	PeakRSSMB float64  `json:"peak_rss_mb"`
	// CPUSeconds is the user and system time of the measurement kept
	// (the fastest), over all its threads: over Seconds, the CPUs it
	// kept busy, which on shared CPUs tells a run that got both from one
	// that did not.
	CPUSeconds float64 `json:"cpu_seconds"`
	// Ratio is events per second over those of the Node.js run of the
	// same code (Against names it); 0 when there is none.
	Ratio   float64 `json:"ratio,omitempty"`
	Against string  `json:"against,omitempty"`
	// Replay is how simulate or diff replayed the logins, from its JSON
	// summary (of the fastest run with -repeat).
	Replay *Replay `json:"replay,omitempty"`
}

// Report is what the JSON file holds.
type Report struct {
	Date    string   `json:"date"`
	CPUs    int      `json:"cpus"`
	GOOS    string   `json:"goos"`
	GOARCH  string   `json:"goarch"`
	Go      string   `json:"go"`
	Node    string   `json:"node"`
	Events  int      `json:"events"`
	Bytes   int64    `json:"corpus_bytes"`
	Seed    uint64   `json:"seed"`
	Policy  string   `json:"policy"`
	Head    string   `json:"head"`
	Policy2 string   `json:"policy2,omitempty"`
	Head2   string   `json:"head2,omitempty"`
	Results []Result `json:"results"`
	// LogsPull is the logs pull run, when -logs is not 0.
	LogsPull *LogsPull `json:"logs_pull,omitempty"`
	Checks   []Check   `json:"checks"`
	Warnings []string  `json:"warnings,omitempty"`
}

func run(c config, w io.Writer) error {
	dir := c.dir
	if dir == "" {
		tmp, err := os.MkdirTemp("", "mfapolicy-bench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		dir = tmp
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	s, err := setup(c, dir, w)
	if err != nil {
		return err
	}
	if c.pgo != "" {
		return s.profile(c, dir, w)
	}
	rep := &Report{
		Date: time.Now().UTC().Format(time.RFC3339), CPUs: runtime.NumCPU(), GOOS: runtime.GOOS, GOARCH: runtime.GOARCH,
		Go: runtime.Version(), Node: s.nodeVersion, Events: c.n, Bytes: s.corpusBytes, Seed: c.seed,
		Policy: c.policy, Head: c.head, Policy2: c.policy2, Head2: c.head2,
	}
	fmt.Fprintf(w, "%d events (%.0f MB), %d CPUs, %s, Node.js %s\n\n", c.n, float64(s.corpusBytes)/1e6, rep.CPUs, rep.Go, s.nodeVersion)
	if err := s.measureAll(c, rep, w); err != nil {
		return err
	}
	if c.logs > 0 {
		if err := s.measureLogsPull(c.logs, dir, rep, w); err != nil {
			return err
		}
	}
	if c.rss != "" {
		if err := s.measureRSS(c, rep, w); err != nil {
			return err
		}
	}
	rep.Checks = judge(rep, c)
	printChecks(w, rep.Checks)
	printWarnings(w, rep.Warnings)
	data, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(c.out, append(data, '\n'), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nwrote %s\n", c.out)
	return nil
}

// setupState is what the runs share.
type setupState struct {
	bin, events, code, code2, nodeVersion, harness string
	// logs is the corpus of log records without location_info, geo the
	// GeoIP database of the --geoip runs.
	logs, geo   string
	corpusBytes int64
}

func setup(c config, dir string, w io.Writer) (*setupState, error) {
	s := &setupState{bin: filepath.Join(dir, "mfapolicy"), events: filepath.Join(dir, "events.ndjson"), harness: "harness/node/replay.js",
		logs: filepath.Join(dir, "logs.ndjson"), geo: filepath.Join(dir, "geo.mmdb")}
	policies := c.policy
	if c.policy2 != "" {
		policies += " and " + c.policy2
	}
	fmt.Fprintf(w, "building mfapolicy, writing the corpus and compiling %s...\n", policies)
	if out, err := command("go", "build", "-o", s.bin, "./cmd/mfapolicy").CombinedOutput(); err != nil {
		return nil, fmt.Errorf("go build: %v\n%s", err, out)
	}
	size, err := writeCorpus(s.events, c.n, c.seed)
	if err != nil {
		return nil, err
	}
	s.corpusBytes = size
	if err := writeLogCorpus(s.logs, c.n, c.seed); err != nil {
		return nil, err
	}
	if err := writeGeoDB(s.geo); err != nil {
		return nil, err
	}
	if s.code, err = compileTo(s.bin, c.policy, filepath.Join(dir, "code")); err != nil {
		return nil, err
	}
	if c.policy2 != "" {
		if s.code2, err = compileTo(s.bin, c.policy2, filepath.Join(dir, "code2")); err != nil {
			return nil, err
		}
	}
	out, err := command(c.node, "--version").Output()
	if err != nil {
		return nil, fmt.Errorf("node --version: %v (Node.js is needed for the comparison; -node names it)", err)
	}
	s.nodeVersion = strings.TrimSpace(string(out))
	return s, nil
}

// compileTo compiles a policy into dir and returns the path of its code.js.
func compileTo(bin, policy, dir string) (string, error) {
	if out, err := command(bin, "compile", policy, "-o", dir).CombinedOutput(); err != nil {
		return "", fmt.Errorf("mfapolicy compile %s: %v\n%s", policy, err, out)
	}
	return filepath.Join(dir, "code.js"), nil
}
