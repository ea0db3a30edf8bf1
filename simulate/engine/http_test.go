package engine

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadHTTPFixturesErrors(t *testing.T) {
	cases := map[string]string{
		"- match: {method: GET}\n  respond: {status: 200}\n":      "f.yaml:1:3: a fixture needs match.url",
		"- match: {url: x}\n  respond: {status: 42}\n":            "f.yaml:1:3: respond.status 42 is not an HTTP status",
		"- match: {url: x}\n  respond: {body: a, json: {b: 1}}\n": "f.yaml:1:3: give respond.body or respond.json, not both",
		"- match: {url: x}\n  respond: {delay: soon}\n":           `f.yaml:1:3: respond.delay "soon" is not a duration such as 250ms or 2s`,
		"match: {url: x}\n":                                      "f.yaml:1:1: HTTP fixtures must be a list of {match, respond} entries",
		"- match: {url: x}\n  respond: {status: [1]}\n":          "f.yaml:1:3:",
		`[{"match": {"url": "x"}, "respond": {"status": "ok"}}]`: "f.yaml:1:2:",
	}
	for src, want := range cases {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "f.yaml"), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := ReadHTTPFixtures(filepath.Join(dir, "f.yaml"))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: got %v, want %q", src, err, want)
		}
	}
}

func TestHTTPFixtureMatching(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "f.json"), []byte(`[
  {"match": {"method": "get", "url": "https://api.example.com/users/*/risk"}, "respond": {"json": {"n": 1}}},
  {"match": {"url": "https://api.example.com/exact?q=1", "headers": {"X-Key": "k"}}, "respond": {"body": "two", "status": 201}},
  {"match": {"method": "POST", "url": "https://api.example.com/p", "body": {"a": [1, 2]}}, "respond": {"body": "json body"}},
  {"match": {"method": "POST", "url": "https://api.example.com/p", "body": "raw"}, "respond": {"body": "raw body"}}
]`), 0o644); err != nil {
		t.Fatal(err)
	}
	fx, err := ReadHTTPFixtures(filepath.Join(dir, "f.json"))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		req  httpRequest
		want string // the body answered, "" for none
	}{
		{httpRequest{method: "GET", url: "https://api.example.com/users/u1/risk"}, `{"n":1}`},
		{httpRequest{method: "POST", url: "https://api.example.com/users/u1/risk"}, ""},
		{httpRequest{method: "GET", url: "https://api.example.com/users/u1/risk?x"}, ""},
		{httpRequest{method: "GET", url: "https://api.example.com/exact?q=1", headers: map[string]string{"x-key": "k"}}, "two"},
		{httpRequest{method: "GET", url: "https://api.example.com/exact?q=1", headers: map[string]string{"x-key": "K"}}, ""},
		{httpRequest{method: "POST", url: "https://api.example.com/p", body: `{ "a": [1,2] }`}, "json body"},
		{httpRequest{method: "POST", url: "https://api.example.com/p", body: "raw"}, "raw body"},
		{httpRequest{method: "POST", url: "https://api.example.com/p", body: `{"a":[2,1]}`}, ""},
	}
	for _, c := range cases {
		f := fx.find(c.req)
		got := ""
		if f != nil {
			got = f.body
		}
		if got != c.want {
			t.Errorf("%s %s %v %q: got %q, want %q", c.req.method, c.req.url, c.req.headers, c.req.body, got, c.want)
		}
	}
	if f := fx.find(httpRequest{method: "GET", url: "https://api.example.com/users/u1/risk"}); f.Respond.Headers["content-type"] != "application/json" {
		t.Errorf("json response headers %v", f.Respond.Headers)
	}
}
