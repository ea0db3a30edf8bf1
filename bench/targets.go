package main

import (
	"fmt"
	"io"
	"strings"
)

// Check is one performance target and whether this run met it.
type Check struct {
	Target string  `json:"target"`
	Value  float64 `json:"value"`
	Want   string  `json:"want"`
	Met    bool    `json:"met"`
}

// judge compares a run with the targets of the performance work
// (docs/performance.md). They are reported, never enforced: a shared
// machine cannot time reliably.
func judge(rep *Report) []Check {
	get := func(name string) Result {
		for _, r := range rep.Results {
			if r.Name == name {
				return r
			}
		}
		return Result{}
	}
	var out []Check
	add := func(target string, v float64, want string, met bool) {
		out = append(out, Check{Target: target, Value: v, Want: want, Met: met})
	}
	all, one := get("simulate"), get("simulate --workers 1")
	add("simulate, all cores, vs Node.js", all.Ratio, "≥ 1.5", all.Ratio >= 1.5)
	add("simulate --workers 1 vs Node.js", one.Ratio, "≥ 0.75", one.Ratio >= 0.75)
	if one.PerSecond > 0 {
		scale := all.PerSecond / one.PerSecond
		add(fmt.Sprintf("1 → %d workers speed-up", rep.CPUs), scale, "≥ 1.8 (2 cores)", scale >= 1.8)
	}
	act := get("simulate --action --workers 1")
	add("hand-written Action, one core, vs Node.js", act.Ratio, "≥ 0.5", act.Ratio >= 0.5)
	if d := get("diff"); all.PerSecond > 0 {
		r := d.PerSecond / all.PerSecond
		add("diff vs simulate", r, "≥ 0.8", r >= 0.8)
	}
	peak := 0.0
	for _, r := range rep.Results {
		if r.Name != "node" && r.Name != "node action" {
			peak = max(peak, r.PeakRSSMB)
		}
	}
	add("peak RSS of mfapolicy (MB)", peak, "< 150", peak < 150)
	var streamed []Result
	for _, r := range rep.Results {
		if strings.HasPrefix(r.Name, "simulate streamed ") {
			streamed = append(streamed, r)
		}
	}
	if len(streamed) > 1 {
		first, last := streamed[0], streamed[len(streamed)-1]
		growth := last.PeakRSSMB/first.PeakRSSMB - 1
		add(fmt.Sprintf("peak RSS growth, %d → %d events", first.Events, last.Events), growth*100, "within ±10%", growth <= 0.1 && growth >= -0.1)
	}
	ck := get("check")
	add("check of the policy (ms)", ck.Seconds*1000, "< 100", ck.Seconds < 0.1)
	return out
}

func printChecks(w io.Writer, checks []Check) {
	fmt.Fprintln(w)
	for _, c := range checks {
		mark := "met"
		if !c.Met {
			mark = "NOT met"
		}
		fmt.Fprintf(w, "%-45s %8.2f  (target %s) %s\n", c.Target, c.Value, c.Want, mark)
	}
}
