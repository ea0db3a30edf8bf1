package report

import (
	"html/template"
	"io"

	"github.com/mfapolicy/mfapolicy/simulate"
)

// outcomeColors are the colours of the outcomes on every chart.
var outcomeColors = map[simulate.Outcome]string{
	simulate.Allow:     "#2f9e5b",
	simulate.Challenge: "#3567c8",
	simulate.Enroll:    "#8a5cc7",
	simulate.Deny:      "#d0433f",
	simulate.Fail:      "#e0892b",
	simulate.Error:     "#6f7378",
}

func outcomeSeries() []series {
	out := make([]series, len(simulate.Outcomes))
	for i, o := range simulate.Outcomes {
		out[i] = series{Name: string(o), Color: outcomeColors[o]}
	}
	return out
}

func outcomeValues(c simulate.OutcomeCounts) []int64 {
	out := make([]int64, len(simulate.Outcomes))
	for i, o := range simulate.Outcomes {
		out[i] = c.Of(o)
	}
	return out
}

// simulatePage is what the simulate template shows.
type simulatePage struct {
	Title    string
	S        *simulate.Summary
	Legend   []series
	Mix      template.HTML
	Timeline template.HTML
	Span     string
	Country  template.HTML
	App      template.HTML
	Conf     template.HTML
	Rules    template.HTML
	Tables   []segmentTable
	Days     segmentTable
}

// segmentTable is a sortable table of segments by outcome.
type segmentTable struct {
	ID, Title, Column string
	Rows              []simulate.Segment
}

// Simulate writes the HTML report of a simulation.
func Simulate(w io.Writer, s *simulate.Summary) error {
	ss := outcomeSeries()
	p := simulatePage{Title: "mfapolicy simulate: " + s.Action, S: s, Legend: ss}
	var parts []part
	for _, c := range s.Outcomes {
		parts = append(parts, part{c.Count, c.Percent})
	}
	p.Mix = shareBar("Outcomes of "+count(s.Replayed)+" logins", parts, ss)
	if len(s.Days) > 0 {
		cols := make([]column, len(s.Days))
		for i, d := range s.Days {
			cols[i] = dayColumn(d.Name, i, len(s.Days))
			cols[i].Values = outcomeValues(d.Outcomes)
		}
		p.Timeline = columnChart("Outcomes per day (UTC)", cols, ss)
		p.Span = span(s.Days[0].Name, s.Days[len(s.Days)-1].Name)
	}
	p.Country = segmentChart("Outcomes by country", s.ByCountry)
	p.App = segmentChart("Outcomes by application", s.ByApplication)
	p.Conf = segmentChart("Outcomes by risk confidence", s.ByConfidence)
	if len(s.Rules) > 0 {
		rows := make([]bar, len(s.Rules))
		for i, r := range s.Rules {
			rows[i] = bar{Label: r.Name, Values: []int64{r.Count}, Note: count(r.Count) + " · " + percent(r.Percent)}
		}
		p.Rules = barChart("Logins decided by each rule", rows, []series{{Name: "logins", Color: "#4a5d7e"}}, halfWidth)
	}
	p.Tables = []segmentTable{
		{ID: "countries", Title: "Countries", Column: "country", Rows: s.ByCountry},
		{ID: "applications", Title: "Applications", Column: "application", Rows: s.ByApplication},
		{ID: "confidence", Title: "Risk confidence", Column: "confidence", Rows: s.ByConfidence},
	}
	p.Days = segmentTable{ID: "days", Title: "Days", Column: "day (UTC)", Rows: s.Days}
	return page.ExecuteTemplate(w, "simulate", p)
}

// segmentChart draws segments as ranked bars split by outcome.
func segmentChart(title string, segs []simulate.Segment) template.HTML {
	if len(segs) == 0 {
		return ""
	}
	rows := make([]bar, len(segs))
	for i, s := range segs {
		rows[i] = bar{Label: s.Name, Values: outcomeValues(s.Outcomes), Note: count(s.Total) + " · " + percent(s.Percent)}
	}
	return barChart(title, rows, outcomeSeries(), halfWidth)
}
