package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// spec is one command to measure.
type spec struct {
	name    string
	args    []string
	events  int    // work items it processes, for the rate
	against string // the Node.js run it is compared with
	okExit  []int
	// replay is set on simulate and diff of a compiled policy, which are
	// run with --format json: their summary says how the logins were
	// replayed (Result.Replay).
	replay bool
	// copies runs that many instances of the command at once (0: one),
	// for a rate of all of them together.
	copies int
}

// specs lists the runs: the policy's, the hand-written Action's, test and
// check, then the second policy's (when -policy2 is set).
func (s *setupState) specs(c config) []spec {
	out := s.policySpecs(c.policy, c.head, s.code, "", c, true)
	n := c.n
	act := []string{s.bin, "simulate", "--action", c.action, "--events", s.events}
	logs := []string{s.bin, "simulate", c.policy, "--events", s.logs, "--format", "json"}
	out = append(out,
		// Log records without location_info, without and with --geoip:
		// what locating them costs.
		spec{name: "simulate logs", args: logs, events: n, replay: true},
		spec{name: "simulate logs --geoip", args: with(logs, "--geoip", s.geo), events: n, against: "simulate logs", replay: true},
		spec{name: "node action", args: []string{c.node, s.harness, "--events", s.events, "--quiet", c.action}, events: n},
		spec{name: "simulate --action --workers 1", args: with(act, "--workers", "1"), events: n, against: "node action"},
		spec{name: "simulate --action", args: act, events: n, against: "node action"},
		spec{name: "test", args: []string{s.bin, "test", c.tests}, okExit: []int{1}},
		spec{name: "check", args: []string{s.bin, "check", c.policy}},
	)
	if c.policy2 != "" {
		out = append(out, s.policySpecs(c.policy2, c.head2, s.code2, prefix(c.policy2), c, false)...)
	}
	return out
}

// policySpecs are the runs of one policy and its next version: Node.js on
// the compiled code.js, simulate by decision class and --exact (and with
// one worker when oneWorker is set), simulate of the head policy, and diff
// by class and --exact. Names start with pre.
func (s *setupState) policySpecs(policy, head, code, pre string, c config, oneWorker bool) []spec {
	n := c.n
	node := pre + "node"
	sim := []string{s.bin, "simulate", policy, "--events", s.events, "--format", "json"}
	simHead := []string{s.bin, "simulate", head, "--events", s.events, "--format", "json"}
	// diff exits 1 when the head policy weakens decisions: a finding,
	// not a failure of the run.
	diff := []string{s.bin, "diff", policy, head, "--events", s.events, "--format", "json"}
	out := []spec{
		{name: node, args: []string{c.node, s.harness, "--events", s.events, "--quiet", code}, events: n},
		{name: pre + "simulate", args: sim, events: n, against: node, replay: true},
		{name: pre + "simulate --exact", args: with(sim, "--exact"), events: n, against: node, replay: true},
	}
	if oneWorker {
		out = append(out,
			spec{name: pre + "simulate --workers 1", args: with(sim, "--workers", "1"), events: n, against: node, replay: true},
			spec{name: pre + "simulate --exact --workers 1", args: with(sim, "--exact", "--workers", "1"), events: n, against: node, replay: true},
			// Two single-worker runs at once share nothing but the
			// machine: their speed-up over one is what two CPUs give
			// this run's work without any parallelism of its own, the
			// reference for the 1 → 2 workers speed-up.
			spec{name: pre + twoAtOnce, args: with(sim, "--exact", "--workers", "1"), events: 2 * n, copies: 2},
		)
	}
	return append(out,
		spec{name: pre + "simulate head", args: simHead, events: n, replay: true},
		spec{name: pre + "diff", args: diff, events: n, against: node, okExit: []int{1}, replay: true},
		spec{name: pre + "diff --exact", args: with(diff, "--exact"), events: n, against: node, okExit: []int{1}, replay: true},
	)
}

// twoAtOnce names the row of two single-worker --exact runs at once.
const twoAtOnce = "simulate --exact --workers 1, 2 at once"

// with returns a copy of args with more appended.
func with(args []string, more ...string) []string {
	return append(args[:len(args):len(args)], more...)
}

// prefix names the rows of the second policy after its file.
func prefix(policy string) string {
	return strings.TrimSuffix(filepath.Base(policy), filepath.Ext(policy)) + ": "
}

func (s *setupState) measureAll(c config, rep *Report, w io.Writer) error {
	specs := s.specs(c)
	width := 30
	for _, sp := range specs {
		width = max(width, len(sp.name)+1)
	}
	// With -repeat, every row is measured once per round and the rounds
	// follow one another, so that each row's fastest measurement is taken
	// from several moments of the run: on a shared machine a slow stretch
	// (another tenant's load, a host throttling a busy VM) then lowers no
	// row more than another, where repeating each row at once let it land
	// on the rows measured during it, typically the later ones.
	rounds := max(1, c.repeat)
	results := make([]Result, len(specs))
	for round := range rounds {
		if rounds > 1 {
			fmt.Fprintf(w, "round %d of %d...\n", round+1, rounds)
		}
		for i, sp := range specs {
			if err := measureInto(&results[i], sp); err != nil {
				return fmt.Errorf("%s: %w", sp.name, err)
			}
		}
	}
	fmt.Fprintf(w, "%-*s %12s %10s %6s %10s %8s %9s %9s\n", width, "run", "events/s", "seconds", "CPUs", "peak RSS", "vs Node", "in goja", "verified")
	byName := map[string]Result{}
	for i, sp := range specs {
		res := results[i]
		if sp.events > 0 {
			res.PerSecond = float64(sp.events) / res.Seconds
		}
		if base, ok := byName[sp.against]; ok && base.PerSecond > 0 {
			res.Ratio, res.Against = res.PerSecond/base.PerSecond, sp.against
		}
		byName[sp.name] = res
		rep.Results = append(rep.Results, res)
		if res.Replay != nil {
			rep.Warnings = append(rep.Warnings, res.Replay.warnings(sp.name, slices.Contains(sp.args, "--exact"))...)
		}
		printResult(w, width, res)
	}
	fmt.Fprintln(w, "in goja: logins whose Action ran in goja; verified: logins decided by their class and also run in goja to check it (diff: of both policies' logins)")
	return nil
}

