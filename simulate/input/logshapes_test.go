package input

import (
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"
)

// adaptiveS is an "s" log as the Adaptive MFA log events page shows one
// (https://auth0.com/docs/secure/multi-factor-authentication/adaptive-mfa/adaptive-mfa-log-events):
// a login prompt with the user's logins count, an mfa prompt whose
// performed_amr is ["mfa"], a risk assessment, and no location_info (as
// in the log-stream samples Elastic's Auth0 integration tests with).
const adaptiveS = `{"date":"2026-06-08T17:51:02.279Z","type":"s","description":"Successful login","client_id":"c1","client_name":"Portal",` +
	`"ip":"192.0.2.5","user_agent":"Chrome 125.0.0 / Mac OS X 14.5.0","user_id":"auth0|42","user_name":"ada@example.com",` +
	`"strategy":"auth0","strategy_type":"database","connection":"Username-Password-Authentication","connection_id":"con_1",` +
	`"details":{"prompts":[` +
	`{"name":"prompt-authenticate","completedAt":1717869060000,"connection":"Username-Password-Authentication","connection_id":"con_1","strategy":"auth0","identity":"42","stats":{"loginsCount":17},"elapsedTime":2000},` +
	`{"name":"login","flow":"universal-login","initiatedAt":1717869058000,"completedAt":1717869060100,"user_id":"auth0|42","user_name":"ada@example.com","timers":{"rules":5},"elapsedTime":2100},` +
	`{"name":"mfa","flow":"universal-login","initiatedAt":1717869060200,"completedAt":1780941061000,"performed_amr":["mfa"],"performed_acr":["http://schemas.openid.net/pape/policies/2007/06/multi-factor"],"provider":"guardian","user_id":"auth0|42"}],` +
	`"initiatedAt":1717869058000,"completedAt":1717869062279,"elapsedTime":4279,"session_id":"s1","transaction_id":"t1",` +
	`"riskAssessment":{"confidence":"low","version":"1","assessments":{"UntrustedIP":{"confidence":"low","code":"found_on_deny_list","details":{"ip":"192.0.2.5","matches":"192.0.2.0/24","source":"firehol","category":"abuse"}},` +
	`"NewDevice":{"confidence":"low","code":"no_match","details":{"device":"unknown","useragent":"unknown"}},` +
	`"ImpossibleTravel":{"confidence":"neutral","code":"missing_geoip"}}}},` +
	`"log_id":"90020240608175102279000000000000000000000000000000001"}`

