package main

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"
)

// Check is one performance target and whether this run met it.
type Check struct {
	Target string  `json:"target"`
	Value  float64 `json:"value"`
	Want   string  `json:"want"`
	Met    bool    `json:"met"`
	// Stretch marks a goal beyond the target, printed for information.
	Stretch bool `json:"stretch,omitempty"`
	// Reference marks a figure with no target that a target is read
	// against (Met is false).
	Reference bool `json:"reference,omitempty"`
}

// judge compares a run with the targets of the performance work
// (docs/performance.md): replay by decision class at least three times as
// fast as Node.js on both policies, diff nearly as fast as one simulate,
// the exact path at least half as fast as Node.js and scaling with cores,
// bounded memory and a fast check. They are reported, never enforced: a
// shared machine cannot time reliably.
func judge(rep *Report, c config) []Check {
	j := &judgement{rep: rep}
	j.policy("", c.policy, c.head)
	if c.policy2 != "" {
		j.policy(prefix(c.policy2), c.policy2, c.head2)
	}
	exact, one := j.get("simulate --exact"), j.get("simulate --exact --workers 1")
	if exact.PerSecond > 0 && one.PerSecond > 0 {
		scale := exact.PerSecond / one.PerSecond
		j.add(fmt.Sprintf("simulate --exact, 1 → %d workers speed-up", rep.CPUs), scale, "≥ 1.8 (2 cores)", scale >= 1.8)
		if two := j.get(twoAtOnce); two.PerSecond > 0 {
			j.out = append(j.out, Check{Target: "simulate --exact, two 1-worker runs at once vs one", Value: two.PerSecond / one.PerSecond, Reference: true})
		}
	}
	if g := j.get("simulate logs --geoip"); g.Ratio > 0 {
		j.add("simulate --geoip vs without, logs lacking location_info", g.Ratio, "≥ 0.9 (costs < 10%)", g.Ratio >= 0.9)
	}
	if act := j.get("simulate --action --workers 1"); act.Ratio > 0 {
		j.add("hand-written Action, one core, vs Node.js", act.Ratio, "≥ 0.5", act.Ratio >= 0.5)
	}
	peak, peakName := 0.0, ""
	for _, r := range rep.Results {
		if !strings.HasSuffix(r.Name, "node") && !strings.HasSuffix(r.Name, "node action") && r.PeakRSSMB > peak {
			peak, peakName = r.PeakRSSMB, r.Name
		}
	}
	j.add(fmt.Sprintf("peak RSS of mfapolicy (MB, %s)", peakName), peak, "< 150", peak < 150)
	j.rssGrowth()
	if ck := j.get("check"); ck.Seconds > 0 {
		j.add("check of the policy (ms)", ck.Seconds*1000, "< 100", ck.Seconds < 0.1)
	}
	if lp := rep.LogsPull; lp != nil {
		j.add("logs pull: mfapolicy CPU per request of 100 logs (ms)", lp.CPUPerRequestMS, "< 10", lp.CPUPerRequestMS < 10)
	}
	return j.out
}

// judgement collects the checks of one report.
type judgement struct {
	rep *Report
	out []Check
}

func (j *judgement) get(name string) Result {
	for _, r := range j.rep.Results {
		if r.Name == name {
			return r
		}
	}
	return Result{}
}

func (j *judgement) add(target string, v float64, want string, met bool) {
	j.out = append(j.out, Check{Target: target, Value: v, Want: want, Met: met})
}

// policy checks the runs of one policy and its head, whose names start
// with pre.
func (j *judgement) policy(pre, file, head string) {
	of := " (" + filepath.Base(file) + ")"
	ofDiff := " (" + filepath.Base(file) + " → " + filepath.Base(head) + ")"
	if sim := j.get(pre + "simulate"); sim.Ratio > 0 {
		j.add("simulate, all cores, vs Node.js"+of, sim.Ratio, "≥ 3", sim.Ratio >= 3)
		j.out = append(j.out, Check{Target: "simulate, all cores, vs Node.js" + of, Value: sim.Ratio, Want: "≥ 5", Met: sim.Ratio >= 5, Stretch: true})
	}
	if exact := j.get(pre + "simulate --exact"); exact.Ratio > 0 {
		j.add("simulate --exact, all cores, vs Node.js"+of, exact.Ratio, "≥ 0.5", exact.Ratio >= 0.5)
	}
	diff, simHead := j.get(pre+"diff"), j.get(pre+"simulate head")
	if diff.PerSecond > 0 && simHead.PerSecond > 0 {
		r := diff.PerSecond / simHead.PerSecond
		j.add("diff vs simulate of the head policy"+ofDiff, r, "≥ 0.8", r >= 0.8)
	}
	if diff.Ratio > 0 {
		j.add("diff vs Node.js"+ofDiff, diff.Ratio, "≥ 3", diff.Ratio >= 3)
	}
}

// rssGrowth checks that simulate's peak RSS stays flat as the streamed
// input grows (-rss).
func (j *judgement) rssGrowth() {
	var streamed []Result
	for _, r := range j.rep.Results {
		if strings.HasPrefix(r.Name, "simulate streamed ") {
			streamed = append(streamed, r)
		}
	}
	if len(streamed) < 2 {
		return
	}
	first, last := streamed[0], streamed[len(streamed)-1]
	growth := last.PeakRSSMB/first.PeakRSSMB - 1
	j.add(fmt.Sprintf("peak RSS growth (%%), %d → %d events", first.Events, last.Events), growth*100, "within ±10%", growth <= 0.1 && growth >= -0.1)
}

func printChecks(w io.Writer, checks []Check) {
	fmt.Fprintln(w)
	for _, c := range checks {
		mark := "met"
		if !c.Met {
			mark = "NOT met"
		}
		if c.Reference {
			fmt.Fprintf(w, "%-*s %8.2f  (reference for the figure above)\n", checkWidth(checks), c.Target, c.Value)
			continue
		}
		want := "target " + c.Want
		if c.Stretch {
			want = "stretch " + c.Want
			if !c.Met {
				mark = "not yet"
			}
		}
		fmt.Fprintf(w, "%-*s %8.2f  (%s) %s\n", checkWidth(checks), c.Target, c.Value, want, mark)
	}
}

func checkWidth(checks []Check) int {
	w := 45
	for _, c := range checks {
		w = max(w, len([]rune(c.Target)))
	}
	return w
}

func printWarnings(w io.Writer, warnings []string) {
	if len(warnings) == 0 {
		return
	}
	fmt.Fprintln(w)
	for _, s := range warnings {
		fmt.Fprintln(w, "warning:", s)
	}
}
