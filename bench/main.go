// Command bench measures how fast mfapolicy replays recorded logins,
// against Node.js running the same code.js on the same file.
//
//	go run ./bench -n 200000
//
// It builds mfapolicy, writes a deterministic corpus of N post-login events
// (internal/eventgen, the generator of the example corpus), compiles the
// policy, and then runs, one after the other on that one file: the Node.js
// harness (harness/node/replay.js) on the compiled code.js, mfapolicy
// simulate with the default workers and with --workers 1, the hand-written
// example Action in Node.js and in mfapolicy simulate --workers 1, diff of
// two policies, test of the example tests, and check. Each run is a child
// process: its events per second and its peak resident set size (the
// kernel's rusage ru_maxrss) are printed with the ratio to Node.js, and
// written to a JSON file so that runs can be compared. Ratios are what
// matter: compare them within one run, on a machine that is not busy.
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
	tests   string
	action  string
	node    string
	repeat  int
	rss     string
	pgo     string
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
	flag.StringVar(&c.head, "head", "examples/policy-v2.yaml", "second policy, for diff")
	flag.StringVar(&c.tests, "tests", "examples/tests/policy_test.yaml", "test file, for test")
	flag.StringVar(&c.action, "action", "examples/actions/adaptive.js", "hand-written CommonJS Action, run in Node.js and simulated")
	flag.StringVar(&c.node, "node", "node", "Node.js executable")
	flag.IntVar(&c.repeat, "repeat", 1, "run every measurement this many times and keep the fastest")
	flag.StringVar(&c.pgo, "pgo", "", "instead of measuring, profile simulate (the policy and the hand-written Action, one worker) and diff on the corpus and write the merged CPU profile to this file, such as cmd/mfapolicy/default.pgo, from which go build optimises")
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
	// Ratio is events per second over those of the Node.js run of the
	// same code (Against names it); 0 when there is none.
	Ratio   float64 `json:"ratio,omitempty"`
	Against string  `json:"against,omitempty"`
}

// Report is what the JSON file holds.
type Report struct {
	Date     string   `json:"date"`
	CPUs     int      `json:"cpus"`
	GOOS     string   `json:"goos"`
	GOARCH   string   `json:"goarch"`
	Go       string   `json:"go"`
	Node     string   `json:"node"`
	Events   int      `json:"events"`
	Bytes    int64    `json:"corpus_bytes"`
	Seed     uint64   `json:"seed"`
	Policy   string   `json:"policy"`
	Results  []Result `json:"results"`
	Checks   []Check  `json:"checks"`
	Warnings []string `json:"warnings,omitempty"`
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
		Go: runtime.Version(), Node: s.nodeVersion, Events: c.n, Bytes: s.corpusBytes, Seed: c.seed, Policy: c.policy,
	}
	fmt.Fprintf(w, "%d events (%.0f MB), %d CPUs, %s, Node.js %s\n\n", c.n, float64(s.corpusBytes)/1e6, rep.CPUs, rep.Go, s.nodeVersion)
	if err := s.measureAll(c, rep, w); err != nil {
		return err
	}
	if c.rss != "" {
		if err := s.measureRSS(c, rep, w); err != nil {
			return err
		}
	}
	rep.Checks = judge(rep)
	printChecks(w, rep.Checks)
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
	bin, events, code, nodeVersion, harness string
	corpusBytes                             int64
}

func setup(c config, dir string, w io.Writer) (*setupState, error) {
	s := &setupState{bin: filepath.Join(dir, "mfapolicy"), events: filepath.Join(dir, "events.ndjson"), harness: "harness/node/replay.js"}
	fmt.Fprintf(w, "building mfapolicy, writing the corpus and compiling %s...\n", c.policy)
	if out, err := command("go", "build", "-o", s.bin, "./cmd/mfapolicy").CombinedOutput(); err != nil {
		return nil, fmt.Errorf("go build: %v\n%s", err, out)
	}
	size, err := writeCorpus(s.events, c.n, c.seed)
	if err != nil {
		return nil, err
	}
	s.corpusBytes = size
	codeDir := filepath.Join(dir, "code")
	if out, err := command(s.bin, "compile", c.policy, "-o", codeDir).CombinedOutput(); err != nil {
		return nil, fmt.Errorf("mfapolicy compile: %v\n%s", err, out)
	}
	s.code = filepath.Join(codeDir, "code.js")
	out, err := command(c.node, "--version").Output()
	if err != nil {
		return nil, fmt.Errorf("node --version: %v (Node.js is needed for the comparison; -node names it)", err)
	}
	s.nodeVersion = strings.TrimSpace(string(out))
	return s, nil
}