// measureInto runs one spec once into res, which keeps the fastest run
// so far, with the highest peak RSS of all and the replay statistics of
// the fastest.
func measureInto(res *Result, sp spec) error {
	if res.Name == "" {
		*res = Result{Name: sp.name, Command: displayArgs(sp.args), Events: sp.events}
	}
	var out bytes.Buffer
	var u usage
	var err error
	if sp.copies > 1 {
		u, err = measureCopies(sp.args, sp.copies, sp.okExit...)
	} else {
		u, err = measure(sp.args, nil, &out, sp.okExit...)
	}
	if err != nil {
		return err
	}
	res.PeakRSSMB = max(res.PeakRSSMB, u.rssMB)
	if res.Seconds > 0 && u.wall.Seconds() >= res.Seconds {
		return nil
	}
	res.Seconds, res.CPUSeconds = u.wall.Seconds(), u.cpu.Seconds()
	if sp.replay {
		if res.Replay, err = readReplay(out.Bytes()); err != nil {
			return err
		}
	}
	return nil
}

func printResult(w io.Writer, width int, res Result) {
	rate, ratio, goja, verified := "-", "-", "", ""
	if res.PerSecond > 0 {
		rate = fmt.Sprintf("%.0f", res.PerSecond)
	}
	if res.Ratio > 0 {
		ratio = fmt.Sprintf("%.2f×", res.Ratio)
	}
	if res.Replay != nil {
		goja, verified = percent(res.Replay.InGojaShare()), percent(res.Replay.VerifiedShare())
	}
	cpus := "-"
	if res.Seconds > 0 {
		cpus = fmt.Sprintf("%.2f", res.CPUSeconds/res.Seconds)
	}
	fmt.Fprintf(w, "%-*s %12s %10.2f %6s %8.0f MB %8s %9s %9s\n", width, res.Name, rate, res.Seconds, cpus, res.PeakRSSMB, ratio, goja, verified)
}

// percent shows a share of logins: 100% exactly when all, else with two
// decimals, so that 1 login in 256 does not read as none.
func percent(f float64) string {
	if f >= 1 {
		return "100%"
	}
	return fmt.Sprintf("%.2f%%", f*100)
}

// measureRSS streams corpora of the -rss sizes into simulate of the policy
// and records each run as "simulate streamed N".
func (s *setupState) measureRSS(c config, rep *Report, w io.Writer) error {
	fmt.Fprintln(w)
	for _, f := range strings.Split(c.rss, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n <= 0 {
			return fmt.Errorf("-rss: %q is not a number of events", f)
		}
		args := []string{s.bin, "simulate", c.policy, "--events", "-"}
		u, err := measureStreamed(args, n, c.seed)
		if err != nil {
			return fmt.Errorf("simulate of %d streamed events: %w", n, err)
		}
		res := Result{Name: fmt.Sprintf("simulate streamed %d", n), Command: displayArgs(args), Seconds: u.wall.Seconds(),
			CPUSeconds: u.cpu.Seconds(), Events: n, PerSecond: float64(n) / u.wall.Seconds(), PeakRSSMB: u.rssMB}
		rep.Results = append(rep.Results, res)
		printResult(w, 30, res)
	}
	return nil
}

// profile writes the CPU profile go build uses for profile-guided
// optimisation: simulate of the policy by decision class and --exact, and
// of the hand-written Action, on one worker, and diff, each on the
// corpus, merged into one.
func (s *setupState) profile(c config, dir string, w io.Writer) error {
	sim := []string{s.bin, "simulate", c.policy, "--events", s.events, "--workers", "1"}
	runs := [][]string{
		sim,
		with(sim, "--exact"),
		{s.bin, "simulate", "--action", c.action, "--events", s.events, "--workers", "1"},
		{s.bin, "diff", c.policy, c.head, "--events", s.events, "--format", "json"},
	}
	var profiles []string
	for i, args := range runs {
		prof := filepath.Join(dir, fmt.Sprintf("cpu%d.prof", i))
		if _, err := measure(with(args, "--cpuprofile", prof), nil, nil, 1); err != nil {
			return err
		}
		profiles = append(profiles, prof)
	}
	out, err := command("go", append([]string{"tool", "pprof", "-proto"}, profiles...)...).Output()
	if err != nil {
		return fmt.Errorf("go tool pprof: %w", err)
	}
	if err := os.WriteFile(c.pgo, out, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(w, "wrote %s (%d bytes) from %d profiles\n", c.pgo, len(out), len(profiles))
	return nil
}

// displayArgs shows a command with the work directory's paths shortened.
func displayArgs(args []string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		if j := strings.LastIndex(a, "/mfapolicy-bench-"); j >= 0 {
			if k := strings.Index(a[j+1:], "/"); k >= 0 {
				a = "$WORK" + a[j+1+k:]
			} else {
				a = "$WORK"
			}
		}
		out[i] = a
	}
	return out
}
