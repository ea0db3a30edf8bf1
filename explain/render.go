package explain

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// RenderJSON writes the result as indented JSON.
func RenderJSON(w io.Writer, r *Result) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// RenderText writes the result for a terminal: each rule with its
// sub-expression values, the deciding rule, and the Action's calls.
func RenderText(w io.Writer, r *Result) error {
	b := &strings.Builder{}
	ref := r.Event.File
	if r.Event.Line > 0 {
		ref = fmt.Sprintf("%s:%d", r.Event.File, r.Event.Line)
	}
	if r.Event.ID != "" {
		ref += " (" + r.Event.ID + ")"
	}
	fmt.Fprintf(b, "%s on %s\n", r.Policy, ref)
	if r.Assumption != "" {
		fmt.Fprintf(b, "%s\n", r.Assumption)
	}
	if r.Multifactor != "" {
		fmt.Fprintf(b, "%s\n", r.Multifactor)
	}
	b.WriteString("\n")
	for i, rt := range r.Rules {
		status := "not evaluated"
		if rt.Evaluated {
			status = rt.Result
			if rt.Rule == r.Reference.Rule {
				status += "  → decides"
			}
		}
		fmt.Fprintf(b, "%2d  %-24s %s   (%s)\n", i+1, rt.Rule, status, rt.Pos)
		for _, s := range rt.Steps {
			val := "(not evaluated)"
			if s.Evaluated {
				val = "= " + s.Value
			}
			fmt.Fprintf(b, "      %s%s  %s\n", strings.Repeat("  ", s.Depth), s.Expr, val)
		}
	}
	d := r.Reference
	who := "the default"
	if d.Rule != "" {
		who = "rule " + d.Rule
		if d.Error != "" {
			who += " errored, so on_error"
		}
	}
	fmt.Fprintf(b, "\nPolicy decision (cel-go): %s by %s%s\n", d.Outcome, who, detail(d.Factors, d.Reason))
	if d.Error != "" {
		fmt.Fprintf(b, "  error: %s\n", d.Error)
	}
	b.WriteString("\nThe Action's calls (code.js in the simulator):\n")
	if len(r.Action.Calls) == 0 {
		b.WriteString("  (none)\n")
	}
	for _, c := range r.Action.Calls {
		args := make([]string, len(c.Args))
		for i, a := range c.Args {
			args[i] = string(a)
		}
		fmt.Fprintf(b, "  api.%s(%s)\n", c.Method, strings.Join(args, ", "))
	}
	fmt.Fprintf(b, "Auth0 outcome: %s%s\n", r.Action.Outcome, detail(r.Action.Factors, r.Action.Reason))
	for _, n := range r.Action.Notes {
		fmt.Fprintf(b, "  note: %s\n", n)
	}
	if r.Action.Error != "" && d.Error == "" {
		fmt.Fprintf(b, "  error: %s\n", r.Action.Error)
	}
	if !r.Agree {
		fmt.Fprintf(b, "\nWARNING: the compiled Action and cel-go disagree (Action: rule %q, error %q; cel-go: rule %q, error %q); please report this.\n",
			r.Action.Rule, r.Action.Error, d.Rule, d.Error)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func detail(factors []string, reason string) string {
	switch {
	case len(factors) > 0:
		return " (" + strings.Join(factors, ", ") + ")"
	case reason != "":
		return fmt.Sprintf(" (%q)", reason)
	}
	return ""
}
