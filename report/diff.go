package report

import (
	"html/template"
	"io"
	"strings"

	"github.com/mfapolicy/mfapolicy/diff"
	"github.com/mfapolicy/mfapolicy/simulate"
)

// kindColors are the colours of the kinds of change on every chart.
var kindColors = map[diff.Kind]string{
	diff.Weakened:  "#d0433f",
	diff.LockedOut: "#e0892b",
	diff.Tightened: "#2f9e5b",
	diff.Restored:  "#3567c8",
	diff.Lateral:   "#9a9fa6",
}

func kindSeries() []series {
	out := make([]series, len(diff.Kinds))
	for i, k := range diff.Kinds {
		out[i] = series{Name: string(k), Color: kindColors[k]}
	}
	return out
}

func kindValues(c diff.KindCounts) []int64 {
	out := make([]int64, len(diff.Kinds))
	for i, k := range diff.Kinds {
		out[i] = c.Of(k)
	}
	return out
}

// diffPage is what the diff template shows.
type diffPage struct {
	Title     string
	R         *diff.Report
	Legend    []series
	Outcomes  []series
	Kinds     template.HTML
	Pairs     template.HTML
	Matrix    template.HTML
	Timeline  template.HTML
	Span      string
	Conf      template.HTML
	Apps      template.HTML
	Countries template.HTML
	Rules     template.HTML
}

// Diff writes the HTML report of a diff. Pass a redacted report
// (diff.Report.Redact) when the page will be shared.
func Diff(w io.Writer, r *diff.Report) error {
	ks := kindSeries()
	p := diffPage{Title: "mfapolicy diff: " + r.Base.Name + " → " + r.Head.Name, R: r, Legend: ks, Outcomes: outcomeSeries()}
	var kinds []part
	for _, c := range r.ByKind {
		kinds = append(kinds, part{c.Count, c.Percent})
	}
	if r.Changed > 0 {
		p.Kinds = shareBar("Changed decisions by kind", kinds, ks)
	}
	var pairs []pairRow
	for _, o := range r.Outcomes {
		pairs = append(pairs, pairRow{Label: string(o.Outcome), Color: outcomeColors[o.Outcome], Base: o.Base, Head: o.Head})
	}
	p.Pairs = pairChart("Outcomes under the base and the head policy", pairs)
	p.Matrix = transitionMatrix(r)
	if len(r.Days) > 0 {
		cols := make([]column, len(r.Days))
		for i, d := range r.Days {
			cols[i] = dayColumn(d.Name, i, len(r.Days))
			cols[i].Values = kindValues(d.ByKind)
		}
		p.Timeline = columnChart("Changed decisions per day (UTC), by kind", cols, ks)
		p.Span = span(r.Days[0].Name, r.Days[len(r.Days)-1].Name)
	}
	var conf []bar
	for _, s := range r.ByConfidence {
		conf = append(conf, bar{Label: s.Name, Values: kindValues(s.ByKind),
			Note: count(s.Changed) + " of " + count(s.Total) + " · " + percent(s.ChangedPercent)})
	}
	if len(conf) > 0 {
		p.Conf = barChart("Changed decisions by risk confidence", conf, ks, halfWidth)
	}
	p.Apps = impactChart("Users affected by application", r.Applications)
	p.Countries = impactChart("Users affected by country", r.Countries)
	var rules []bar
	for _, ri := range r.Rules {
		var c diff.KindCounts
		for _, k := range ri.ByKind {
			c = addKind(c, diff.Kind(k.Name), k.Count)
		}
		rules = append(rules, bar{Label: ri.Rule, Values: kindValues(c), Note: count(ri.Changed) + " changed"})
	}
	if len(rules) > 0 {
		p.Rules = barChart("Changed decisions by the rule behind them", rules, ks, halfWidth)
	}
	return page.ExecuteTemplate(w, "diff", p)
}

// addKind places a by-kind count of a RuleImpact into KindCounts.
func addKind(c diff.KindCounts, k diff.Kind, n int64) diff.KindCounts {
	switch k {
	case diff.Weakened:
		c.Weakened = n
	case diff.LockedOut:
		c.LockedOut = n
	case diff.Tightened:
		c.Tightened = n
	case diff.Restored:
		c.Restored = n
	case diff.Lateral:
		c.Lateral = n
	}
	return c
}

// impactChart draws the users affected per application or country.
func impactChart(title string, ims []diff.Impact) template.HTML {
	if len(ims) == 0 {
		return ""
	}
	rows := make([]bar, len(ims))
	for i, im := range ims {
		rows[i] = bar{Label: im.Name, Values: []int64{im.Affected},
			Note: count(im.Affected) + " of " + count(im.Total) + " users · " + percent(im.AffectedPercent)}
	}
	return barChart(title, rows, []series{{Name: "users affected", Color: "#b4533c"}}, halfWidth)
}

// transitionMatrix draws the matrix over the outcomes that occur; a cell
// off the diagonal takes the colour of its transition's kind.
func transitionMatrix(r *diff.Report) template.HTML {
	seen := map[simulate.Outcome]bool{}
	for _, c := range r.Matrix {
		seen[c.From], seen[c.To] = true, true
	}
	var labels []string
	index := map[simulate.Outcome]int{}
	for _, o := range simulate.Outcomes {
		if seen[o] {
			index[o] = len(labels)
			labels = append(labels, string(o))
		}
	}
	if len(labels) == 0 {
		return ""
	}
	cells := make([][]cell, len(labels))
	for i := range cells {
		cells[i] = make([]cell, len(labels))
	}
	for _, c := range r.Matrix {
		color := "#6f7378"
		if c.From != c.To {
			color = "#b4533c"
			for _, t := range r.Transitions {
				if t.From == c.From && t.To == c.To {
					color = kindColors[t.Kind]
					break
				}
			}
		}
		cells[index[c.From]][index[c.To]] = cell{Count: c.Count, Changed: c.Changed, Color: color}
	}
	return matrixChart("Outcome transitions, base → head", labels, cells)
}

// ruleList names the rule pairs of a transition: "abroad → (default) 12".
func ruleList(rs []diff.RulePair) string {
	var parts []string
	for i, r := range rs {
		if i == 3 {
			parts = append(parts, "…")
			break
		}
		if r.Base == r.Head {
			parts = append(parts, r.Base+" "+count(r.Count))
		} else {
			parts = append(parts, r.Base+" → "+r.Head+" "+count(r.Count))
		}
	}
	return strings.Join(parts, ", ")
}

// decision names an example's decision: "challenge [otp] by abroad".
func decision(o diff.Outcome) string {
	s := string(o.Outcome)
	if len(o.Factors) > 0 {
		s += " [" + strings.Join(o.Factors, ", ") + "]"
	}
	if o.Reason != "" {
		s += " (" + o.Reason + ")"
	}
	return s + " by " + o.Rule
}
