// Package eventgen generates realistic, deterministic Auth0 login data for
// examples, tests and benchmarks: post-login event objects and tenant log
// records (log-stream wrappers) with weighted countries, applications,
// connections, risk assessments, enrolled factors, roles and IPv4/IPv6
// addresses over one month. The same seed always gives the same bytes.
package eventgen

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// Generator makes events from a seeded random source.
type Generator struct {
	rnd *rand.Rand
	// clock draws the authentication times of events. It is a source of
	// its own so that adding times left every other field as it was.
	clock *rand.Rand
	start time.Time
	n     int
}

// New returns a generator for the given seed.
func New(seed uint64) *Generator {
	return &Generator{
		rnd:   rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		clock: rand.New(rand.NewPCG(seed^0x5851f42d4c957f2d, seed)),
		start: time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC),
	}
}

type country struct {
	code, code3, name, continent, city, tz string
	lat, lon                               float64
	weight                                 int
}

var countries = []country{
	{"US", "USA", "United States", "NA", "Seattle", "America/Los_Angeles", 47.61, -122.33, 30},
	{"CA", "CAN", "Canada", "NA", "Toronto", "America/Toronto", 43.65, -79.38, 8},
	{"GB", "GBR", "United Kingdom", "EU", "London", "Europe/London", 51.51, -0.13, 9},
	{"DE", "DEU", "Germany", "EU", "Berlin", "Europe/Berlin", 52.52, 13.40, 8},
	{"FR", "FRA", "France", "EU", "Paris", "Europe/Paris", 48.86, 2.35, 5},
	{"NL", "NLD", "Netherlands", "EU", "Amsterdam", "Europe/Amsterdam", 52.37, 4.90, 3},
	{"IN", "IND", "India", "AS", "Bengaluru", "Asia/Kolkata", 12.97, 77.59, 7},
	{"BR", "BRA", "Brazil", "SA", "São Paulo", "America/Sao_Paulo", -23.55, -46.63, 5},
	{"JP", "JPN", "Japan", "AS", "Tokyo", "Asia/Tokyo", 35.68, 139.69, 3},
	{"AU", "AUS", "Australia", "OC", "Sydney", "Australia/Sydney", -33.87, 151.21, 3},
	{"MX", "MEX", "Mexico", "NA", "Mexico City", "America/Mexico_City", 19.43, -99.13, 2},
	{"NG", "NGA", "Nigeria", "AF", "Lagos", "Africa/Lagos", 6.52, 3.38, 2},
	{"CN", "CHN", "China", "AS", "Shanghai", "Asia/Shanghai", 31.23, 121.47, 3},
	{"RU", "RUS", "Russia", "EU", "Moscow", "Europe/Moscow", 55.76, 37.62, 3},
	{"IR", "IRN", "Iran", "AS", "Tehran", "Asia/Tehran", 35.69, 51.39, 1},
	{"KP", "PRK", "North Korea", "AS", "Pyongyang", "Asia/Pyongyang", 39.04, 125.76, 1},
	{"SG", "SGP", "Singapore", "AS", "Singapore", "Asia/Singapore", 1.35, 103.82, 2},
	{"ZA", "ZAF", "South Africa", "AF", "Johannesburg", "Africa/Johannesburg", -26.20, 28.05, 1},
}

type app struct{ id, name string }

var apps = []app{
	{"aWq3Pm9sLx2VbN8cRt5YhK1uDf7Gj4Ze", "Customer Portal"},
	{"b7Tn2Qx9LmV4sKc8RwZ1yHp6Df3Jg5Ua", "Admin Console"},
	{"c1Rk8Vz3NpQ6wLm2TsY9xHb4Gd7Jf5Ue", "Mobile App (iOS)"},
	{"d9Ys4Lx1MwP7qNc3VtK8zRb2Hg6Jf5Ua", "Mobile App (Android)"},
	{"e3Hp6Tz9KmQ2wLx8VsN1yRc4Bd7Gf5Ja", "Billing"},
	{"f5Jg2Rw8NqV3sLm9TxK1zHp6Yd4Bc7Ue", "Partner API Explorer"},
	{"g8Kd1Vx4PmQ7wNz3TsL9yRb2Hc6Jf5Ua", "Support Desk"},
}

