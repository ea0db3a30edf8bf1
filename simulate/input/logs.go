package input

import (
	"encoding/json"
	"errors"
	"fmt"
	"github.com/mfapolicy/mfapolicy/simulate/internal/factor"
	"reflect"
	"time"

	gojson "github.com/goccy/go-json"
)

// replayedLogTypes are the tenant log types that carry a login the
// post-login Action ran on, and so are mapped onto an event and replayed.
// Log type codes: https://auth0.com/docs/deploy-monitor/logs/log-event-type-codes
//
//   - "s" (Success Login) is replayed: the post-login trigger runs after a
//     user authenticates successfully
//     (https://auth0.com/docs/customize/actions/explore-triggers/post-login).
//
// Everything else is counted by type and skipped, because replaying it
// would either invent a login that never reached the Action or count one
// login twice:
//   - "f", "fp", "fu" and the other failed logins: the first factor failed,
//     so the post-login trigger, which runs only after a successful
//     authentication (same page), never ran.
//   - "mfar", "w", "gd_*" (Guardian/MFA events): they are consequences of an
//     Action that already ran during a login that is logged on its own (as
//     "s" when it succeeds); see
//     https://auth0.com/docs/secure/multi-factor-authentication/customize-mfa/customize-mfa-selection-universal-login
//   - "ssa", "seacft", "sertft" and other token exchanges: not an
//     interactive login, so no MFA prompt can be shown to the user.
var replayedLogTypes = map[string]bool{"s": true}

// probe holds what parseRecord needs to tell the two record shapes apart
// and the few facts of a post-login event the summary groups by. Fields of
// a wrong JSON type are left empty (encoding/json reports them as
// *json.UnmarshalTypeError, which parseRecord ignores): such an event is
// still valid JSON and the Action decides what to do with it.
type probe struct {
	// Tenant log record and log-stream wrapper.
	LogID string          `json:"log_id"`
	ID    string          `json:"_id"`
	Type  *string         `json:"type"`
	Date  json.RawMessage `json:"date"`
	Data  json.RawMessage `json:"data"`
	// Amazon EventBridge envelope around a log-stream wrapper.
	Detail json.RawMessage `json:"detail"`
	// Post-login event.
	Request struct {
		IP    string `json:"ip"`
		Geoip struct {
			CountryCode string `json:"countryCode"`
		} `json:"geoip"`
	} `json:"request"`
	Client         clientFacts `json:"client"`
	Authentication struct {
		Methods []struct {
			Timestamp string `json:"timestamp"`
		} `json:"methods"`
		RiskAssessment riskFacts `json:"riskAssessment"`
	} `json:"authentication"`
	Transaction struct {
		ID string `json:"id"`
	} `json:"transaction"`
	Session struct {
		ID string `json:"id"`
	} `json:"session"`
	User struct {
		UserID          string          `json:"user_id"`
		EnrolledFactors json.RawMessage `json:"enrolledFactors"`
	} `json:"user"`
}

// riskFacts is the part of a risk assessment the summary groups by.
type riskFacts struct {
	Confidence string `json:"confidence"`
}

type clientFacts struct {
	ClientID string `json:"client_id"`
	Name     string `json:"name"`
}

func (c clientFacts) application() string {
	if c.Name != "" {
		return c.Name
	}
	return c.ClientID
}

// parseRecord classifies one JSON record and turns it into an Item: a
// post-login event, a tenant log record (bare, as the Management API
// returns it, inside a log-stream {"log_id", "data"} wrapper, or inside an
// Amazon EventBridge envelope {"detail": {"log_id", "data"}}), or a
// malformed record.
func parseRecord(file string, line int, data []byte) Item {
	return parseRecordWith(file, line, data, nil)
}

