package deploytest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// The tenant logs, as GET /api/v2/logs serves them
// (https://auth0.com/docs/api/management/v2/logs/get-logs), in its two
// modes:
//
//   - By checkpoint (from, take): the logs whose log_id is greater than
//     from, in ascending log_id order, at most take (default 50, at most
//     100); every other parameter is ignored. The response carries a Link
//     header whose rel="next" URL asks for the logs after the last one
//     returned; an empty page's next URL is the request's own. This is
//     "Retrieve logs by checkpoint" in
//     https://auth0.com/docs/deploy-monitor/logs/retrieve-log-events-using-mgmt-api:
//     "logs newer than a given log_id", "ordered by the log_id, rather than
//     event generation time", "subsequent requests ... using the next
//     relation URL inside of the Link header", and "if the result set is
//     empty, an empty array is returned and the next relation matches the
//     same URL as the latest request".
//   - By search criteria (q, sort, page, per_page): the server understands
//     the date ranges of the log search syntax
//     (https://auth0.com/docs/deploy-monitor/logs/log-search-query-syntax),
//     date:[A TO B], date:{A TO B} and mixed brackets, with * for an open
//     end, and sort=date:1 or date:-1; per_page defaults to 50, at most 100.

// tenantLog is one log event: its fields in order, and the three the
// server pages by.
type tenantLog struct {
	id   string
	date time.Time
	body json.RawMessage
}

// LogID is the log_id of the n-th log (from 1) that AddLogins creates:
// numeric and of fixed width, like Auth0's, so that ids compare as text.
func LogID(n int) string { return fmt.Sprintf("90020261201%045d", n) }

// AddLogins appends n successful logins ("s") to the tenant's logs, one a
// minute from start, with the fields of Auth0's log event object
// (https://auth0.com/docs/deploy-monitor/logs/log-event-type-codes and the
// get-logs response schema), no location_info, as log exports have them.
// Ids follow the logs already there.
func (s *Server) AddLogins(n int, start time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := 0; i < n; i++ {
		seq := len(s.logs) + 1
		s.appendLog("s", start.Add(time.Duration(i)*time.Minute), seq)
	}
}

// AddLog appends one log of the given type at the given time.
func (s *Server) AddLog(typ string, at time.Time) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	seq := len(s.logs) + 1
	s.appendLog(typ, at, seq)
	return LogID(seq)
}

func (s *Server) appendLog(typ string, at time.Time, seq int) {
	id := LogID(seq)
	user := fmt.Sprintf("auth0|user%04d", seq%97)
	rec := map[string]any{
		"date": at.UTC().Format("2006-01-02T15:04:05.000Z"), "type": typ, "description": "",
		"connection": "Username-Password-Authentication", "connection_id": "con_0123456789abcdef",
		"client_id": "AaBbCcDdEeFf0123456789", "client_name": "Portal",
		"ip": fmt.Sprintf("198.51.100.%d", seq%250+1), "user_agent": "Chrome 120.0.0 / Mac OS X 14.2.0",
		"details": map[string]any{"prompts": []any{map[string]any{"name": "login", "stats": map[string]any{"loginsCount": seq % 40}}}},
		"user_id": user, "user_name": user[6:] + "@example.com", "strategy": "auth0", "strategy_type": "database",
		"hostname": "example.eu.auth0.com", "isMobile": false, "log_id": id,
	}
	body, _ := json.Marshal(rec)
	s.logs = append(s.logs, tenantLog{id: id, date: at.UTC(), body: body})
}

// LogQueries lists the query strings of the requests to GET /api/v2/logs
// so far, failed ones included, in order.
func (s *Server) LogQueries() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.logQueries...)
}

// listLogs serves GET /api/v2/logs in checkpoint mode when from is given,
// else in search mode.
func (s *Server) listLogs(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Has("from") {
		s.checkpointLogs(w, r, q)
		return
	}
	s.searchLogs(w, q)
}

func (s *Server) checkpointLogs(w http.ResponseWriter, r *http.Request, q url.Values) {
	take, err := strconv.Atoi(q.Get("take"))
	if err != nil || take <= 0 {
		take = 50
	}
	take = min(take, 100)
	from := q.Get("from")
	// Ids are of fixed width, so the first log newer than from is found
	// by comparing the text.
	lo := sort.Search(len(s.logs), func(i int) bool { return s.logs[i].id > from })
	page := s.logs[lo:min(lo+take, len(s.logs))]
	next := *r.URL
	next.Scheme, next.Host = "http", r.Host
	if len(page) > 0 {
		nq := url.Values{"from": {page[len(page)-1].id}, "take": {strconv.Itoa(take)}}
		next.RawQuery = nq.Encode()
	}
	w.Header().Set("Link", "<"+next.String()+`>; rel="next"`)
	writeLogs(w, page)
}

func (s *Server) searchLogs(w http.ResponseWriter, q url.Values) {
	lo, hi, ok := dateRange(q.Get("q"))
	if !ok {
		apiError(w, http.StatusBadRequest, "Query validation error: 'q' is not a date range this server understands")
		return
	}
	var hits []tenantLog
	for _, l := range s.logs {
		if lo(l.date) && hi(l.date) {
			hits = append(hits, l)
		}
	}
	// Search mode sorts newest first unless asked otherwise.
	asc := q.Get("sort") == "date:1"
	sort.SliceStable(hits, func(i, j int) bool {
		if asc {
			return hits[i].date.Before(hits[j].date)
		}
		return hits[i].date.After(hits[j].date)
	})
	page, _ := strconv.Atoi(q.Get("page"))
	per, err := strconv.Atoi(q.Get("per_page"))
	if err != nil || per <= 0 {
		per = 50
	}
	per = min(per, 100)
	writeLogs(w, window(hits, max(page, 0), per))
}

// dateRange reads q, empty or date:[A TO B] with [ ] inclusive, { }
// exclusive and * open, into two bounds.
func dateRange(q string) (lo, hi func(time.Time) bool, ok bool) {
	all := func(time.Time) bool { return true }
	if q == "" {
		return all, all, true
	}
	rest, found := strings.CutPrefix(q, "date:")
	if !found || len(rest) < 2 {
		return nil, nil, false
	}
	open, end := rest[0], rest[len(rest)-1]
	a, b, found := strings.Cut(rest[1:len(rest)-1], " TO ")
	if !found || (open != '[' && open != '{') || (end != ']' && end != '}') {
		return nil, nil, false
	}
	lo, ok1 := bound(a, func(t, x time.Time) bool { return t.After(x) || (open == '[' && t.Equal(x)) })
	hi, ok2 := bound(b, func(t, x time.Time) bool { return t.Before(x) || (end == ']' && t.Equal(x)) })
	return lo, hi, ok1 && ok2
}

func bound(v string, in func(t, x time.Time) bool) (func(time.Time) bool, bool) {
	if v == "*" {
		return func(time.Time) bool { return true }, true
	}
	x, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return nil, false
	}
	return func(t time.Time) bool { return in(t, x) }, true
}

func writeLogs(w http.ResponseWriter, page []tenantLog) {
	out := make([]json.RawMessage, len(page))
	for i, l := range page {
		out[i] = l.body
	}
	writeJSON(w, http.StatusOK, out)
}
