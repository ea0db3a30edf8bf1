package input

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/mfapolicy/mfapolicy/geoip"
	"github.com/mfapolicy/mfapolicy/geoip/geoiptest"
	"github.com/mfapolicy/mfapolicy/internal/eventgen"
)

func TestEnrichment(t *testing.T) {
	db, err := geoip.Open(geoiptest.Write(t, "GeoLite2-City", geoiptest.Sample))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	en := NewEnrichment(db, map[string][]string{"auth0|1": {"admin"}, "auth0|2": {}})
	cases := []struct {
		name, rec string
		geo       GeoSource
		country   string // request.geoip.countryCode, "" absent
		roles     string // authorization as JSON, "" absent
		rs        RolesSource
	}{
		{"no location_info", `{"type":"s","_id":"1","ip":"198.51.100.9","user_id":"auth0|1"}`, GeoFromDB, "DE", `{"roles":["admin"]}`, RolesFromTenant},
		{"location_info kept", `{"type":"s","_id":"1","ip":"198.51.100.9","user_id":"auth0|2","location_info":{"country_code":"FR"}}`, GeoFromLog, "FR", `{"roles":[]}`, RolesFromTenant},
		{"a city alone is a location", `{"type":"s","_id":"1","ip":"198.51.100.9","location_info":{"city_name":"Lyon"}}`, GeoFromLog, "", "", RolesUnknown},
		{"empty location_info", `{"type":"s","_id":"1","ip":"192.0.2.1","location_info":{}}`, GeoFromDB, "US", "", RolesUnknown},
		{"null location_info", `{"type":"s","_id":"1","ip":"2001:db8::1","location_info":null}`, GeoFromDB, "AU", "", RolesUnknown},
		{"location_info of a wrong type", `{"type":"s","_id":"1","ip":"192.0.2.1","location_info":"US"}`, GeoFromDB, "US", "", RolesUnknown},
		{"not covered", `{"type":"s","_id":"1","ip":"203.0.113.1","user_id":"auth0|9"}`, GeoNotFound, "", "", RolesUnknown},
		{"no ip", `{"type":"s","_id":"1"}`, GeoNotFound, "", "", RolesUnknown},
	}
	for _, c := range cases {
		it := parseRecordWith("x", 1, []byte(c.rec), en)
		if it.Kind != ItemEvent {
			t.Fatalf("%s: %+v", c.name, it)
		}
		var ev struct {
			Request struct {
				Geoip map[string]any `json:"geoip"`
			} `json:"request"`
			Authorization json.RawMessage `json:"authorization"`
		}
		if err := json.Unmarshal(it.Event.JSON, &ev); err != nil {
			t.Fatal(err)
		}
		country, _ := ev.Request.Geoip["countryCode"].(string)
		if it.Event.Enriched.Geo != c.geo || country != c.country || it.Event.Country != c.country ||
			string(ev.Authorization) != c.roles || it.Event.Enriched.Roles != c.rs {
			t.Errorf("%s: geo %d country %q (%q) authorization %s roles %d; want %d %q %s %d\n%s",
				c.name, it.Event.Enriched.Geo, country, it.Event.Country, ev.Authorization, it.Event.Enriched.Roles,
				c.geo, c.country, c.roles, c.rs, it.Event.JSON)
		}
	}
	// A located login carries every field the database gives, and the
	// same event twice (the second from the worker's memory of places).
	first := parseRecordWith("x", 1, []byte(cases[0].rec), en).Event.JSON
	again := parseRecordWith("x", 1, []byte(cases[0].rec), en).Event.JSON
	want := `"geoip":{"cityName":"Berlin","continentCode":"EU","countryCode":"DE","countryName":"Germany","latitude":52.5244,"longitude":13.4105,"subdivisionCode":"BE","subdivisionName":"Land Berlin","timeZone":"Europe/Berlin"}`
	if !json.Valid(first) || string(first) != string(again) || !strings.Contains(string(first), want) {
		t.Errorf("located event:\n%s\n%s\nwant %s", first, again, want)
	}
	// Without an enrichment nothing is added.
	plain := parseRecordWith("x", 1, []byte(cases[0].rec), nil)
	if plain.Event.Enriched != (Enriched{}) || strings.Contains(string(plain.Event.JSON), "countryCode") || strings.Contains(string(plain.Event.JSON), "authorization") {
		t.Errorf("not enriched: %s", plain.Event.JSON)
	}
}

