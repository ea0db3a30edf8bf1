package simulate

import (
	"sort"
	"time"
)

// OutcomeCounts counts logins per outcome. Its JSON lists the outcomes in
// summary order, zeros included.
type OutcomeCounts struct {
	Allow     int64 `json:"allow"`
	Challenge int64 `json:"challenge"`
	Enroll    int64 `json:"enroll"`
	Deny      int64 `json:"deny"`
	Fail      int64 `json:"fail"`
	Error     int64 `json:"error"`
}

// Of returns the count of one outcome.
func (c *OutcomeCounts) Of(o Outcome) int64 {
	if p := c.field(o); p != nil {
		return *p
	}
	return 0
}

func (c *OutcomeCounts) field(o Outcome) *int64 {
	switch o {
	case Allow:
		return &c.Allow
	case Challenge:
		return &c.Challenge
	case Enroll:
		return &c.Enroll
	case Deny:
		return &c.Deny
	case Fail:
		return &c.Fail
	case Error:
		return &c.Error
	}
	return nil
}

func (c *OutcomeCounts) add(o Outcome, n int64) {
	if p := c.field(o); p != nil {
		*p += n
	}
}

// Segment is the logins of one day, country, application or risk
// confidence, split by outcome.
type Segment struct {
	Name  string `json:"name"`
	Total int64  `json:"total"`
	// Percent is Total's share of the replayed logins.
	Percent  float64       `json:"percent"`
	Outcomes OutcomeCounts `json:"outcomes"`
}

// segmentN is how many countries and applications Summary.ByCountry and
// Summary.ByApplication keep before merging the rest into "(other)".
const segmentN = 20

// maxFilledDays is the longest span of days a timeline lists day by day,
// empty days included; a longer span lists only the days with logins.
const maxFilledDays = 366

// NoConfidence names the logins whose event has no risk confidence.
const NoConfidence = "(none)"

// confidenceOrder is the order of Summary.ByConfidence: Auth0's levels,
// then any other value by name, then NoConfidence.
var confidenceOrder = []string{"high", "medium", "low", "neutral"}

// segments accumulates logins per segment name and outcome.
type segments map[string]*OutcomeCounts

func (s segments) add(name string, o Outcome) {
	c := s[name]
	if c == nil {
		c = &OutcomeCounts{}
		s[name] = c
	}
	c.add(o, 1)
}

func (s segments) segment(name string) Segment {
	seg := Segment{Name: name}
	if c := s[name]; c != nil {
		seg.Outcomes = *c
		for _, o := range Outcomes {
			seg.Total += c.Of(o)
		}
	}
	return seg
}

// pivot turns per-outcome counts (outcome → name → count) into segments.
func pivot(m map[Outcome]map[string]int64) segments {
	s := segments{}
	for o, names := range m {
		for name, n := range names {
			if s[name] == nil {
				s[name] = &OutcomeCounts{}
			}
			s[name].add(o, n)
		}
	}
	return s
}

// ranked lists segments by total (descending) then name, keeping n and
// merging the rest into one "(other)" segment.
func (s segments) ranked(n int) []Segment {
	out := make([]Segment, 0, len(s))
	for name := range s {
		out = append(out, s.segment(name))
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Total != out[j].Total {
			return out[i].Total > out[j].Total
		}
		return out[i].Name < out[j].Name
	})
	if len(out) <= n {
		return out
	}
	other := Segment{Name: "(other)"}
	for _, seg := range out[n:] {
		other.Total += seg.Total
		for _, o := range Outcomes {
			other.Outcomes.add(o, seg.Outcomes.Of(o))
		}
	}
	return append(out[:n], other)
}

// confidences lists the confidence segments that occurred, in
// confidenceOrder.
func (s segments) confidences() []Segment {
	out := []Segment{}
	known := map[string]bool{NoConfidence: true}
	for _, name := range confidenceOrder {
		known[name] = true
		if s[name] != nil {
			out = append(out, s.segment(name))
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
		out = append(out, s.segment(name))
	}
	if s[NoConfidence] != nil {
		out = append(out, s.segment(NoConfidence))
	}
	return out
}

// days lists the day segments (named YYYY-MM-DD, UTC) in date order: every
// day from the first to the last when the span is at most maxFilledDays,
// else only the days with logins.
func (s segments) days() []Segment {
	names := make([]string, 0, len(s))
	for name := range s {
		names = append(names, name)
	}
	sort.Strings(names)
	if len(names) == 0 {
		return []Segment{}
	}
	first, err1 := time.Parse(time.DateOnly, names[0])
	last, err2 := time.Parse(time.DateOnly, names[len(names)-1])
	if err1 == nil && err2 == nil && last.Sub(first) < maxFilledDays*24*time.Hour {
		names = names[:0]
		for d := first; !d.After(last); d = d.AddDate(0, 0, 1) {
			names = append(names, d.Format(time.DateOnly))
		}
	}
	out := make([]Segment, 0, len(names))
	for _, name := range names {
		out = append(out, s.segment(name))
	}
	return out
}

// withPercent sets each segment's share of total.
func withPercent(segs []Segment, total int64) []Segment {
	for i := range segs {
		segs[i].Percent = Percent(segs[i].Total, total)
	}
	return segs
}

// DayNames names the days of logins as time.DateOnly (UTC), each day
// once: a summary names the day of every login.
type DayNames map[int64]string

// Name is the day of t.
func (d *DayNames) Name(t time.Time) string {
	n := t.Unix() / 86400
	if t.Unix() < 0 && t.Unix()%86400 != 0 {
		n-- // days before 1970 start below their number
	}
	if name, ok := (*d)[n]; ok {
		return name
	}
	if *d == nil {
		*d = DayNames{}
	}
	name := t.UTC().Format(time.DateOnly)
	(*d)[n] = name
	return name
}

func orNoConfidence(s string) string {
	if s == "" {
		return NoConfidence
	}
	return s
}