// mappedJSON is the event a record maps to, decoded.
func mappedJSON(t *testing.T, it Item) map[string]any {
	t.Helper()
	if it.Kind != ItemEvent {
		t.Fatalf("kind %v: %+v", it.Kind, it.Problem)
	}
	var m map[string]any
	if err := json.Unmarshal(it.Event.JSON, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestAdaptiveLogMapsRiskLoginsCountAndMFA(t *testing.T) {
	ev := mappedJSON(t, parseRecord("x", 1, []byte(adaptiveS)))
	auth := ev["authentication"].(map[string]any)
	risk := auth["riskAssessment"].(map[string]any)
	if risk["confidence"] != "low" || risk["assessments"].(map[string]any)["UntrustedIP"].(map[string]any)["code"] != "found_on_deny_list" {
		t.Errorf("riskAssessment: %v", risk)
	}
	methods, _ := json.Marshal(auth["methods"])
	if string(methods) != `[{"name":"mfa","timestamp":"2026-06-08T17:51:01.000Z"}]` {
		t.Errorf("methods: %s", methods)
	}
	iso := strings.Replace(adaptiveS, "1780941061000", `"2026-06-08T19:51:01+02:00"`, 1)
	methods, _ = json.Marshal(mappedJSON(t, parseRecord("x", 1, []byte(iso)))["authentication"].(map[string]any)["methods"])
	if string(methods) != `[{"name":"mfa","timestamp":"2026-06-08T17:51:01.000Z"}]` {
		t.Errorf("methods: %s", methods)
	}
	// details.stats is absent: the prompts' count stands in.
	if n := ev["stats"].(map[string]any)["logins_count"]; n != float64(17) {
		t.Errorf("logins_count %v", n)
	}
	// details.stats.loginsCount, when there, wins.
	withStats := strings.Replace(adaptiveS, `"session_id":"s1"`, `"stats":{"loginsCount":30},"session_id":"s1"`, 1)
	if n := mappedJSON(t, parseRecord("x", 1, []byte(withStats)))["stats"].(map[string]any)["logins_count"]; n != float64(30) {
		t.Errorf("details.stats.loginsCount: logins_count %v", n)
	}
	// A login without an mfa prompt has no methods, and no
	// authentication object without a risk assessment either.
	plain := `{"log_id":"1","type":"s","details":{"prompts":[{"name":"login","performed_amr":["pwd"]}]}}`
	if _, ok := mappedJSON(t, parseRecord("x", 1, []byte(plain)))["authentication"]; ok {
		t.Error("no mfa prompt, yet authentication is set")
	}
}

// TestLogShapes reads one login in every shape Auth0 delivers logs in;
// each maps to the same event.
func TestLogShapes(t *testing.T) {
	id := "90020240608175102279000000000000000000000000000000001"
	wrapper := `{"log_id":"` + id + `","data":` + adaptiveS + `}`
	// Amazon EventBridge: the wrapper is the detail of an AWS event.
	bridge := `{"version":"0","id":"6a7e8feb-b491-4cf7-a9f1-bf3703467718","detail-type":"Auth0 log","source":"aws.partner/auth0.com/acme-1234/auth0.logs",` +
		`"account":"111122223333","time":"2026-06-08T17:51:04Z","region":"us-east-2","resources":[],"detail":` + wrapper + `}`
	pretty := func(s string) string {
		var v any
		if err := json.Unmarshal([]byte(s), &v); err != nil {
			t.Fatal(err)
		}
		b, _ := json.MarshalIndent(v, "", "    ")
		return string(b)
	}
	inputs := map[string]string{
		"bare (GET /api/v2/logs), NDJSON":       adaptiveS + "\n",
		"custom webhook, JSON lines":            wrapper + "\n",
		"custom webhook, one array per batch":   "[" + wrapper + "," + wrapper + "]\n[" + wrapper + "]\n",
		"EventBridge":                           bridge + "\n",
		"EventBridge events as an array":        "[" + bridge + "]",
		"auth0 logs tail --json (pages)":        pretty("["+adaptiveS+"]") + pretty("["+adaptiveS+","+adaptiveS+"]"),
		"auth0 logs list --json (one array)":    pretty("[" + adaptiveS + "]"),
		"pretty-printed objects, one after one": pretty(adaptiveS) + "\n" + pretty(wrapper) + "\n",
	}
	// Pretty-printing (json.MarshalIndent of a map) reorders keys, so
	// events are compared as values.
	want := mappedJSON(t, parseRecord("x", 1, []byte(adaptiveS)))
	for name, in := range inputs {
		items := readAllItems(t, "in", []byte(in))
		if len(items) == 0 {
			t.Errorf("%s: no items", name)
		}
		for _, it := range items {
			if it.Kind != ItemEvent || it.Event.ID != id || it.Event.LogType != "s" || it.Event.Confidence != "low" {
				t.Errorf("%s: %+v", name, it)
				continue
			}
			if got := mappedJSON(t, it); !reflect.DeepEqual(got, want) {
				t.Errorf("%s: mapped to\n%v\nwant\n%v", name, got, want)
			}
		}
	}
	// Arrays that do not follow one another cleanly are still reported.
	items := readAllItems(t, "in", []byte("["+wrapper+"] x"))
	if got := summarize(items); got != "event@1 bad@1" {
		t.Errorf("garbage after the arrays: %s", got)
	}
}

// TestEventBridgeThroughRun replays an EventBridge envelope the way the
// simulator's workers read records (the one-pass locator), to the same
// decision as the bare log.
func TestEventBridgeThroughRun(t *testing.T) {
	bridge := `{"version":"0","detail-type":"Auth0 log","detail":{"log_id":"L1","data":` + adaptiveS + `}}`
	loc := NewLocated(NewFieldTree(append(append([]string{}, ProbeFields...), ProbeLists...)))
	it := parseLocated("x", 1, []byte(bridge), loc, nil)
	if it.Kind != ItemEvent || it.Event.LogType != "s" || it.Event.Confidence != "low" || it.Event.ID == "" {
		t.Fatalf("%+v", it)
	}
	// A post-login event is not mistaken for an envelope.
	it = parseLocated("x", 1, []byte(`{"detail":"x","user":{"user_id":"u"}}`), loc, nil)
	if it.Kind != ItemEvent || it.Event.LogType != "" {
		t.Fatalf("%+v", it)
	}
}

// The one-pass locator reads every record as parseRecord does, although
// it hands a record to parseRecord at its first top-level member that
// makes it a tenant log record: the example corpora, log records whose
// marker comes first, last or twice (the last one wins in JSON), and
// events with members of those names that do not make them logs.
func TestLocatedReadsAsParseRecord(t *testing.T) {
	records := []string{
		`{"log_id":"L1","data":` + adaptiveS + `}`,
		`{"data":` + adaptiveS + `,"log_id":"L1"}`,
		`{"version":"0","detail":{"log_id":"L1","data":` + adaptiveS + `}}`,
		adaptiveS,
		`{"type":"s","type":5,"request":{"ip":"10.0.0.1","geoip":{"countryCode":"FR"}},"user":{"user_id":"u"}}`,
		`{"type":5,"type":"s","user_id":"u","ip":"10.0.0.1"}`,
		`{"log_id":"","request":{"ip":"10.0.0.1"},"client":{"name":"App"},"user":{"user_id":"u"}}`,
		`{"log_id":"L2","log_id":"","request":{"ip":"10.0.0.1"},"user":{"user_id":"u"}}`,
		`{"detail":"x","user":{"user_id":"u"}}`,
		`{"detail":{"a":1},"detail":"x","user":{"user_id":"u"}}`,
		`{"type":"s","date":"2026-01-01T00:00:00Z","user_id":"u","ip":"10.0.0.1","client_name":"App"}`,
		`{"detail":{"log_id":"L1","data":{"type":"s","date":"2026-01-01T00:00:00Z","user_id":"u"}}}`,
		`{"type":"s","date":"2026-01-01T00:00:00Z","user_id":"u"} trailing`,
		`{"type":"s","date":"2026-01-01T00:00:00Z","user_id":"u","details":{`,
	}
	for _, name := range []string{"../../examples/events.ndjson", "../../examples/logs.ndjson"} {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(b), "\n") {
			if line != "" {
				records = append(records, line)
			}
		}
	}
	loc := NewLocated(NewFieldTree(append(append([]string{}, ProbeFields...), ProbeLists...)))
	// A log-stream record is read no further than its log_id.
	wrapped := `{"log_id":"L1","data":` + adaptiveS + `}`
	if loc.locateEvent([]byte(wrapped)) || loc.Pos != len(`{"log_id":"L1"`) {
		t.Errorf("a log-stream record located up to %d", loc.Pos)
	}
	for _, r := range records {
		got := parseLocated("x", 1, []byte(r), loc, nil)
		want := parseRecordWith("x", 1, []byte(r), nil)
		got.Event.Located = false
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s\nlocated %+v\nparsed  %+v", r, got, want)
		}
	}
}
