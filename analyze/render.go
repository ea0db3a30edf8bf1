package analyze

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// RenderJSON writes the report as indented JSON. The shape is stable and
// documented in docs/analyze.md.
func RenderJSON(w io.Writer, r *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// RenderText writes the report for people: the dimensions, each rule's
// status, then the decision of every region with an example login.
func RenderText(w io.Writer, r *Report) error {
	b := &strings.Builder{}
	fmt.Fprintf(b, "%s: %d rules over %d dimensions (%s combinations of classes)\n",
		r.Policy, len(r.Rules), len(r.Space.Dimensions), r.Space.Points)
	writeSpace(b, r.Space)
	b.WriteString("\nrules:\n")
	width := 0
	for _, rr := range r.Rules {
		width = max(width, len(rr.ID))
	}
	for _, rr := range r.Rules {
		fmt.Fprintf(b, "  %-*s  %-9s  %s\n", width, rr.ID, rr.Then, ruleStatus(rr))
		if rr.Status != Reachable && rr.Example != nil {
			fmt.Fprintf(b, "  %-*s  example:   %s\n", width, "", jsonText(rr.Example))
		}
	}
	b.WriteString("\nregions:\n")
	for i, reg := range r.Regions {
		if i == 0 || !sameDecision(r.Regions[i-1].Decision, reg.Decision) {
			fmt.Fprintf(b, "  %s:\n", decisionText(reg.Decision))
		}
		writeRegion(b, reg.When, reg.Example)
	}
	writeSimulation(b, r.Simulation)
	if r.Dead > 0 {
		fmt.Fprintf(b, "\n%d dead rule(s)\n", r.Dead)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeSimulation(b *strings.Builder, s *Simulation) {
	if s == nil {
		return
	}
	fmt.Fprintf(b, "\nexamples replayed through the compiled Action: %d of %d decided as stated\n", s.Agreed, s.Examples)
	for _, d := range s.Disagreements {
		fmt.Fprintf(b, "  %s\n", d)
	}
}

// RenderDiffJSON writes a diff report as indented JSON.
func RenderDiffJSON(w io.Writer, r *DiffReport) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// RenderDiffText writes every region whose decision changes, with an
// example login, then the counts.
func RenderDiffText(w io.Writer, r *DiffReport) error {
	b := &strings.Builder{}
	fmt.Fprintf(b, "%s -> %s: every login over %d dimensions (%s combinations of classes)\n",
		r.Base, r.Head, len(r.Space.Dimensions), r.Space.Points)
	if len(r.Changes) == 0 {
		b.WriteString("\nno login is decided differently\n")
	}
	for i, c := range r.Changes {
		if i == 0 || !sameDecision(r.Changes[i-1].Base, c.Base) || !sameDecision(r.Changes[i-1].Head, c.Head) {
			fmt.Fprintf(b, "\n%s: %s -> %s\n", c.Kind, decisionText(c.Base), decisionText(c.Head))
		}
		writeRegion(b, c.When, c.Example)
		if c.Seen != nil {
			if *c.Seen == 0 {
				b.WriteString("      never seen in your traffic\n")
			} else {
				fmt.Fprintf(b, "      %d recorded login(s) fall in this region\n", *c.Seen)
			}
		}
	}
	writeSimulation(b, r.Simulation)
	fmt.Fprintf(b, "\n%d weakened, %d tightened, %d lateral region(s)\n", r.Weakened, r.Tightened, r.Lateral)
	_, err := io.WriteString(w, b.String())
	return err
}

func writeSpace(b *strings.Builder, s Space) {
	b.WriteString("\ndimensions:\n")
	for _, d := range s.Dimensions {
		if d.Kind == AtomDim {
			continue
		}
		var classes []string
		for _, c := range d.Classes {
			classes = append(classes, c.Label)
		}
		name := d.Label
		if d.Kind == MemberDim {
			name = d.Label + " (" + d.literal + ")"
		}
		fmt.Fprintf(b, "  %s: %s\n", name, strings.Join(classes, " | "))
	}
	if len(s.Symbolic) > 0 {
		b.WriteString("treated symbolically (each may be true or false, independently):\n")
		for _, t := range s.Symbolic {
			fmt.Fprintf(b, "  %s\n", t)
		}
	}
}

func ruleStatus(rr RuleResult) string {
	var s string
	switch rr.Status {
	case Shadowed:
		s = "DEAD: shadowed by " + strings.Join(rr.ShadowedBy, ", ")
	case Unsatisfiable:
		s = "DEAD: its condition is never true"
	default:
		s = "reachable"
		if len(rr.OnlyWhenMissing) > 0 {
			s += ", only when data is missing: " + strings.Join(rr.OnlyWhenMissing, ", ")
		}
		if rr.Unconfirmed {
			s += " (only through symbolic conditions; no example login found)"
		}
	}
	if rr.MayError {
		s += "; may error (on_error decides)"
	}
	return s
}

// decisionText names a decision: outcome, factors and the deciding rule.
func decisionText(d Decision) string {
	s := string(d.Outcome)
	if len(d.Factors) > 0 {
		s += " [" + strings.Join(d.Factors, ", ") + "]"
	}
	switch {
	case len(d.Disabled) > 0 && len(d.Disabled) == len(d.Factors):
		s += " — fails: every factor is disabled by the tenant: section"
	case len(d.Disabled) > 0:
		s += " — " + strings.Join(d.Disabled, ", ") + " disabled by the tenant: section"
	}
	switch {
	case d.Rule == "":
		s += " (default)"
	case d.OnError:
		s += " (on_error: " + d.Rule + " errors)"
	default:
		s += " (" + d.Rule + ")"
	}
	return s
}

func whenText(when []Condition) string {
	if len(when) == 0 {
		return "every login"
	}
	parts := make([]string, len(when))
	for i, c := range when {
		parts[i] = c.Text()
	}
	return strings.Join(parts, "; ")
}

func sameDecision(a, b Decision) bool {
	return a.Rule == b.Rule && a.OnError == b.OnError && a.Outcome == b.Outcome
}

func writeRegion(b *strings.Builder, when []Condition, ex map[string]any) {
	fmt.Fprintf(b, "    - %s\n", whenText(when))
	if ex != nil {
		fmt.Fprintf(b, "      example: %s\n", jsonText(ex))
	} else {
		b.WriteString("      no example login found: the region rests on symbolic conditions that may not hold together\n")
	}
}
