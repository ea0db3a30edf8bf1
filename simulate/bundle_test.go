package simulate

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// replayCode replays NDJSON lines through bundled code and returns the
// decisions in order.
func replayCode(t *testing.T, code []byte, name string, opts Options, lines ...string) ([]Decision, *Summary) {
	t.Helper()
	opts.Code, opts.CodeName = code, name
	opts.Inputs = []Input{ReaderInput("events.ndjson", strings.NewReader(strings.Join(lines, "\n")))}
	if opts.Workers == 0 {
		opts.Workers = 2
	}
	var got []Decision
	opts.OnDecision = func(d Decision) error { got = append(got, d); return nil }
	sum, err := Run(context.Background(), opts)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return got, sum
}

func bundleAction(t *testing.T, dir, entry string, opts BundleOptions) []byte {
	t.Helper()
	code, err := BundleAction(filepath.Join("testdata", "actions", dir, entry), opts)
	if err != nil {
		t.Fatalf("BundleAction: %v", err)
	}
	return code
}

// want is the expected decision of one event.
type want struct {
	outcome Outcome
	factors string
	reason  string
	err     string // a substring of the error
	note    string // a substring of one note
}

func checkDecisions(t *testing.T, got []Decision, wants []want) {
	t.Helper()
	if len(got) != len(wants) {
		t.Fatalf("got %d decisions, want %d", len(got), len(wants))
	}
	for i, w := range wants {
		d := got[i]
		ok := d.Outcome == w.outcome && strings.Join(d.Factors, ",") == w.factors && d.Reason == w.reason &&
			(w.err == "" && d.Error == "" || w.err != "" && strings.Contains(d.Error, w.err))
		if w.note != "" && !strings.Contains(strings.Join(d.Notes, "\n"), w.note) {
			ok = false
		}
		if !ok {
			b, _ := json.Marshal(d)
			t.Errorf("event %d: got %s\nwant %+v", i+1, b, w)
		}
	}
}

// event builds a post-login event: country, IP, risk confidence, and
// extra JSON members of event.user.
func event(country, ip, confidence, user string) string {
	s := `{"request":{"ip":"` + ip + `","user_agent":"Mozilla/5.0","geoip":{"countryCode":"` + country + `","countryName":"C-` + country + `","cityName":"Town"}},` +
		`"client":{"client_id":"cid","name":"Portal"},"connection":{"id":"con_1","name":"Username-Password-Authentication","strategy":"auth0"},` +
		`"stats":{"logins_count":7},"transaction":{"protocol":"oidc-basic-profile"},`
	if confidence != "" {
		s += `"authentication":{"methods":[{"name":"pwd","timestamp":"2026-01-01T00:00:00Z"}],"riskAssessment":{"confidence":"` + confidence + `","version":"1","assessments":{}}},`
	}
	if user == "" {
		user = `"user_id":"auth0|1","email":"a@example.com","app_metadata":{}`
	}
	return s + `"user":{` + user + `,"enrolledFactors":[{"type":"otp"},{"type":"push-notification"}]}}`
}

func TestBundleCommonJSHelpers(t *testing.T) {
	code := bundleAction(t, "multi-cjs", "action.js", BundleOptions{})
	got, _ := replayCode(t, code, "action.js", Options{},
		event("US", "203.0.113.9", "low", ""), // office network
		event("DE", "192.0.2.1", "high", ""),  // abroad
		event("US", "192.0.2.1", "low", ""),   // low confidence at home
		event("US", "192.0.2.1", "high", ""),  // nothing to do
		event("FR", "not-an-ip", "high", ""),  // helper throws
		event("FR", "192.0.2.1", "high", `"user_id":"auth0|glass","app_metadata":{"break_glass":"d0da2b4fb4bd1bc16d77fbaf1ec1b4cbd0b4c0c8b4f1b2e8c8c3e7b0fbbde5c7"}`),
	)
	checkDecisions(t, got, []want{
		{outcome: Allow},
		{outcome: Challenge, factors: "otp,push-notification"},
		{outcome: Challenge, factors: "otp", note: "webauthn-platform (not enrolled)"},
		{outcome: Allow},
		{outcome: Error, err: "Error: not an IPv4 address: not-an-ip (at lib/networks.js:7:11)"},
		{outcome: Challenge, factors: "otp,push-notification"},
	})
	if claim := string(got[0].Calls[0].Args[1]); len(claim) != 14 {
		t.Errorf("device claim = %s, want 12 hex digits", claim)
	}
}
