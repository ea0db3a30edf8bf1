package engine

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/dop251/goja"
	"go.yaml.in/yaml/v4"
)

// HTTPFixtures are the answers an Action's HTTP requests get in
// simulation: fetch, node:http and node:https (and so the libraries built
// on them) all ask them. The first fixture whose match fits the request
// answers it; a request no fixture matches fails with a connection error,
// as a firewall would make it fail, and is counted per host. The simulator
// never reaches the network.
type HTTPFixtures struct {
	// Name is the file the fixtures came from.
	Name string
	list []httpFixture
}

// httpFixture is one {match, respond} entry of a fixtures file.
type httpFixture struct {
	Match struct {
		Method  string            `yaml:"method" json:"method"`
		URL     string            `yaml:"url" json:"url"`
		Headers map[string]string `yaml:"headers" json:"headers"`
		Body    any               `yaml:"body" json:"body"`
	} `yaml:"match"`
	Respond struct {
		Status  int               `yaml:"status"`
		Headers map[string]string `yaml:"headers"`
		Body    *string           `yaml:"body"`
		JSON    any               `yaml:"json"`
		Delay   string            `yaml:"delay"`
	} `yaml:"respond"`

	line  int
	url   *regexp.Regexp // nil: the URL must be equal
	delay time.Duration
	body  string // the response body
}

// ReadHTTPFixtures reads a fixtures file, YAML or JSON: a list of
// {match: {method, url, headers, body}, respond: {status, headers, body |
// json, delay}}. url is exact, or a glob where * matches any run of
// characters and ? one; method defaults to any; headers match by name
// (any case) and exact value; body matches the request body exactly (a
// string) or as JSON (any other value). status defaults to 200; json is
// sent as the body with content-type application/json; delay ("250ms",
// "2s") passes on the login's virtual clock before the response arrives.
func ReadHTTPFixtures(file string) (*HTTPFixtures, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("cannot read HTTP fixtures: %w", err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: %v", file, err)
	}
	if len(doc.Content) == 0 {
		return &HTTPFixtures{Name: file}, nil
	}
	root := doc.Content[0]
	if root.Kind != yaml.SequenceNode {
		return nil, fmt.Errorf("%s:%d:%d: HTTP fixtures must be a list of {match, respond} entries", file, root.Line, root.Column)
	}
	out := &HTTPFixtures{Name: file}
	for _, n := range root.Content {
		var f httpFixture
		if err := n.Decode(&f); err != nil {
			return nil, fmt.Errorf("%s:%d:%d: %v", file, n.Line, n.Column, err)
		}
		f.line = n.Line
		if err := f.prepare(); err != nil {
			return nil, fmt.Errorf("%s:%d:%d: %v", file, n.Line, n.Column, err)
		}
		out.list = append(out.list, f)
	}
	return out, nil
}

// prepare checks a fixture and compiles its URL pattern.
func (f *httpFixture) prepare() error {
	if f.Match.URL == "" {
		return fmt.Errorf("a fixture needs match.url")
	}
	f.Match.Method = strings.ToUpper(f.Match.Method)
	if strings.ContainsAny(f.Match.URL, "*?") {
		var b strings.Builder
		b.WriteString("^")
		for _, c := range f.Match.URL {
			switch c {
			case '*':
				b.WriteString(".*")
			case '?':
				b.WriteString(".")
			default:
				b.WriteString(regexp.QuoteMeta(string(c)))
			}
		}
		b.WriteString("$")
		f.url = regexp.MustCompile(b.String())
	}
	if f.Respond.Status == 0 {
		f.Respond.Status = 200
	}
	if f.Respond.Status < 100 || f.Respond.Status > 599 {
		return fmt.Errorf("respond.status %d is not an HTTP status", f.Respond.Status)
	}
	switch {
	case f.Respond.Body != nil && f.Respond.JSON != nil:
		return fmt.Errorf("give respond.body or respond.json, not both")
	case f.Respond.JSON != nil:
		b, err := json.Marshal(f.Respond.JSON)
		if err != nil {
			return fmt.Errorf("respond.json: %v", err)
		}
		f.body = string(b)
		if !hasHeader(f.Respond.Headers, "content-type") {
			if f.Respond.Headers == nil {
				f.Respond.Headers = map[string]string{}
			}
			f.Respond.Headers["content-type"] = "application/json"
		}
	case f.Respond.Body != nil:
		f.body = *f.Respond.Body
	}
	if f.Respond.Delay != "" {
		d, err := time.ParseDuration(f.Respond.Delay)
		if err != nil || d < 0 {
			return fmt.Errorf("respond.delay %q is not a duration such as 250ms or 2s", f.Respond.Delay)
		}
		f.delay = d
	}
	return nil
}

