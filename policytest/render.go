package policytest

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
)

// RenderText writes the report like go test: a block for each failing
// case with the expected and actual decision as a diff (-want +got), a
// status line per file with its rule coverage, and, with verbose, a line
// for each passing case.
func RenderText(w io.Writer, rep *Report, verbose bool) error {
	p := &printer{w: w}
	for _, fr := range rep.Files {
		p.file(fr, verbose)
	}
	if len(rep.Files) > 1 {
		status := "ok"
		if rep.Failed > 0 || rep.BadFiles > 0 || rep.BadPolicies > 0 {
			status = "FAIL"
		}
		p.f("%s  %d passed, %d failed, %d skipped in %d files\n", status, rep.Passed, rep.Failed, rep.Skipped, len(rep.Files))
	}
	return p.err
}

func (p *printer) file(fr *FileResult, verbose bool) {
	switch fr.Status {
	case StatusBadFile, StatusBadPolicy:
		var b strings.Builder
		fr.Problems.Print(&b, 20)
		p.f("%s", b.String())
		what := "bad test file"
		if fr.Status == StatusBadPolicy {
			what = "the policy has errors"
		}
		p.f("FAIL  %s  [%s]\n", fr.File, what)
		return
	}
	for _, c := range fr.Cases {
		if c.Pass {
			if verbose {
				p.f("--- PASS: %s\n", c.Name)
			}
			continue
		}
		p.failure(c)
	}
	status := "ok  "
	if fr.Status == StatusFail {
		status = "FAIL"
	}
	skipped := ""
	if fr.Skipped > 0 {
		skipped = fmt.Sprintf(", %d skipped", fr.Skipped)
	}
	p.f("%s  %s  %d passed, %d failed%s (policy %s)\n", status, fr.File, fr.Passed, fr.Failed, skipped, fr.Policy)
	p.coverage(fr)
}

func (p *printer) failure(c CaseResult) {
	p.f("--- FAIL: %s (%s)\n", c.Name, c.Pos)
	if len(c.Mismatches) > 0 {
		p.f("    decision (-want +got):\n")
		for _, line := range diffLines(c) {
			p.f("      %s\n", line)
		}
	}
	if c.Disagreement != "" {
		p.f("    evaluators disagree: %s\n", c.Disagreement)
	}
	if c.Got.Error != "" {
		p.f("    error: %s\n", c.Got.Error)
	}
	for _, n := range c.Notes {
		p.f("    note: %s\n", n)
	}
}

// diffLines shows each field of the expectation, "-" and "+" where the
// decision differs, and the deciding rule as context when the case does
// not pin it.
func diffLines(c CaseResult) []string {
	bad := map[string]Mismatch{}
	for _, m := range c.Mismatches {
		bad[m.Field] = m
	}
	var out []string
	add := func(field, want string, compared bool) {
		if m, ok := bad[field]; ok {
			out = append(out, "- "+field+": "+m.Want, "+ "+field+": "+m.Got)
		} else if compared {
			out = append(out, "  "+field+": "+want)
		}
	}
	w := c.Want
	add("outcome", string(w.Outcome), true)
	add("factors", list(w.Factors), w.HasFactors)
	if !w.HasFactors && len(c.Got.Factors) > 0 {
		out = append(out, "  factors: "+list(c.Got.Factors)+" (not compared)")
	}
	add("rule", w.Rule, w.Rule != "")
	if w.Rule == "" {
		out = append(out, "  rule: "+c.Got.Rule+" (not compared)")
	}
	add("reason", w.Reason, w.Reason != "")
	return out
}

func (p *printer) coverage(fr *FileResult) {
	rules := len(fr.Coverage) - 1
	if rules < 0 {
		return
	}
	if len(fr.Uncovered) == 0 {
		p.f("      coverage: all %d rules reached\n", rules)
		return
	}
	var parts []string
	for _, h := range fr.Coverage {
		if h.Hits == 0 && h.Rule != DefaultRule {
			parts = append(parts, fmt.Sprintf("%s (%s)", h.Rule, h.Pos))
		}
	}
	p.f("      coverage: %d of %d rules reached; no case reaches %s\n", rules-len(fr.Uncovered), rules, strings.Join(parts, ", "))
}

// RenderJSON writes the report as indented JSON (the Report type).
func RenderJSON(w io.Writer, rep *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(rep)
}

// JUnit XML, as CI systems read it: one testsuite per test file.
type junitSuites struct {
	XMLName xml.Name     `xml:"testsuites"`
	Tests   int          `xml:"tests,attr"`
	Fails   int          `xml:"failures,attr"`
	Errors  int          `xml:"errors,attr"`
	Suites  []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name    string      `xml:"name,attr"`
	Tests   int         `xml:"tests,attr"`
	Fails   int         `xml:"failures,attr"`
	Errors  int         `xml:"errors,attr"`
	Skipped int         `xml:"skipped,attr"`
	Cases   []junitCase `xml:"testcase"`
	Error   *junitText  `xml:"error,omitempty"`
	Out     string      `xml:"system-out,omitempty"`
}

type junitCase struct {
	Name    string     `xml:"name,attr"`
	Class   string     `xml:"classname,attr"`
	File    string     `xml:"file,attr,omitempty"`
	Line    int        `xml:"line,attr,omitempty"`
	Failure *junitText `xml:"failure,omitempty"`
}

type junitText struct {
	Message string `xml:"message,attr"`
	Text    string `xml:",chardata"`
}

// RenderJUnit writes the report as JUnit XML. A test file that could not
// run is a suite with an error.
func RenderJUnit(w io.Writer, rep *Report) error {
	out := junitSuites{}
	for _, fr := range rep.Files {
		s := junitSuite{Name: fr.File, Tests: len(fr.Cases), Fails: fr.Failed, Skipped: fr.Skipped}
		if fr.Status == StatusBadFile || fr.Status == StatusBadPolicy {
			var b strings.Builder
			fr.Problems.Print(&b, 20)
			s.Errors = 1
			s.Error = &junitText{Message: fr.Status, Text: b.String()}
		}
		for _, c := range fr.Cases {
			jc := junitCase{Name: c.Name, Class: fr.File, File: c.Pos.File, Line: c.Pos.Line}
			if !c.Pass {
				var b strings.Builder
				(&printer{w: &b}).failure(c)
				msg := c.Disagreement
				if len(c.Mismatches) > 0 {
					m := c.Mismatches[0]
					msg = fmt.Sprintf("%s: want %s, got %s", m.Field, m.Want, m.Got)
				}
				jc.Failure = &junitText{Message: msg, Text: b.String()}
			}
			s.Cases = append(s.Cases, jc)
		}
		if len(fr.Uncovered) > 0 {
			s.Out = "rules no case reaches: " + strings.Join(fr.Uncovered, ", ")
		}
		out.Tests += s.Tests
		out.Fails += s.Fails
		out.Errors += s.Errors
		out.Suites = append(out.Suites, s)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(out); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// printer remembers the first write error.
type printer struct {
	w   io.Writer
	err error
}

func (p *printer) f(format string, args ...any) {
	if p.err == nil {
		_, p.err = fmt.Fprintf(p.w, format, args...)
	}
}