// TestEventHalves holds eventHead and eventTail to mappedEvent: the same
// members (name, type and tag) in the same order, request last in the
// head and geoip last in request.
func TestEventHalves(t *testing.T) {
	fields := func(v any) []reflect.StructField {
		ty := reflect.TypeOf(v)
		fs := make([]reflect.StructField, ty.NumField())
		for i := range fs {
			f := ty.Field(i)
			fs[i] = reflect.StructField{Name: f.Name, Type: f.Type, Tag: f.Tag}
		}
		return fs
	}
	halves := append(fields(eventHead{}), fields(eventTail{})...)
	if !reflect.DeepEqual(halves, fields(mappedEvent{})) {
		t.Errorf("eventHead and eventTail:\n%v\nmappedEvent:\n%v", halves, fields(mappedEvent{}))
	}
	head, req := fields(eventHead{}), fields(mappedRequest{})
	if head[len(head)-1].Name != "Request" || req[len(req)-1].Name != "Geoip" {
		t.Errorf("the head ends with %s, request with %s", head[len(head)-1].Name, req[len(req)-1].Name)
	}
}

func TestEnrichedEventIsMarshaled(t *testing.T) {
	// Every IPv4 /8 in one of four places: a city, a city whose names
	// need escaping, a country record (no coordinates, no city) and a
	// city on the equator and the prime meridian (coordinates of 0 are
	// kept); 10/8 is not covered.
	places := []geoiptest.Network{
		geoiptest.Sample[0],
		{Country: "CH", CountryName: `<Zürich & "Co">`, Continent: "EU", City: "Z\u2028rich\\", Subdivision: "ZH",
			SubdivisionName: "Zürich", TimeZone: "Europe/Zurich", Latitude: 47.3769, Longitude: 8.5417},
		{Country: "FR", CountryName: "France", Continent: "EU"},
		{Country: "GH", CountryName: "Ghana", Continent: "AF", City: "Null Island", TimeZone: "Africa/Accra"},
	}
	var nets []geoiptest.Network
	for a := 1; a <= 223; a++ {
		if a != 10 {
			n := places[a%len(places)]
			n.CIDR = fmt.Sprintf("%d.0.0.0/8", a)
			nets = append(nets, n)
		}
	}
	db, err := geoip.Open(geoiptest.Write(t, "GeoLite2-City", nets))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	records := []string{
		`{"type":"s","_id":"1","ip":"10.0.0.1","user_name":"x"}`,
		`{"type":"s","_id":"1","ip":"3.1.1.1","user_name":"\"geoip\":{}}}","hostname":"<h>","details":{"riskAssessment":{"geoip":{}}}}`,
		`{"type":"s","_id":"1","ip":"5.1.1.1","user_agent":"\u2028 \ud800 </script>","tenant_name":"t","details":{"session_id":"s","transaction_id":"x","riskAssessment":{"a" : [ 1, "geoip" ]}}}`,
		`{"type":"s","_id":"1","ip":"2.1.1.1","organization_id":"org_1","organization_name":"O & O","user_id":"auth0|1"}`,
		`{"type":"s","_id":"1","ip":"4.1.1.1","location_info":{"country_code":"NZ"}}`,
	}
	g := eventgen.New(7)
	for range 2000 {
		var w struct {
			Data json.RawMessage `json:"data"`
		}
		if err := json.Unmarshal(g.LogRecordWithoutLocation(), &w); err != nil {
			t.Fatal(err)
		}
		records = append(records, string(w.Data))
	}
	roles := map[string][]string{"auth0|1": {"a<b>"}}
	en, ref := NewEnrichment(db, roles), NewEnrichment(db, roles)
	located := map[string]int{}
	for _, rec := range records {
		it := parseRecordWith("x", 1, []byte(rec), en)
		if it.Kind == ItemSkipped {
			continue
		}
		var l logRecord
		if err := unmarshalLenient([]byte(rec), &l); err != nil {
			t.Fatal(err)
		}
		ev := mapLog(&l)
		facts, _ := ref.apply(&l, ev)
		want, err := json.Marshal(ev)
		if err != nil {
			t.Fatal(err)
		}
		if it.Kind != ItemEvent || string(it.Event.JSON) != string(want) || it.Event.Enriched != facts {
			t.Fatalf("%s:\n%s\nwant\n%s", rec, it.Event.JSON, want)
		}
		if facts.Geo == GeoFromDB {
			located[it.Event.Country]++
		}
	}
	if len(located) != 4 || located["CH"] == 0 || located["GH"] == 0 {
		t.Errorf("located: %v", located)
	}
}