// parseRecordWith is parseRecord, enriching the events it maps from log
// records with en (nil: none).
func parseRecordWith(file string, line int, data []byte, en *Enrichment) Item {
	if len(data) == 0 || data[0] != '{' {
		return malformed(file, line, "expected a JSON object (a post-login event or a tenant log record)")
	}
	var p probe
	if err := unmarshalLenient(data, &p); err != nil {
		return malformed(file, line, fmt.Sprintf("invalid JSON: %v", err))
	}
	switch {
	case p.LogID != "" && isObject(p.Data):
		// Log-stream webhook wrapper: https://auth0.com/docs/customize/log-streams/custom-log-streams
		return parseLog(file, line, p.Data, p.LogID, en)
	case p.Type != nil && (p.LogID != "" || p.ID != "" || len(p.Date) > 0):
		return parseLog(file, line, data, "", en)
	case isObject(p.Detail):
		// An Amazon EventBridge log stream delivers each {log_id, data}
		// wrapper as the detail of an AWS event. No Auth0 page shows a
		// sample: the shape is what Sumo Logic's Auth0 queries read
		// (detail.log_id, detail.data; SumoLogic/sumologic-documentation
		// docs/integrations/saml/auth0.md), so it is inference.
		var w struct {
			LogID string          `json:"log_id"`
			Data  json.RawMessage `json:"data"`
		}
		if unmarshalLenient(p.Detail, &w) == nil && isObject(w.Data) {
			return parseLog(file, line, w.Data, w.LogID, en)
		}
	}
	ev := Event{
		File:        file,
		Line:        line,
		JSON:        data,
		Country:     p.Request.Geoip.CountryCode,
		Application: p.Client.application(),
		Confidence:  p.Authentication.RiskAssessment.Confidence,
		UserID:      p.User.UserID,
		IP:          p.Request.IP,
	}
	for _, m := range p.Authentication.Methods {
		if t, ok := parseTime(m.Timestamp); ok && t.After(ev.Time) {
			ev.Time = t
		}
	}
	ev.ID = p.Transaction.ID
	if ev.ID == "" {
		ev.ID = p.Session.ID
	}
	ev.Enrolled, ev.HasEnrolled = enrolledTypes(p.User.EnrolledFactors)
	return Item{Kind: ItemEvent, Event: ev}
}

// unmarshalLenient decodes data into v, ignoring fields of the wrong type
// but not syntax errors. It decodes with github.com/goccy/go-json, which
// follows encoding/json (same errors, same values: TestProbeAgreement and
// FuzzProbe hold it to that) several times faster; should it ever panic,
// encoding/json decodes the record instead.
func unmarshalLenient(data []byte, v any) (err error) {
	defer func() {
		if recover() != nil {
			reflect.ValueOf(v).Elem().SetZero()
			err = lenient(json.Unmarshal(data, v))
		}
	}()
	return lenient(gojson.Unmarshal(data, v))
}

// lenient drops type errors, of either decoder.
func lenient(err error) error {
	var te *json.UnmarshalTypeError
	var gte *gojson.UnmarshalTypeError
	if errors.As(err, &te) || errors.As(err, &gte) {
		return nil
	}
	return err
}

// parseTime reads an RFC 3339 time, as Auth0 writes log dates and
// authentication method timestamps; anything else is no time.
func parseTime(s string) (time.Time, bool) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, false
	}
	return t.UTC(), true
}

func isObject(raw json.RawMessage) bool { return len(raw) > 0 && raw[0] == '{' }

// enrolledTypes reads the types of event.user.enrolledFactors. Absent or
// null means unknown (the assumption option decides); anything else that is
// not a list of {type} objects counts as an empty list.
func enrolledTypes(raw json.RawMessage) ([]string, bool) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, false
	}
	var fs []struct {
		Type string `json:"type"`
	}
	_ = unmarshalLenient(raw, &fs)
	out := make([]string, 0, len(fs))
	for _, f := range fs {
		if f.Type != "" {
			out = append(out, NormalizeFactor(f.Type))
		}
	}
	return out, true
}

// logRecord is the part of a tenant log record that maps onto a post-login
// event. Field names follow the Management API log object
// (https://auth0.com/docs/api/management/v2/logs/get-logs-by-id).
type logRecord struct {
	LogID            string        `json:"log_id"`
	ID               string        `json:"_id"`
	Type             string        `json:"type"`
	Date             string        `json:"date"`
	IP               string        `json:"ip"`
	UserAgent        string        `json:"user_agent"`
	Hostname         string        `json:"hostname"`
	ClientID         string        `json:"client_id"`
	ClientName       string        `json:"client_name"`
	Connection       string        `json:"connection"`
	ConnectionID     string        `json:"connection_id"`
	Strategy         string        `json:"strategy"`
	UserID           string        `json:"user_id"`
	UserName         string        `json:"user_name"`
	OrganizationID   string        `json:"organization_id"`
	OrganizationName string        `json:"organization_name"`
	TenantName       string        `json:"tenant_name"`
	LocationInfo     *locationInfo `json:"location_info"`
	Details          struct {
		RiskAssessment json.RawMessage `json:"riskAssessment"`
		SessionID      string          `json:"session_id"`
		TransactionID  string          `json:"transaction_id"`
		Stats          logStats        `json:"stats"`
		Prompts        []logPrompt     `json:"prompts"`
	} `json:"details"`
}