var appWeights = []int{40, 6, 18, 14, 8, 4, 10}

type conn struct{ id, name, strategy string }

var conns = []conn{
	{"con_Db8sKq2LxV4mPz7N", "Username-Password-Authentication", "auth0"},
	{"con_Go3wRt9YhJ6cVb1M", "google-oauth2", "google-oauth2"},
	{"con_Wa5nHs8KpQ2xLd4T", "acme-azure-ad", "waad"},
}

var connWeights = []int{55, 30, 15}

var userAgents = []string{
	"Mozilla/5.0 (Windows NT 10.0) Chrome/131.0",
	"Mozilla/5.0 (Macintosh) Safari/605.1.15",
	"Mozilla/5.0 (iPhone; CPU iPhone OS 18_1) Mobile/15E148",
	"Mozilla/5.0 (Linux; Android 15) Chrome/131.0 Mobile",
	"Mozilla/5.0 (X11; Linux x86_64) Firefox/132.0",
}

var factorTypes = []string{"otp", "push-notification", "phone", "webauthn-platform", "webauthn-roaming", "email"}

func pick[T any](g *Generator, items []T, weights []int) T {
	total := 0
	for _, w := range weights {
		total += w
	}
	n := g.rnd.IntN(total)
	for i, w := range weights {
		if n < w {
			return items[i]
		}
		n -= w
	}
	return items[len(items)-1]
}

func (g *Generator) country() country {
	w := make([]int, len(countries))
	for i, c := range countries {
		w[i] = c.weight
	}
	return pick(g, countries, w)
}

func (g *Generator) chance(p float64) bool { return g.rnd.Float64() < p }

func (g *Generator) id(n int) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteByte(alphabet[g.rnd.IntN(len(alphabet))])
	}
	return b.String()
}

func (g *Generator) ip() string {
	if g.chance(0.06) {
		// The office's NAT range (documentation prefix), for policies that
		// trust office networks.
		return fmt.Sprintf("203.0.113.%d", 1+g.rnd.IntN(254))
	}
	if g.chance(0.2) {
		return fmt.Sprintf("2001:db8:%x:%x::%x", g.rnd.IntN(0xffff), g.rnd.IntN(0xffff), g.rnd.IntN(0xffff))
	}
	return fmt.Sprintf("%d.%d.%d.%d", 1+g.rnd.IntN(222), g.rnd.IntN(256), g.rnd.IntN(256), 1+g.rnd.IntN(254))
}

// assessment is one risk assessor's verdict.
type assessment struct {
	Confidence string         `json:"confidence"`
	Code       string         `json:"code"`
	Details    map[string]any `json:"details,omitempty"`
}

type riskAssessment struct {
	Confidence  string                `json:"confidence"`
	Version     string                `json:"version"`
	Assessments map[string]assessment `json:"assessments"`
}

// risk returns a risk assessment with a realistic mix: mostly high, some
// medium, a tenth low; abroad and sanctioned logins skew low.
func (g *Generator) risk(c country) *riskAssessment {
	lowP := 0.08
	if c.code != "US" && c.code != "CA" && c.code != "GB" && c.code != "DE" {
		lowP = 0.2
	}
	if c.code == "KP" || c.code == "IR" || c.code == "RU" {
		lowP = 0.5
	}
	conf := func() string {
		switch r := g.rnd.Float64(); {
		case r < lowP:
			return "low"
		case r < lowP+0.2:
			return "medium"
		default:
			return "high"
		}
	}
	ip := assessment{Confidence: conf(), Code: "not_found_on_deny_list"}
	if ip.Confidence == "low" {
		ip.Code = "found_on_deny_list"
		ip.Details = map[string]any{"matches": "0.0.0.0/0", "source": "STOPFORUMSPAM-1", "category": "abuse"}
	}
	nd := assessment{Confidence: conf(), Code: "match"}
	switch nd.Confidence {
	case "low":
		nd.Code, nd.Details = "no_match", map[string]any{"device": "unknown", "useragent": "unknown"}
	case "medium":
		nd.Code, nd.Details = "partial_match", map[string]any{"device": "known", "useragent": "unknown"}
	}
	it := assessment{Confidence: conf(), Code: "minimal_travel_from_last_login"}
	switch it.Confidence {
	case "low":
		it.Code = "impossible_travel_from_last_login"
	case "medium":
		it.Code = "travel_from_last_login"
	}
	if g.chance(0.03) {
		it = assessment{Confidence: "low", Code: "assessment_not_available"}
	}
	overall := "high"
	for _, a := range []assessment{ip, nd, it} {
		if a.Confidence == "low" {
			overall = "low"
			break
		}
		if a.Confidence == "medium" {
			overall = "medium"
		}
	}
	return &riskAssessment{Confidence: overall, Version: "1", Assessments: map[string]assessment{
		"UntrustedIP": ip, "NewDevice": nd, "ImpossibleTravel": it,
	}}
}

