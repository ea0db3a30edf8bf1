package diff

import (
	"sort"
	"time"

	"github.com/mfapolicy/mfapolicy/simulate"
	"github.com/mfapolicy/mfapolicy/simulate/input"
)

// KindCounts counts changed logins per kind of change. Its JSON lists the
// kinds in report order, zeros included.
type KindCounts struct {
	Weakened  int64 `json:"weakened"`
	LockedOut int64 `json:"locked_out"`
	Tightened int64 `json:"tightened"`
	Restored  int64 `json:"restored"`
	Lateral   int64 `json:"lateral"`
}

// Of returns the count of one kind.
func (c *KindCounts) Of(k Kind) int64 {
	if p := c.field(k); p != nil {
		return *p
	}
	return 0
}

func (c *KindCounts) field(k Kind) *int64 {
	switch k {
	case Weakened:
		return &c.Weakened
	case LockedOut:
		return &c.LockedOut
	case Tightened:
		return &c.Tightened
	case Restored:
		return &c.Restored
	case Lateral:
		return &c.Lateral
	}
	return nil
}

// Segment is the logins of one day or risk confidence: how many were
// replayed, how many changed decision, and of what kind.
type Segment struct {
	Name    string `json:"name"`
	Total   int64  `json:"total"`
	Changed int64  `json:"changed"`
	// ChangedPercent is Changed's share of Total.
	ChangedPercent float64    `json:"changed_percent"`
	ByKind         KindCounts `json:"by_kind"`
}

// segments accumulates Segment values by name.
type segments map[string]*Segment

func (s segments) add(name string, changed bool, k Kind) {
	seg := s[name]
	if seg == nil {
		seg = &Segment{Name: name}
		s[name] = seg
	}
	seg.Total++
	if changed {
		seg.Changed++
		if p := seg.ByKind.field(k); p != nil {
			*p++
		}
	}
}

func (s segments) get(name string) Segment {
	if seg := s[name]; seg != nil {
		out := *seg
		out.ChangedPercent = simulate.Percent(out.Changed, out.Total)
		return out
	}
	return Segment{Name: name}
}

// days lists the day segments in date order, every day from the first to
// the last when they span at most a year (simulate.Summary.Days does the
// same), else only the days with logins.
func (s segments) days() []Segment {
	names := make([]string, 0, len(s))
	for name := range s {
		names = append(names, name)
	}
	sort.Strings(names)
	if len(names) > 1 {
		first, err1 := time.Parse(time.DateOnly, names[0])
		last, err2 := time.Parse(time.DateOnly, names[len(names)-1])
		if err1 == nil && err2 == nil && last.Sub(first) < 366*24*time.Hour {
			names = names[:0]
			for d := first; !d.After(last); d = d.AddDate(0, 0, 1) {
				names = append(names, d.Format(time.DateOnly))
			}
		}
	}
	out := make([]Segment, 0, len(names))
	for _, name := range names {
		out = append(out, s.get(name))
	}
	return out
}

// confidences lists the confidence segments in the order of
// simulate.Summary.ByConfidence: high, medium, low, neutral, others by
// name, then simulate.NoConfidence.
func (s segments) confidences() []Segment {
	out := []Segment{}
	known := map[string]bool{simulate.NoConfidence: true}
	for _, name := range []string{"high", "medium", "low", "neutral"} {
		known[name] = true
		if s[name] != nil {
			out = append(out, s.get(name))
		}
	}
	var rest []string
	for name := range s {
		if !known[name] {
			rest = append(rest, name)
		}
	}
	sort.Strings(rest)
	for _, name := range rest {
		out = append(out, s.get(name))
	}
	if s[simulate.NoConfidence] != nil {
		out = append(out, s.get(simulate.NoConfidence))
	}
	return out
}

// segment counts one login in its day and confidence segments.
func (a *accumulator) segment(ev *input.Event, changed bool, k Kind) {
	if ev.Time.IsZero() {
		a.noTime++
	} else {
		a.days.add(a.dayNames.Name(ev.Time), changed, k)
	}
	conf := ev.Confidence
	if conf == "" {
		conf = simulate.NoConfidence
	}
	a.confidence.add(conf, changed, k)
}
