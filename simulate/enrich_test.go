package simulate

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/mfapolicy/mfapolicy/geoip"
	"github.com/mfapolicy/mfapolicy/geoip/geoiptest"
)

func TestEnrichment(t *testing.T) {
	db, err := geoip.Open(geoiptest.Write(t, "GeoLite2-City", geoiptest.Sample))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	en := enrichmentOf(Options{GeoIP: db, Tenant: &Tenant{Roles: map[string][]string{"auth0|1": {"admin"}, "auth0|2": {}}}})
	cases := []struct {
		name, rec string
		geo       geoSource
		country   string // request.geoip.countryCode, "" absent
		roles     string // authorization as JSON, "" absent
		rs        rolesSource
	}{
		{"no location_info", `{"type":"s","_id":"1","ip":"198.51.100.9","user_id":"auth0|1"}`, geoFromDB, "DE", `{"roles":["admin"]}`, rolesFromTenant},
		{"location_info kept", `{"type":"s","_id":"1","ip":"198.51.100.9","user_id":"auth0|2","location_info":{"country_code":"FR"}}`, geoFromLog, "FR", `{"roles":[]}`, rolesFromTenant},
		{"a city alone is a location", `{"type":"s","_id":"1","ip":"198.51.100.9","location_info":{"city_name":"Lyon"}}`, geoFromLog, "", "", rolesUnknown},
		{"empty location_info", `{"type":"s","_id":"1","ip":"192.0.2.1","location_info":{}}`, geoFromDB, "US", "", rolesUnknown},
		{"null location_info", `{"type":"s","_id":"1","ip":"2001:db8::1","location_info":null}`, geoFromDB, "AU", "", rolesUnknown},
		{"location_info of a wrong type", `{"type":"s","_id":"1","ip":"192.0.2.1","location_info":"US"}`, geoFromDB, "US", "", rolesUnknown},
		{"not covered", `{"type":"s","_id":"1","ip":"203.0.113.1","user_id":"auth0|9"}`, geoNotFound, "", "", rolesUnknown},
		{"no ip", `{"type":"s","_id":"1"}`, geoNotFound, "", "", rolesUnknown},
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
		if it.Event.enriched.geo != c.geo || country != c.country || it.Event.Country != c.country ||
			string(ev.Authorization) != c.roles || it.Event.enriched.roles != c.rs {
			t.Errorf("%s: geo %d country %q (%q) authorization %s roles %d; want %d %q %s %d\n%s",
				c.name, it.Event.enriched.geo, country, it.Event.Country, ev.Authorization, it.Event.enriched.roles,
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
	if plain.Event.enriched != (enriched{}) || strings.Contains(string(plain.Event.JSON), "countryCode") || strings.Contains(string(plain.Event.JSON), "authorization") {
		t.Errorf("not enriched: %s", plain.Event.JSON)
	}
}