func (g *Generator) enrolled() []map[string]any {
	out := []map[string]any{}
	if g.chance(0.25) {
		return out // no factor enrolled
	}
	for _, f := range factorTypes {
		if g.chance(0.35) {
			out = append(out, map[string]any{"type": f})
		}
	}
	if len(out) == 0 {
		out = append(out, map[string]any{"type": "otp"})
	}
	return out
}

// user is a synthetic user, stable for a given index.
func (g *Generator) user(c conn) (id, email string) {
	n := g.rnd.IntN(800)
	email = fmt.Sprintf("user%03d@example.com", n)
	switch c.strategy {
	case "google-oauth2":
		return fmt.Sprintf("google-oauth2|1%020d", n*7919), email
	case "waad":
		return fmt.Sprintf("waad|%08x-acme", n*104729), fmt.Sprintf("user%03d@acme.example", n)
	}
	return fmt.Sprintf("auth0|%024x", n*15485863), email
}

func (g *Generator) when() time.Time {
	g.n++
	return g.start.Add(time.Duration(g.rnd.Int64N(int64(30 * 24 * time.Hour)))).Truncate(time.Millisecond)
}

// Event returns one post-login event object as JSON.
func (g *Generator) Event() []byte {
	c := g.country()
	a := pick(g, apps, appWeights)
	cn := pick(g, conns, connWeights)
	uid, email := g.user(cn)
	ev := ordered{}
	auth := ordered{}
	if m := g.methods(c, cn); m != nil {
		auth = append(auth, kv{"methods", m})
	}
	if !g.chance(0.1) {
		auth = append(auth, kv{"riskAssessment", g.risk(c)})
	}
	ev = append(ev, kv{"authentication", auth})
	roles := []string{}
	switch r := g.rnd.Float64(); {
	case r < 0.04:
		roles = append(roles, "admin")
	case r < 0.15:
		roles = append(roles, "support")
	}
	ev = append(ev,
		kv{"authorization", map[string]any{"roles": roles}},
		kv{"client", ordered{{"client_id", a.id[:16]}, {"name", a.name}}},
		kv{"connection", ordered{{"id", cn.id}, {"name", cn.name}, {"strategy", cn.strategy}}},
	)
	req := ordered{{"ip", g.ip()}, {"user_agent", userAgents[g.rnd.IntN(len(userAgents))]}}
	if !g.chance(0.05) {
		req = append(req, kv{"geoip", geo(c, g)})
	}
	ev = append(ev, kv{"request", req},
		kv{"secrets", map[string]any{}},
		kv{"session", ordered{{"id", g.id(20)}}},
		kv{"stats", map[string]any{"logins_count": 1 + g.rnd.IntN(400)}},
		kv{"transaction", ordered{{"id", g.id(20)}, {"metadata", map[string]any{}}}},
	)
	user := ordered{{"user_id", uid}, {"email", email},
		{"app_metadata", appMetadata(g)}, {"user_metadata", map[string]any{}}}
	if !g.chance(0.15) {
		user = append(user, kv{"enrolledFactors", g.enrolled()})
	}
	ev = append(ev, kv{"user", user})
	return mustJSON(ev)
}

