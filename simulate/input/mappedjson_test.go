package input

import (
	"bytes"
	"encoding/json"
	"math"
	"testing"
)

// mappedFrom builds a mapped event whose strings, numbers and risk
// assessment are the ones given, in every member that holds them.
func mappedFrom(s, s2 string, f float64, raw json.RawMessage) *mappedEvent {
	lat, lon := f, -f
	ev := &mappedEvent{
		Client:       mappedClient{ClientID: s, Name: s2},
		Connection:   mappedConnection{ID: s2, Name: s, Strategy: s},
		Organization: &mappedOrganization{ID: s, Name: s2, DisplayName: s2},
		Request: mappedRequest{IP: s, Hostname: s2, UserAgent: s,
			Geoip: mappedGeoip{CityName: &s, CountryCode: &s2, Latitude: &lat, Longitude: &lon, TimeZone: &s}},
		Session:     &mappedID{ID: s2},
		Stats:       mappedStats{LoginsCount: f},
		Transaction: &mappedTransaction{ID: s},
		User:        mappedUser{UserID: s2, Name: s},
	}
	if raw != nil {
		ev.Authentication = &mappedAuthentication{RiskAssessment: raw, Methods: []mappedMethod{{Name: s, Timestamp: s2}}}
	}
	return ev
}

// sameAsEncodingJSON checks that the event's JSON, made whole and made
// from a place's JSON the second and third time the place is used, is
// encoding/json's, byte for byte, and fails where it fails.
func sameAsEncodingJSON(t *testing.T, ev *mappedEvent) {
	t.Helper()
	want, wantErr := json.Marshal(ev)
	got, err := (*Enrichment)(nil).marshal(ev, nil)
	if (err == nil) != (wantErr == nil) || !bytes.Equal(got, want) {
		t.Fatalf("marshal:\n got %s (%v)\nwant %s (%v)", got, err, want, wantErr)
	}
	en := NewEnrichment(nil, map[string][]string{})
	p := &place{found: true, geoip: ev.Request.Geoip}
	for use := 1; use <= 3; use++ {
		got, err := en.marshal(ev, p)
		if (err == nil) != (wantErr == nil) || !bytes.Equal(got, want) {
			t.Fatalf("marshal from a place, use %d:\n got %s (%v)\nwant %s (%v)", use, got, err, want, wantErr)
		}
	}
}

var (
	mappedStrings = []string{"", "ok", "a<b>&c", "\u2028\u2029", "\x00\x01\x1f\x7f", "bad\xff\xfeutf8", "\xed\xa0\x80",
		"é日本\U0001F600", `"\/\\`, "\t\n\r"}
	mappedNumbers = []float64{0, math.Copysign(0, -1), 1, -37.8136, 144.9631, 123456789.125, 1e20, 1e21, 1e-6, 1e-7,
		9007199254740993, math.MaxFloat64, math.SmallestNonzeroFloat64}
	mappedRaws = []json.RawMessage{nil, json.RawMessage(`{"confidence":"low"}`),
		json.RawMessage("{ \"confidence\" : \"low\",\n\t \"assessments\": { \"A\" : [ 1 , 2e3 ] } }"),
		json.RawMessage(`{"a":"<&>","u":"` + "\u2028" + `"}`), json.RawMessage(`{"x":1e400}`),
		json.RawMessage(`{"broken":`), json.RawMessage(`["not", "an object"]`)}
)

// The JSON of an event mapped from a log record is what encoding/json
// makes of it, byte for byte, although goccy/go-json makes it: the
// escaping of HTML, control and invalid UTF-8 characters and of U+2028
// and U+2029, the form of numbers, a risk assessment passed through with
// its white space, and the failures (a number out of range, a broken
// passthrough) are the same. The events it feeds (the located pass, goja,
// the sampling hash, the summaries) are then those of before.
func TestMappedJSONIsEncodingJSONs(t *testing.T) {
	for i, s := range mappedStrings {
		for j, f := range mappedNumbers {
			for k, raw := range mappedRaws {
				sameAsEncodingJSON(t, mappedFrom(s, mappedStrings[(i+j+k)%len(mappedStrings)], f, raw))
			}
		}
	}
	sameAsEncodingJSON(t, &mappedEvent{})
	inf := math.Inf(1)
	sameAsEncodingJSON(t, &mappedEvent{Request: mappedRequest{Geoip: mappedGeoip{Latitude: &inf}}})
}

func FuzzMappedJSON(f *testing.F) {
	for i, s := range mappedStrings {
		f.Add(s, mappedStrings[(i+1)%len(mappedStrings)], mappedNumbers[i%len(mappedNumbers)], []byte(mappedRaws[i%len(mappedRaws)]))
	}
	f.Fuzz(func(t *testing.T, s, s2 string, n float64, raw []byte) {
		var r json.RawMessage
		if len(raw) > 0 {
			r = raw
		}
		sameAsEncodingJSON(t, mappedFrom(s, s2, n, r))
	})
}
