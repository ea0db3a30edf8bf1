package input

import (
	"encoding/json"
	"strings"
	"testing"
)

const streamedS = `{"log_id":"90020","data":{"date":"2026-06-08T17:51:02.279Z","type":"s","connection":"enterprise-db","connection_id":"con_1",` +
	`"client_id":"7RyK","client_name":"CloudSync","ip":"fd64:3716::2273","user_agent":"Mozilla/5.0","hostname":"auth.acme.com",` +
	`"user_id":"auth0|311","user_name":"sys@acme.com","strategy":"auth0","strategy_type":"database","organization_id":"org_1","organization_name":"acme",` +
	`"details":{"session_id":"95W6","transaction_id":"vTQ7","stats":{"loginsCount":42},"riskAssessment":{"confidence":"high","version":"1",` +
	`"assessments":{"UntrustedIP":{"confidence":"high","code":"not_found_on_deny_list"},"PhoneNumber":{"confidence":"neutral","code":"phone_number_not_provided"}}}},` +
	`"location_info":{"country_code":"US","country_code3":"USA","country_name":"United States","city_name":"Tucson","subdivision_code":"AZ",` +
	`"continent_code":"NA","time_zone":"America/Phoenix","latitude":32.6713,"longitude":-111.5766},"tenant_name":"nova","log_id":"90020"}}`

func TestLogStreamWrapperMapsOntoEvent(t *testing.T) {
	it := parseRecord("logs.ndjson", 3, []byte(streamedS))
	if it.Kind != ItemEvent {
		t.Fatalf("kind %v: %+v", it.Kind, it.Problem)
	}
	e := it.Event
	if e.ID != "90020" || e.LogType != "s" || e.Country != "US" || e.Application != "CloudSync" || e.HasEnrolled {
		t.Errorf("event facts: %+v", e)
	}
	want := `{"authentication":{"riskAssessment":{"confidence":"high","version":"1","assessments":{"UntrustedIP":{"confidence":"high","code":"not_found_on_deny_list"},"PhoneNumber":{"confidence":"neutral","code":"phone_number_not_provided"}}}},` +
		`"client":{"client_id":"7RyK","name":"CloudSync","metadata":{}},"connection":{"id":"con_1","name":"enterprise-db","strategy":"auth0","metadata":{}},` +
		`"organization":{"id":"org_1","name":"acme","display_name":"acme","metadata":{}},` +
		`"request":{"ip":"fd64:3716::2273","hostname":"auth.acme.com","user_agent":"Mozilla/5.0","geoip":{"cityName":"Tucson","continentCode":"NA","countryCode3":"USA","countryCode":"US","countryName":"United States","latitude":32.6713,"longitude":-111.5766,"subdivisionCode":"AZ","timeZone":"America/Phoenix"}},` +
		`"secrets":{},"session":{"id":"95W6"},"stats":{"logins_count":42},"tenant":{"id":"nova"},"transaction":{"id":"vTQ7","metadata":{}},` +
		`"user":{"user_id":"auth0|311","name":"sys@acme.com","app_metadata":{},"user_metadata":{}}}`
	if string(e.JSON) != want {
		t.Errorf("mapped event:\n got %s\nwant %s", e.JSON, want)
	}
}

func TestManagementAPILog(t *testing.T) {
	rec := `{"_id":"abc","date":"2026-01-02T03:04:05Z","type":"s","ip":"1.2.3.4","client_name":"Portal"}`
	it := parseRecord("x", 1, []byte(rec))
	if it.Kind != ItemEvent || it.Event.ID != "abc" || it.Event.Country != "" {
		t.Fatalf("%+v", it)
	}
	var m map[string]any
	_ = json.Unmarshal(it.Event.JSON, &m)
	if _, ok := m["authentication"]; ok {
		t.Errorf("no riskAssessment in the log, yet authentication is set: %s", it.Event.JSON)
	}
	if g := m["request"].(map[string]any)["geoip"]; g == nil {
		t.Errorf("request.geoip missing: %s", it.Event.JSON)
	}
}

func TestSkippedLogTypes(t *testing.T) {
	for _, typ := range []string{"f", "fp", "mfar", "gd_send_pn", "w", "ssa", "zz_unknown"} {
		rec := `{"log_id":"1","data":{"type":"` + typ + `","date":"2026-01-01T00:00:00Z"}}`
		if it := parseRecord("x", 1, []byte(rec)); it.Kind != ItemSkipped || it.LogType != typ {
			t.Errorf("%s: %+v", typ, it)
		}
		bare := `{"log_id":"1","type":"` + typ + `","date":"2026-01-01T00:00:00Z"}`
		if it := parseRecord("x", 1, []byte(bare)); it.Kind != ItemSkipped || it.LogType != typ {
			t.Errorf("bare %s: %+v", typ, it)
		}
	}
}

func TestWrongTypesAreNotMalformed(t *testing.T) {
	// Valid JSON with odd types is an event; the Action decides what to do.
	it := parseRecord("x", 1, []byte(`{"request":{"geoip":{"countryCode":7}},"client":"nope","user":{"enrolledFactors":"x"}}`))
	if it.Kind != ItemEvent || it.Event.Country != "" || !it.Event.HasEnrolled || len(it.Event.Enrolled) != 0 {
		t.Fatalf("%+v", it)
	}
	it = parseRecord("x", 1, []byte(`{"log_id":"1","data":{"type":"s","location_info":"bad","details":[]}}`))
	if it.Kind != ItemEvent || !strings.Contains(string(it.Event.JSON), `"geoip":{}`) {
		t.Fatalf("%+v %s", it, it.Event.JSON)
	}
}

func TestEnrolledFactors(t *testing.T) {
	it := parseRecord("x", 1, []byte(`{"user":{"enrolledFactors":[{"type":"otp"},{"type":"push"},{"type":""}]}}`))
	if got := strings.Join(it.Event.Enrolled, ","); got != "otp,push-notification" || !it.Event.HasEnrolled {
		t.Fatalf("enrolled %q", got)
	}
	it = parseRecord("x", 1, []byte(`{"user":{"enrolledFactors":null}}`))
	if it.Event.HasEnrolled {
		t.Fatal("null enrolledFactors must count as unknown")
	}
}