func appMetadata(g *Generator) map[string]any {
	m := map[string]any{}
	if g.chance(0.3) {
		m["plan"] = []string{"free", "pro", "enterprise"}[g.rnd.IntN(3)]
	}
	if g.chance(0.05) {
		m["mfa_exempt"] = true
	}
	return m
}

func geo(c country, g *Generator) ordered {
	return ordered{{"cityName", c.city}, {"countryCode3", c.code3},
		{"countryCode", c.code},
		{"latitude", round(c.lat + (g.rnd.Float64()-0.5)/5)}, {"longitude", round(c.lon + (g.rnd.Float64()-0.5)/5)}}
}

func round(f float64) float64 { return float64(int64(f*10000)) / 10000 }

// logTypes are the tenant log types a stream carries, weighted.
var logTypes = []string{"s", "f", "fp", "fu", "mfar", "gd_send_pn", "gd_auth_succeed", "gd_auth_failed", "w", "seacft", "sertft", "ssa", "zz_new_type"}

var logWeights = []int{60, 4, 8, 2, 4, 5, 5, 1, 2, 4, 3, 3, 1}

// LogRecord returns one log-stream record ({"log_id", "data"}) as JSON.
func (g *Generator) LogRecord() []byte { return g.logRecord(true) }

// LogRecordWithoutLocation is LogRecord without location_info, as the
// log-stream samples of Elastic's Auth0 integration come: the input
// --geoip is for.
func (g *Generator) LogRecordWithoutLocation() []byte { return g.logRecord(false) }

func (g *Generator) logRecord(location bool) []byte {
	typ := pick(g, logTypes, logWeights)
	c := g.country()
	a := pick(g, apps, appWeights)
	cn := pick(g, conns, connWeights)
	uid, email := g.user(cn)
	at := g.when()
	logID := fmt.Sprintf("900200%020d%d", at.UnixMilli(), g.rnd.IntN(1000000))
	data := ordered{{"date", at.Format("2006-01-02T15:04:05.000Z")}, {"type", typ}, {"description", describe(typ)},
		{"connection", cn.name}, {"connection_id", cn.id}, {"client_id", a.id}, {"client_name", a.name},
		{"ip", g.ip()}, {"user_agent", userAgents[g.rnd.IntN(len(userAgents))]}, {"hostname", "login.example.com"},
		{"user_id", uid}, {"user_name", email}, {"strategy", cn.strategy}, {"strategy_type", strategyType(cn)}}
	details := ordered{}
	if typ == "s" || typ == "f" || typ == "mfar" {
		details = append(details, kv{"session_id", g.id(32)}, kv{"transaction_id", g.id(32)},
			kv{"stats", map[string]any{"loginsCount": 1 + g.rnd.IntN(400)}})
		if g.chance(0.85) {
			details = append(details, kv{"riskAssessment", g.risk(c)})
		}
	}
	data = append(data, kv{"details", details})
	if !g.chance(0.05) && location {
		data = append(data, kv{"location_info", ordered{{"country_code", c.code}, {"country_code3", c.code3},
			{"country_name", c.name}, {"city_name", c.city}, {"latitude", round(c.lat)}, {"longitude", round(c.lon)},
			{"time_zone", c.tz}, {"continent_code", c.continent}}})
	}
	data = append(data, kv{"tenant_name", "example-prod"}, kv{"log_id", logID})
	return mustJSON(ordered{{"log_id", logID}, {"data", data}})
}

func strategyType(c conn) string {
	switch c.strategy {
	case "auth0":
		return "database"
	case "waad":
		return "enterprise"
	}
	return "social"
}

func describe(t string) string {
	switch t {
	case "s":
		return "Success Login"
	case "f", "fp", "fu":
		return "Wrong email or password."
	case "mfar":
		return "Multi-factor authentication required"
	}
	return ""
}

// kv and ordered keep JSON keys in the order written.
type kv struct {
	k string
	v any
}

type ordered []kv

// MarshalJSON writes the pairs in order.
func (o ordered) MarshalJSON() ([]byte, error) {
	var b strings.Builder
	b.WriteByte('{')
	for i, p := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(p.k)
		v, err := json.Marshal(p.v)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return []byte(b.String()), nil
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}