func hasHeader(h map[string]string, name string) bool {
	for k := range h {
		if strings.EqualFold(k, name) {
			return true
		}
	}
	return false
}

// httpRequest is a request as an Action made it.
type httpRequest struct {
	method, url, body string
	headers           map[string]string // names in lower case
}

// find returns the first fixture that matches the request, or nil.
func (fs *HTTPFixtures) find(req httpRequest) *httpFixture {
	if fs == nil {
		return nil
	}
	for i := range fs.list {
		if f := &fs.list[i]; f.matches(req) {
			return f
		}
	}
	return nil
}

func (f *httpFixture) matches(req httpRequest) bool {
	if f.Match.Method != "" && f.Match.Method != req.method {
		return false
	}
	if f.url != nil && !f.url.MatchString(req.url) || f.url == nil && f.Match.URL != req.url {
		return false
	}
	for k, v := range f.Match.Headers {
		if req.headers[strings.ToLower(k)] != v {
			return false
		}
	}
	switch want := f.Match.Body.(type) {
	case nil:
	case string:
		return req.body == want
	default:
		var got any
		if json.NewDecoder(bytes.NewReader([]byte(req.body))).Decode(&got) != nil {
			return false
		}
		return reflect.DeepEqual(normalJSON(want), got)
	}
	return true
}

// normalJSON turns a YAML-decoded value into what encoding/json decodes
// the same JSON to, so that the two compare equal.
func normalJSON(v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		return v
	}
	var out any
	_ = json.Unmarshal(b, &out)
	return out
}

// InstallHTTP defines on host the function the fetch and http shims
// call: http(method, url, headers, body) answers from the fixtures, as an
// object {status, statusText, headers, body, delay} or {error}; refused
// is told the host of each request no fixture answers.
func InstallHTTP(vm *goja.Runtime, host *goja.Object, fixtures *HTTPFixtures, refused func(host string)) {
	fn := func(c goja.FunctionCall) goja.Value {
		req := httpRequest{method: strings.ToUpper(c.Argument(0).String()), url: c.Argument(1).String(), headers: map[string]string{}}
		if h, ok := c.Argument(2).(*goja.Object); ok {
			for _, k := range h.Keys() {
				req.headers[strings.ToLower(k)] = h.Get(k).String()
			}
		}
		if b := c.Argument(3); !goja.IsUndefined(b) && !goja.IsNull(b) {
			req.body = b.String()
		}
		out := vm.NewObject()
		f := fixtures.find(req)
		if f == nil {
			host := hostOf(req.url)
			refused(host)
			_ = out.Set("error", fmt.Sprintf("connect ECONNREFUSED %s: no HTTP fixture matches %s %s (the simulator gives an Action no network; --http FILE answers requests)", host, req.method, req.url))
			return out
		}
		_ = out.Set("status", f.Respond.Status)
		_ = out.Set("statusText", http.StatusText(f.Respond.Status))
		hs := vm.NewObject()
		keys := make([]string, 0, len(f.Respond.Headers))
		for k := range f.Respond.Headers {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			_ = hs.Set(strings.ToLower(k), f.Respond.Headers[k])
		}
		_ = out.Set("headers", hs)
		_ = out.Set("body", f.body)
		_ = out.Set("delay", float64(f.delay)/float64(time.Millisecond))
		return out
	}
	_ = host.DefineDataProperty("http", vm.ToValue(fn), goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE)
}

// hostOf is the host a refused request was for, as the summary counts it.
func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "(invalid URL)"
	}
	return strings.ToLower(u.Host)
}
