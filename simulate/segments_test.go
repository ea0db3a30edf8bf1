package simulate

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/mfapolicy/mfapolicy/simulate/input"
)

// A login's time is the log date, else the latest method timestamp; the
// summary splits logins by day, confidence, country and application.
func TestSummarySegments(t *testing.T) {
	code := `exports.onExecutePostLogin = async (event, api) => {
	  if (event.authentication && event.authentication.riskAssessment &&
	      event.authentication.riskAssessment.confidence === 'low') api.access.deny('risky');
	};`
	lines := []string{
		// Latest of two methods: 3 October.
		`{"authentication":{"methods":[{"name":"pwd","timestamp":"2026-10-02T23:59:00Z"},{"name":"mfa","timestamp":"2026-10-03T00:00:05.120Z"}],"riskAssessment":{"confidence":"low"}},"request":{"geoip":{"countryCode":"FR"}}}`,
		// No time: no methods, or an unreadable timestamp.
		`{"authentication":{"riskAssessment":{"confidence":"high"}}}`,
		`{"authentication":{"methods":[{"name":"pwd","timestamp":"yesterday"}],"riskAssessment":{"confidence":"surprising"}}}`,
		`{"authentication":{"methods":"pwd"}}`,
		// A tenant log record: its date, 5 October (4 October is empty).
		`{"log_id":"1","data":{"type":"s","date":"2026-10-05T08:00:00.000Z","client_name":"Billing","details":{"riskAssessment":{"confidence":"medium"}}}}`,
		`{"authentication":{"methods":[{"name":"federated","timestamp":"2026-10-05T10:00:00+02:00"}],"riskAssessment":{"confidence":"neutral"}}}`,
	}
	for i := 0; i < 25; i++ {
		lines = append(lines, fmt.Sprintf(`{"request":{"geoip":{"countryCode":"C%02d"}}}`, i))
	}
	sum, err := Run(context.Background(), Options{Code: []byte(code),
		Inputs: []input.Input{input.ReaderInput("e", strings.NewReader(strings.Join(lines, "\n")))}})
	if err != nil {
		t.Fatal(err)
	}
	var days []string
	for _, d := range sum.Days {
		days = append(days, fmt.Sprintf("%s %d/%d", d.Name, d.Total, d.Outcomes.Deny))
	}
	if got := strings.Join(days, ", "); got != "2026-10-03 1/1, 2026-10-04 0/0, 2026-10-05 2/0" || sum.NoTime != 28 {
		t.Errorf("days %s, no time %d", got, sum.NoTime)
	}
	var conf []string
	for _, c := range sum.ByConfidence {
		conf = append(conf, fmt.Sprintf("%s %d", c.Name, c.Total))
	}
	if got := strings.Join(conf, ", "); got != "high 1, medium 1, low 1, neutral 1, surprising 1, (none) 26" {
		t.Errorf("confidence %s", got)
	}
	if n := len(sum.ByCountry); n != segmentN+1 || sum.ByCountry[0].Name != "(unknown)" || sum.ByCountry[n-1].Name != "(other)" {
		t.Errorf("countries %+v", sum.ByCountry)
	}
	var total int64
	for _, c := range sum.ByCountry {
		total += c.Total
	}
	if total != sum.Replayed || len(sum.ByApplication) != 2 || sum.ByApplication[1].Name != "Billing" {
		t.Errorf("countries add up to %d of %d; applications %+v", total, sum.Replayed, sum.ByApplication)
	}
}

// DayNames names each day as time.Format does, on both sides of midnight,
// before 1970 and in other zones, asked in any order.
func TestDayNames(t *testing.T) {
	var d DayNames
	for _, s := range []string{
		"2026-03-10T23:59:59.999Z", "2026-03-11T00:00:00Z", "1969-12-31T23:59:59Z", "1970-01-01T00:00:00Z",
		"1969-12-31T00:00:00Z", "1969-12-30T23:59:59.5Z", "2026-03-10T23:30:00-05:00", "2026-03-11T00:30:00+01:00",
		"0001-01-01T00:00:01Z", "2026-03-10T12:00:00Z",
	} {
		tm, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := d.Name(tm), tm.UTC().Format(time.DateOnly); got != want {
			t.Errorf("%s: day %s, want %s", s, got, want)
		}
	}
}
