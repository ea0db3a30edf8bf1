package diff

import (
	"fmt"
	"strings"
	"testing"
)

// Changed logins are split by day (gaps filled) and by risk confidence.
func TestSegments(t *testing.T) {
	head := strings.Replace(basePolicy, "in ['KP']", "in ['KP', 'FR']", 1)
	in := `{"request":{"geoip":{"countryCode":"FR"}},"authentication":{"methods":[{"name":"pwd","timestamp":"2026-10-01T10:00:00Z"}],"riskAssessment":{"confidence":"low"}}}
{"request":{"geoip":{"countryCode":"US"}},"authentication":{"methods":[{"name":"pwd","timestamp":"2026-10-03T10:00:00Z"}],"riskAssessment":{"confidence":"high"}}}
{"request":{"geoip":{"countryCode":"FR"}}}
`
	rep := run(t, basePolicy, head, in, "none")
	var got []string
	for _, d := range rep.Days {
		got = append(got, fmt.Sprintf("%s %d/%d/%d", d.Name, d.Total, d.Changed, d.ByKind.Tightened))
	}
	for _, c := range rep.ByConfidence {
		got = append(got, fmt.Sprintf("%s %d/%d", c.Name, c.Total, c.ByKind.Of(Tightened)))
	}
	want := "2026-10-01 1/1/1, 2026-10-02 0/0/0, 2026-10-03 1/0/0, high 1/0, low 1/1, (none) 1/1"
	if s := strings.Join(got, ", "); s != want || rep.NoTime != 1 {
		t.Errorf("segments %s (no time %d), want %s", s, rep.NoTime, want)
	}
}
