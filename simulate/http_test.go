package simulate

import (
	"path/filepath"
	"testing"

	"github.com/mfapolicy/mfapolicy/simulate/engine"
)

// TestFetchDelay: a fixture's delay passes on the login's virtual clock,
// and the Action sees the status, headers and body it gives.
func TestFetchDelay(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "a.js"), `exports.onExecutePostLogin = async (event, api) => {
  const t0 = Date.now();
  const res = await fetch(new Request('https://slow.example.com/x', { headers: { accept: 'text/plain' } }));
  console.log(res.status, res.ok, res.statusText, res.headers.get('X-Trace'), await res.text(), Date.now() - t0);
};`)
	writeFile(t, filepath.Join(dir, "f.yaml"), "- match: {url: 'https://slow.example.com/x', headers: {accept: text/plain}}\n  respond: {status: 503, headers: {X-Trace: abc}, body: busy, delay: 1500ms}\n")
	code, fx := withFixtures(t, filepath.Join(dir, "a.js"), filepath.Join(dir, "f.yaml"), engine.BundleOptions{})
	got, _ := replayCode(t, code, "a.js", Options{HTTP: fx}, `{"user":{"user_id":"u"}}`)
	if c := got[0].Console; len(c) != 1 || c[0] != "503 false Service Unavailable abc busy 1500" {
		t.Errorf("console %q (%s)", c, got[0].Error)
	}
}