type logStats struct {
	LoginsCount *float64 `json:"loginsCount"`
}

// logPrompt is one of details.prompts of an "s" log: the steps of the
// login, such as the first factor and an "mfa" prompt whose performed_amr
// is ["mfa"] (Adaptive MFA log events:
// https://auth0.com/docs/secure/multi-factor-authentication/adaptive-mfa/adaptive-mfa-log-events).
type logPrompt struct {
	Name string `json:"name"`
	// CompletedAt is epoch milliseconds in the samples (a number); an
	// RFC 3339 string is taken too.
	CompletedAt  json.RawMessage `json:"completedAt"`
	PerformedAMR []string        `json:"performed_amr"`
	Stats        logStats        `json:"stats"`
}

// any says whether li holds any of its fields.
func (li *locationInfo) any() bool {
	return li != nil && (li.CountryCode != nil || li.CountryCode3 != nil || li.CountryName != nil ||
		li.CityName != nil || li.Latitude != nil || li.Longitude != nil || li.TimeZone != nil ||
		li.ContinentCode != nil || li.SubdivisionCode != nil || li.SubdivisionName != nil)
}

// locationInfo is the log's snake_case geo data.
type locationInfo struct {
	CountryCode     *string  `json:"country_code"`
	CountryCode3    *string  `json:"country_code3"`
	CountryName     *string  `json:"country_name"`
	CityName        *string  `json:"city_name"`
	Latitude        *float64 `json:"latitude"`
	Longitude       *float64 `json:"longitude"`
	TimeZone        *string  `json:"time_zone"`
	ContinentCode   *string  `json:"continent_code"`
	SubdivisionCode *string  `json:"subdivision_code"`
	SubdivisionName *string  `json:"subdivision_name"`
}

// mappedGeoip is event.request.geoip, camelCase, in the order Auth0's sample
// event lists it (post-login event object:
// https://auth0.com/docs/customize/actions/explore-triggers/signup-and-login-triggers/login-trigger/post-login-event-object).
type mappedGeoip struct {
	CityName        *string  `json:"cityName,omitempty"`
	ContinentCode   *string  `json:"continentCode,omitempty"`
	CountryCode3    *string  `json:"countryCode3,omitempty"`
	CountryCode     *string  `json:"countryCode,omitempty"`
	CountryName     *string  `json:"countryName,omitempty"`
	Latitude        *float64 `json:"latitude,omitempty"`
	Longitude       *float64 `json:"longitude,omitempty"`
	SubdivisionCode *string  `json:"subdivisionCode,omitempty"`
	SubdivisionName *string  `json:"subdivisionName,omitempty"`
	TimeZone        *string  `json:"timeZone,omitempty"`
}

// mappedEvent is the post-login event built from a log record. Fields that
// logs do not carry (app_metadata, enrolledFactors, roles, query) are left
// out or empty; the assumption options stand in for enrolled factors.
type mappedEvent struct {
	Authentication *mappedAuthentication `json:"authentication,omitempty"`
	Authorization  *mappedAuthorization  `json:"authorization,omitempty"`
	Client         mappedClient          `json:"client"`
	Connection     mappedConnection      `json:"connection"`
	Organization   *mappedOrganization   `json:"organization,omitempty"`
	Request        mappedRequest         `json:"request"`
	Secrets        struct{}              `json:"secrets"`
	Session        *mappedID             `json:"session,omitempty"`
	Stats          mappedStats           `json:"stats"`
	Tenant         *mappedID             `json:"tenant,omitempty"`
	Transaction    *mappedTransaction    `json:"transaction,omitempty"`
	User           mappedUser            `json:"user"`
}

// eventHead and eventTail are a mappedEvent's members up to request,
// whose last member is geoip, and after it: marshaled apart, they let
// enrichment.marshal put a request.geoip marshaled before between them.
// TestEventHalves holds them to mappedEvent's members.
type eventHead struct {
	Authentication *mappedAuthentication `json:"authentication,omitempty"`
	Authorization  *mappedAuthorization  `json:"authorization,omitempty"`
	Client         mappedClient          `json:"client"`
	Connection     mappedConnection      `json:"connection"`
	Organization   *mappedOrganization   `json:"organization,omitempty"`
	Request        mappedRequest         `json:"request"`
}

type eventTail struct {
	Secrets     struct{}           `json:"secrets"`
	Session     *mappedID          `json:"session,omitempty"`
	Stats       mappedStats        `json:"stats"`
	Tenant      *mappedID          `json:"tenant,omitempty"`
	Transaction *mappedTransaction `json:"transaction,omitempty"`
	User        mappedUser         `json:"user"`
}

type mappedAuthentication struct {
	Methods        []mappedMethod  `json:"methods,omitempty"`
	RiskAssessment json.RawMessage `json:"riskAssessment,omitempty"`
}

// mappedMethod is one entry of event.authentication.methods: {name,
// timestamp} (post-login event object).
type mappedMethod struct {
	Name      string `json:"name"`
	Timestamp string `json:"timestamp,omitempty"`
}

type mappedAuthorization struct {
	Roles []string `json:"roles"`
}

type mappedClient struct {
	ClientID string   `json:"client_id"`
	Name     string   `json:"name"`
	Metadata struct{} `json:"metadata"`
}

type mappedConnection struct {
	ID       string   `json:"id"`
	Name     string   `json:"name"`
	Strategy string   `json:"strategy"`
	Metadata struct{} `json:"metadata"`
}

type mappedOrganization struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	DisplayName string   `json:"display_name"`
	Metadata    struct{} `json:"metadata"`
}

// mappedRequest is event.request; geoip is its last member, which
// enrichment.marshal relies on.
type mappedRequest struct {
	IP        string      `json:"ip"`
	Hostname  string      `json:"hostname,omitempty"`
	UserAgent string      `json:"user_agent,omitempty"`
	Geoip     mappedGeoip `json:"geoip"`
}

type mappedID struct {
	ID string `json:"id"`
}

type mappedStats struct {
	LoginsCount float64 `json:"logins_count"`
}

type mappedTransaction struct {
	ID       string   `json:"id"`
	Metadata struct{} `json:"metadata"`
}

type mappedUser struct {
	UserID       string   `json:"user_id"`
	Name         string   `json:"name,omitempty"`
	AppMetadata  struct{} `json:"app_metadata"`
	UserMetadata struct{} `json:"user_metadata"`
}

// parseLog maps a tenant log record onto a post-login event, or counts it
// as skipped when its type carries no login to replay. The mapping follows
// the field tables of the log object and the event object; no Auth0 page
// states it, so it is documented in docs/decisions.md.
func parseLog(file string, line int, data []byte, wrapperID string, en *Enrichment) Item {
	var l logRecord
	if err := unmarshalLenient(data, &l); err != nil {
		return malformed(file, line, fmt.Sprintf("invalid JSON in the log record: %v", err))
	}
	if !replayedLogTypes[l.Type] {
		t := l.Type
		if t == "" {
			t = "(none)"
		}
		return Item{Kind: ItemSkipped, LogType: t}
	}
	ev := mapLog(&l)
	facts, from := en.apply(&l, ev)
	js, err := en.marshal(ev, from)
	if err != nil {
		return malformed(file, line, fmt.Sprintf("cannot map the log record: %v", err))
	}
	id := l.LogID
	if id == "" {
		id = l.ID
	}
	if id == "" {
		id = wrapperID
	}
	app := clientFacts{ClientID: l.ClientID, Name: l.ClientName}.application()
	country := ""
	if ev.Request.Geoip.CountryCode != nil {
		country = *ev.Request.Geoip.CountryCode
	}
	var risk riskFacts
	_ = unmarshalLenient(l.Details.RiskAssessment, &risk)
	at, _ := parseTime(l.Date)
	return Item{Kind: ItemEvent, LogType: l.Type, Event: Event{
		File: file, Line: line, ID: id, LogType: l.Type, JSON: js,
		Country: country, Application: app, Time: at, Confidence: risk.Confidence,
		UserID: l.UserID, IP: l.IP, Enriched: facts,
	}}
}

