package logs

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/auth0/go-auth0/management"

	"github.com/mfapolicy/mfapolicy/deploy"
)

// The Management API endpoint Pull reads, and the scope its page names
// (https://auth0.com/docs/api/management/v2/logs/get-logs).
const (
	logsPath  = "/api/v2/logs"
	logsScope = "read:logs"
	// maxTake is the largest page: "up to 100 logs per request"
	// (https://auth0.com/docs/deploy-monitor/logs/retrieve-log-events-using-mgmt-api).
	maxTake = 100
)

// meta is what Pull reads of each record: its place in the checkpoint
// order, its time and its type.
type meta struct {
	LogID string    `json:"log_id"`
	Date  time.Time `json:"date"`
	Type  string    `json:"type"`
}

// record is one log as the API sent it, compacted to one line, and its
// meta.
type record struct {
	raw []byte
	meta
}

// page is one response of GET /api/v2/logs: its records in the order
// sent, and the URL of the Link header's rel="next", if any.
type page struct {
	records []record
	next    string
}

// client sends the requests of one pull through go-auth0's client, which
// carries the token, the retries and the User-Agent.
type client struct {
	m        *management.Management
	base     *url.URL // https://TENANT/api/v2/logs
	onSend   func(query string)
	answered int // requests answered with a page
}

func newClient(m *management.Management, onSend func(string)) (*client, error) {
	base, err := url.Parse(m.URI("logs"))
	if err != nil {
		return nil, fmt.Errorf("the tenant's logs URL: %w", err)
	}
	return &client{m: m, base: base, onSend: onSend}, nil
}

// checkpointURL asks for the take logs after log id from.
func (c *client) checkpointURL(from string, take int) string {
	u := *c.base
	u.RawQuery = url.Values{"from": {from}, "take": {strconv.Itoa(take)}}.Encode()
	return u.String()
}

// searchURL asks for the first log of a date search, newest first or
// oldest first.
func (c *client) searchURL(q string, oldestFirst bool) string {
	sort := "date:-1"
	if oldestFirst {
		sort = "date:1"
	}
	u := *c.base
	u.RawQuery = url.Values{"q": {q}, "sort": {sort}, "page": {"0"}, "per_page": {"1"}}.Encode()
	return u.String()
}

// follow returns the Link header's next URL when it asks the same
// endpoint of the same tenant for logs after a checkpoint, and "" for any
// other URL, so that the token is never sent elsewhere.
func (c *client) follow(next string) string {
	u, err := url.Parse(next)
	if err != nil || u.Scheme != c.base.Scheme || u.Host != c.base.Host || u.Path != c.base.Path || !u.Query().Has("from") {
		return ""
	}
	return u.String()
}

// get sends one request and decodes its page.
func (c *client) get(ctx context.Context, rawURL string) (*page, error) {
	if c.onSend != nil {
		if u, err := url.Parse(rawURL); err == nil {
			c.onSend(u.RawQuery)
		}
	}
	req, err := c.m.NewRequest(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, err
	}
	res, err := c.m.Do(req)
	if err != nil {
		return nil, callError(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, callError(fmt.Errorf("reading the response: %w", err))
	}
	if res.StatusCode >= http.StatusBadRequest {
		return nil, callError(decodeError(res.StatusCode, body))
	}
	p, err := decodePage(body)
	if err != nil {
		return nil, callError(err)
	}
	p.next = nextLink(res.Header.Values("Link"))
	c.answered++
	return p, nil
}

// decodePage reads the JSON array of log events.
func decodePage(body []byte) (*page, error) {
	var raws []json.RawMessage
	if err := json.Unmarshal(body, &raws); err != nil {
		return nil, fmt.Errorf("the response is not a JSON array of log events: %w", err)
	}
	p := &page{records: make([]record, 0, len(raws))}
	for i, raw := range raws {
		var r record
		if err := json.Unmarshal(raw, &r.meta); err != nil || r.LogID == "" {
			return nil, fmt.Errorf("log event %d of the response has no log_id or a malformed date", i+1)
		}
		var b bytes.Buffer
		if err := json.Compact(&b, raw); err != nil {
			return nil, err
		}
		r.raw = b.Bytes()
		p.records = append(p.records, r)
	}
	return p, nil
}

// nextLink finds the rel="next" URL in Link headers (RFC 8288):
// <URL>; rel="next", possibly among other links.
func nextLink(headers []string) string {
	for _, h := range headers {
		for _, link := range strings.Split(h, ",") {
			target, params, ok := strings.Cut(link, ";")
			target = strings.TrimSpace(target)
			if !ok || !strings.HasPrefix(target, "<") || !strings.HasSuffix(target, ">") {
				continue
			}
			for _, p := range strings.Split(params, ";") {
				k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
				if strings.EqualFold(k, "rel") && strings.Trim(v, `"`) == "next" {
					return target[1 : len(target)-1]
				}
			}
		}
	}
	return ""
}

// apiError is an error response of the Management API, whose body is
// {statusCode, error, message, errorCode}. It satisfies go-auth0's
// management.Error, so that deploy.CallError words it like deploy's.
type apiError struct {
	status  int
	message string
}

func (e *apiError) Status() int { return e.status }

func (e *apiError) Error() string {
	return fmt.Sprintf("%d %s: %s", e.status, http.StatusText(e.status), e.message)
}

func decodeError(status int, body []byte) error {
	var b struct {
		Message string `json:"message"`
	}
	_ = json.Unmarshal(body, &b)
	return &apiError{status: status, message: b.Message}
}

func callError(err error) error {
	return deploy.CallError("read the tenant logs", http.MethodGet, logsPath, logsScope, "logs pull", err)
}
