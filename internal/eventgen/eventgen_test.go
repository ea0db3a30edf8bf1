package eventgen

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"
)

func TestDeterministic(t *testing.T) {
	var a, b bytes.Buffer
	if err := WriteCorpus(&a, Events, 200, 7); err != nil {
		t.Fatal(err)
	}
	_ = WriteCorpus(&b, Events, 200, 7)
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatal("same seed, different bytes")
	}
	var c bytes.Buffer
	_ = WriteCorpus(&c, Events, 200, 8)
	if bytes.Equal(a.Bytes(), c.Bytes()) {
		t.Fatal("different seeds, same bytes")
	}
}

// The checked-in examples are exactly what go generate writes.
func TestExamplesAreGenerated(t *testing.T) {
	for _, c := range []struct {
		path string
		kind Kind
		n    int
		seed uint64
	}{{"../../examples/events.ndjson", Events, 3000, 1}, {"../../examples/logs.ndjson", Logs, 1000, 2}} {
		have, err := os.ReadFile(c.path)
		if err != nil {
			t.Fatal(err)
		}
		var want bytes.Buffer
		_ = WriteCorpus(&want, c.kind, c.n, c.seed)
		if !bytes.Equal(have, want.Bytes()) {
			t.Errorf("%s is stale: run go generate ./internal/eventgen", c.path)
		}
		if len(have) > 7<<19 {
			t.Errorf("%s is %d bytes, over 3.5 MB", c.path, len(have))
		}
	}
}

func TestVariety(t *testing.T) {
	var buf bytes.Buffer
	_ = WriteCorpus(&buf, Events, 3000, 1)
	countries, apps, bad, noRisk, noFactors, noneEnrolled := map[string]int{}, map[string]int{}, 0, 0, 0, 0
	noTime, days := 0, map[string]int{}
	for _, line := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		var ev struct {
			Authentication struct {
				Methods []struct {
					Name      string
					Timestamp time.Time
				} `json:"methods"`
				RiskAssessment *struct{ Confidence string } `json:"riskAssessment"`
			} `json:"authentication"`
			Request struct {
				Geoip struct{ CountryCode string } `json:"geoip"`
			} `json:"request"`
			Client struct{ Name string } `json:"client"`
			User   struct {
				EnrolledFactors *[]struct{ Type string } `json:"enrolledFactors"`
			} `json:"user"`
		}
		if err := json.Unmarshal([]byte(line), &ev); err != nil || line[0] != '{' {
			bad++
			continue
		}
		countries[ev.Request.Geoip.CountryCode]++
		apps[ev.Client.Name]++
		if ev.Authentication.RiskAssessment == nil {
			noRisk++
		}
		if len(ev.Authentication.Methods) == 0 {
			noTime++
		}
		for _, m := range ev.Authentication.Methods {
			if m.Name == "" || m.Timestamp.Month() != time.October || m.Timestamp.Year() != 2026 {
				t.Errorf("method %+v is not a named method in October 2026", m)
			}
			days[m.Timestamp.Format(time.DateOnly)]++
		}
		switch {
		case ev.User.EnrolledFactors == nil:
			noFactors++
		case len(*ev.User.EnrolledFactors) == 0:
			noneEnrolled++
		}
	}
	for _, c := range []string{"KP", "IR", "RU", "CN", "BR", "IN", "DE", "GB", "US", "CA", ""} {
		if countries[c] == 0 {
			t.Errorf("no login from %q", c)
		}
	}
	if len(apps) < 5 || bad != 3 || noRisk == 0 || noFactors == 0 || noneEnrolled == 0 {
		t.Errorf("apps %d bad %d noRisk %d noFactors %d noneEnrolled %d", len(apps), bad, noRisk, noFactors, noneEnrolled)
	}
	// Every day of the 30 has logins, Sundays fewer than Tuesdays.
	if noTime == 0 || noTime > 100 || len(days) != 30 {
		t.Errorf("%d events without methods, %d days with logins", noTime, len(days))
	}
	if days["2026-10-06"] <= days["2026-10-04"] {
		t.Errorf("Tuesday %d logins, Sunday %d", days["2026-10-06"], days["2026-10-04"])
	}
}