func mapLog(l *logRecord) *mappedEvent {
	ev := &mappedEvent{
		Client:     mappedClient{ClientID: l.ClientID, Name: l.ClientName},
		Connection: mappedConnection{ID: l.ConnectionID, Name: l.Connection, Strategy: l.Strategy},
		Request:    mappedRequest{IP: l.IP, Hostname: l.Hostname, UserAgent: l.UserAgent},
		User:       mappedUser{UserID: l.UserID, Name: l.UserName},
	}
	if isObject(l.Details.RiskAssessment) {
		ev.Authentication = &mappedAuthentication{RiskAssessment: l.Details.RiskAssessment}
	}
	if ms := promptMethods(l.Details.Prompts); len(ms) > 0 {
		if ev.Authentication == nil {
			ev.Authentication = &mappedAuthentication{}
		}
		ev.Authentication.Methods = ms
	}
	if l.OrganizationID != "" || l.OrganizationName != "" {
		ev.Organization = &mappedOrganization{ID: l.OrganizationID, Name: l.OrganizationName, DisplayName: l.OrganizationName}
	}
	if li := l.LocationInfo; li != nil {
		ev.Request.Geoip = mappedGeoip{
			CityName: li.CityName, ContinentCode: li.ContinentCode, CountryCode3: li.CountryCode3,
			CountryCode: li.CountryCode, CountryName: li.CountryName, Latitude: li.Latitude,
			Longitude: li.Longitude, SubdivisionCode: li.SubdivisionCode,
			SubdivisionName: li.SubdivisionName, TimeZone: li.TimeZone,
		}
	}
	if l.Details.SessionID != "" {
		ev.Session = &mappedID{ID: l.Details.SessionID}
	}
	if l.TenantName != "" {
		ev.Tenant = &mappedID{ID: l.TenantName}
	}
	if l.Details.TransactionID != "" {
		ev.Transaction = &mappedTransaction{ID: l.Details.TransactionID}
	}
	if n := loginsCount(l); n != nil {
		ev.Stats.LoginsCount = *n
	}
	return ev
}

// loginsCount is details.stats.loginsCount, else the largest
// details.prompts[].stats.loginsCount (a prompt counts the user's logins
// as of that step; Adaptive MFA log events show it on the login prompt).
func loginsCount(l *logRecord) *float64 {
	n := l.Details.Stats.LoginsCount
	if n != nil {
		return n
	}
	for i := range l.Details.Prompts {
		if c := l.Details.Prompts[i].Stats.LoginsCount; c != nil && (n == nil || *c > *n) {
			n = c
		}
	}
	return n
}

// promptMethods maps the prompts that performed MFA (performed_amr holds
// "mfa") onto event.authentication.methods entries named "mfa", stamped
// with the prompt's completedAt: the post-login event lists the methods
// completed in the transaction, "mfa" among them once the user completed
// MFA (post-login event object, authentication.methods).
func promptMethods(ps []logPrompt) []mappedMethod {
	var out []mappedMethod
	for _, p := range ps {
		for _, amr := range p.PerformedAMR {
			if amr == "mfa" {
				out = append(out, mappedMethod{Name: "mfa", Timestamp: promptTime(p.CompletedAt)})
				break
			}
		}
	}
	return out
}

// promptTime is a prompt's completedAt as the RFC 3339 UTC timestamp the
// event's methods carry; empty when it is neither epoch milliseconds nor
// an RFC 3339 string.
func promptTime(raw json.RawMessage) string {
	var ms float64
	if json.Unmarshal(raw, &ms) == nil {
		return time.UnixMilli(int64(ms)).UTC().Format("2006-01-02T15:04:05.000Z")
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		if t, ok := parseTime(s); ok {
			return t.Format("2006-01-02T15:04:05.000Z")
		}
	}
	return ""
}

// NormalizeFactor maps the "push" alias onto "push-notification" so that
// requested and enrolled factors compare equal (simulate/internal/factor,
// which the recording api object shares).
func NormalizeFactor(t string) string { return factor.Normalize(t) }
