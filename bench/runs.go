package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// spec is one command to measure.
type spec struct {
	name    string
	args    []string
	events  int    // work items it processes, for the rate
	against string // the Node.js run it is compared with
	okExit  []int
}

func (s *setupState) specs(c config) []spec {
	n := c.n
	sim := []string{s.bin, "simulate", c.policy, "--events", s.events}
	return []spec{
		{name: "node", args: []string{c.node, s.harness, "--events", s.events, "--quiet", s.code}, events: n},
		{name: "simulate", args: sim, events: n, against: "node"},
		{name: "simulate --workers 1", args: append(sim[:len(sim):len(sim)], "--workers", "1"), events: n, against: "node"},
		{name: "node action", args: []string{c.node, s.harness, "--events", s.events, "--quiet", c.action}, events: n},
		{name: "simulate --action --workers 1", args: []string{s.bin, "simulate", "--action", c.action, "--events", s.events, "--workers", "1"}, events: n, against: "node action"},
		{name: "simulate --action", args: []string{s.bin, "simulate", "--action", c.action, "--events", s.events}, events: n, against: "node action"},
		// diff exits 1 when the head policy weakens decisions: a finding,
		// not a failure of the run.
		{name: "diff", args: []string{s.bin, "diff", c.policy, c.head, "--events", s.events, "--format", "json"}, events: n, against: "node", okExit: []int{1}},
		{name: "test", args: []string{s.bin, "test", c.tests}, okExit: []int{1}},
		{name: "check", args: []string{s.bin, "check", c.policy}},
	}
}

func (s *setupState) measureAll(c config, rep *Report, w io.Writer) error {
	fmt.Fprintf(w, "%-30s %12s %10s %10s %8s\n", "run", "events/s", "seconds", "peak RSS", "vs Node")
	byName := map[string]Result{}
	for _, sp := range s.specs(c) {
		best := time.Duration(0)
		var rss float64
		for i := 0; i < max(1, c.repeat); i++ {
			d, r, err := measure(sp.args, nil, sp.okExit...)
			if err != nil {
				return fmt.Errorf("%s: %w", sp.name, err)
			}
			if best == 0 || d < best {
				best = d
			}
			rss = max(rss, r)
		}
		res := Result{Name: sp.name, Command: displayArgs(sp.args), Seconds: best.Seconds(), Events: sp.events, PeakRSSMB: rss}
		if sp.events > 0 {
			res.PerSecond = float64(sp.events) / best.Seconds()
		}
		if base, ok := byName[sp.against]; ok && base.PerSecond > 0 {
			res.Ratio, res.Against = res.PerSecond/base.PerSecond, sp.against
		}
		byName[sp.name] = res
		rep.Results = append(rep.Results, res)
		rate, ratio := "-", "-"
		if res.PerSecond > 0 {
			rate = fmt.Sprintf("%.0f", res.PerSecond)
		}
		if res.Ratio > 0 {
			ratio = fmt.Sprintf("%.2f×", res.Ratio)
		}
		fmt.Fprintf(w, "%-30s %12s %10.2f %8.0f MB %8s\n", sp.name, rate, res.Seconds, res.PeakRSSMB, ratio)
	}
	return nil
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
		d, rss, err := measureStreamed(args, n, c.seed)
		if err != nil {
			return fmt.Errorf("simulate of %d streamed events: %w", n, err)
		}
		res := Result{Name: fmt.Sprintf("simulate streamed %d", n), Command: displayArgs(args), Seconds: d.Seconds(),
			Events: n, PerSecond: float64(n) / d.Seconds(), PeakRSSMB: rss}
		rep.Results = append(rep.Results, res)
		fmt.Fprintf(w, "%-30s %12.0f %10.2f %8.0f MB\n", res.Name, res.PerSecond, res.Seconds, res.PeakRSSMB)
	}
	return nil
}

// profile writes the CPU profile go build uses for profile-guided
// optimisation: simulate of the policy and of the hand-written Action on
// one worker, and diff, each on the corpus, merged into one.
func (s *setupState) profile(c config, dir string, w io.Writer) error {
	runs := [][]string{
		{s.bin, "simulate", c.policy, "--events", s.events, "--workers", "1"},
		{s.bin, "simulate", "--action", c.action, "--events", s.events, "--workers", "1"},
		{s.bin, "diff", c.policy, c.head, "--events", s.events, "--format", "json"},
	}
	var profiles []string
	for i, args := range runs {
		prof := filepath.Join(dir, fmt.Sprintf("cpu%d.prof", i))
		if _, _, err := measure(append(args, "--cpuprofile", prof), nil, 1); err != nil {
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
