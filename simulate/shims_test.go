package simulate

import (
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/mfapolicy/mfapolicy/simulate/engine"
)

// TestShims checks the shims against values computed by Node.js.
func TestShims(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "action.js"), `
const crypto = require('node:crypto');
const { URL, URLSearchParams, parse } = require('url');
const qs = require('querystring');
const util = require('util');
const { Buffer: B } = require('buffer');
const checks = {
  sha256: crypto.createHash('sha256').update('héllo').digest('hex'),
  sha1b64: crypto.createHash('sha1').update(Buffer.from('abc')).digest('base64'),
  md5: crypto.createHash('md5').update('a').update('b').digest('hex'),
  hmac: crypto.createHmac('sha256', 'key').update('msg').digest('hex'),
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(crypto.randomUUID()),
  rnd: crypto.randomBytes(16).length,
  url: (() => { const u = new URL('/p/q?x=1&y=a+b#h', 'https://User:pw@Example.com:8443/base'); return [u.href, u.host, u.origin, u.searchParams.get('y'), u.pathname, u.hash].join(' '); })(),
  params: (() => { const p = new URLSearchParams({ a: '1 2', b: 'é' }); p.append('a', '3'); return p.toString() + ' ' + p.getAll('a'); })(),
  legacy: parse('https://example.com/a?b=c', true).query.b,
  qs: qs.stringify({ a: [1, 2], b: 'x y' }) + ' ' + JSON.stringify(qs.parse('a=1&a=2&b=%20')),
  fmt: util.format('%s=%d %j %O', 'n', 42, { a: 1 }, [1]),
  b64: B.from('aGVsbG8gd29ybGQ', 'base64').toString() + ' ' + Buffer.from([104, 105]).toString('hex'),
  atob: atob(btoa('hi')),
  enc: new TextDecoder().decode(new TextEncoder().encode('ü')),
};
exports.onExecutePostLogin = (event, api) => {
  for (const k of Object.keys(checks)) api.idToken.setCustomClaim(k, checks[k]);
};`)
	code, err := engine.BundleAction(filepath.Join(dir, "action.js"), engine.BundleOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := replayCode(t, code, "action.js", Options{Workers: 1}, "{}")
	want := map[string]string{
		"sha256":  `"3c48591d8d098a4538f5e013dfcf406e948eac4d3277b10bf614e295d6068179"`,
		"sha1b64": `"qZk+NkcGgWq6PiVxeFDCbJzQ2J0="`,
		"md5":     `"187ef4436122d1cc2f40dc2b92f0eba0"`,
		"hmac":    `"2d93cbc1be167bcb1637a4a23cbff01a7878f0c50ee833954ea5221bb1b8c628"`,
		"uuid":    `true`,
		"rnd":     `16`,
		"url":     `"https://User:pw@example.com:8443/p/q?x=1&y=a+b#h example.com:8443 https://example.com:8443 a b /p/q #h"`,
		"params":  `"a=1+2&b=%C3%A9&a=3 1 2,3"`,
		"legacy":  `"c"`,
		"qs":      `"a=1&a=2&b=x%20y {\"a\":[\"1\",\"2\"],\"b\":\" \"}"`,
		"fmt":     `"n=42 {\"a\":1} [ 1 ]"`,
		"b64":     `"hello world 6869"`,
		"atob":    `"hi"`,
		"enc":     `"ü"`,
	}
	if len(got) != 1 || got[0].Outcome != Allow {
		t.Fatalf("decision: %+v", got)
	}
	for _, c := range got[0].Calls {
		var k string
		_ = jsonUnmarshal(c.Args[0], &k)
		if w, ok := want[k]; ok && string(c.Args[1]) != w {
			t.Errorf("%s = %s, want %s", k, c.Args[1], w)
		}
	}
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }
