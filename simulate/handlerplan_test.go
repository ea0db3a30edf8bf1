package simulate

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/mfapolicy/mfapolicy/internal/eventgen"
	"github.com/mfapolicy/mfapolicy/simulate/engine"
)

// Events built after a handler plan give the Action exactly what whole
// events give it, on generated events and on odd ones.
func TestHandlerPlanReplaysAsWhole(t *testing.T) {
	var corpus bytes.Buffer
	if err := eventgen.WriteCorpus(&corpus, eventgen.Events, 400, 7); err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, l := range strings.Split(strings.TrimSpace(corpus.String()), "\n") {
		if json.Valid([]byte(l)) && strings.HasPrefix(l, "{") {
			lines = append(lines, l)
		}
	}
	lines = append(lines,
		`{}`,
		`{"request":null,"user":"u"}`,
		`{"request":{"ip":"1.2.3.4"},"user":{"app_metadata":{"plan":"a","plan":"b"}}}`,
		`{"request":{"geoip":[1,2]},"user":{"app_metadata":null,"multifactor":["duo"]}}`,
		`{"request":{"geoip":"FR"},"user":{"app_metadata":{"plan":{"x":1}}},"authentication":{"riskAssessment":{"assessments":{"NewDevice":{"code":["a"]}}}},"authorization":{"roles":"admin"}}`,
		`{"request":{"geoip":{"countryCode":"DE","length":3}},"authentication":0,"authorization":{"roles":["admin"]}}`,
		`{"request":{"__proto__":{"geoip":{"countryCode":"FR"}},"geoip":{"countryCode":"DE"}},"stats":0}`,
		`{"authentication":{"methods":[{"name":"pwd"}],"riskAssessment":{"confidence":"low"}},"user":{"enrolledFactors":[{"type":"otp"}]}}`,
	)
	// The Actions of engine's handler plan tests (engine/testdata/handler).
	files, _ := filepath.Glob("engine/testdata/handler/*.js")
	if len(files) == 0 {
		t.Fatal("no Actions in engine/testdata/handler")
	}
	for _, file := range files {
		code, err := engine.BundleAction(file, engine.BundleOptions{})
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(file)
		planned, _ := replayCode(t, code, name, Options{Workers: 1}, lines...)
		whole, _ := replayCode(t, code, name, Options{Workers: 1, builder: engine.BuildWithJSONParse}, lines...)
		if len(planned) != len(whole) {
			t.Fatalf("%s: %d decisions planned, %d whole", name, len(planned), len(whole))
		}
		for i := range planned {
			a, _ := json.Marshal(planned[i])
			b, _ := json.Marshal(whole[i])
			if !bytes.Equal(a, b) {
				t.Errorf("%s, event %d %s:\nplanned %s\nwhole   %s", name, i, lines[i], a, b)
				break
			}
		}
	}
}

// An Action that never reaches event.user gets no user built: the
// simulator derives event.user.multifactor in Go, and the summary's
// assumptions (the derived lists, the assumed enrolments) are those of
// whole events, where the glue derives it in goja, whatever the user's
// shape, with assumed enrolments and with none.
func TestHandlerPlanUserUnread(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "geo.js")
	src := `exports.onExecutePostLogin = async (event, api) => {
  const geo = (event.request && event.request.geoip) || {};
  if (geo.countryCode === 'KP') api.access.deny('region');
  else if (geo.countryCode !== 'US') api.authentication.challengeWith({ type: 'otp' });
};
`
	if err := os.WriteFile(file, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	code, err := engine.BundleAction(file, engine.BundleOptions{})
	if err != nil {
		t.Fatal(err)
	}
	lines := []string{
		`{"request":{"geoip":{"countryCode":"US"}},"user":{"enrolledFactors":[{"type":"otp"}]}}`,
		`{"request":{"geoip":{"countryCode":"FR"}},"user":{"enrolledFactors":[{"type":"email"},{"type":"webauthn-platform"}]}}`,
		`{"request":{"geoip":{"countryCode":"FR"}},"user":{"enrolledFactors":[]}}`,
		`{"request":{"geoip":{"countryCode":"KP"}},"user":{"enrolledFactors":[[1],null,"x"]}}`,
		`{"request":{"geoip":{"countryCode":"DE"}},"user":{"multifactor":["duo"],"enrolledFactors":[{"type":"otp"}]}}`,
		`{"request":{"geoip":{"countryCode":"DE"}},"user":{"multifactor":null}}`,
		`{"request":{"geoip":{"countryCode":"DE"}},"user":{"user_id":"a"}}`,
		`{"request":{"geoip":{"countryCode":"DE"}},"user":{"enrolledFactors":null}}`,
		`{"request":{"geoip":{"countryCode":"DE"}},"user":{"enrolledFactors":{"type":"otp"}}}`,
		`{"request":{"geoip":{"countryCode":"DE"}},"user":"u"}`,
		`{"request":{"geoip":{"countryCode":"DE"}},"user":null}`,
		`{"request":{"geoip":{"countryCode":"DE"}}}`,
		`{"user":{"enrolledFactors":[{"type":"otp","type":"email"}]}}`,
	}
	for _, assumed := range [][]string{nil, {}, {"otp"}, {"email"}} {
		opts := Options{Workers: 1, AssumeEnrolled: assumed}
		planned, ps := replayCode(t, code, "geo.js", opts, lines...)
		opts.builder = engine.BuildWithJSONParse
		whole, ws := replayCode(t, code, "geo.js", opts, lines...)
		if len(planned) != len(lines) || len(whole) != len(lines) {
			t.Fatalf("assumed %v: %d decisions planned, %d whole", assumed, len(planned), len(whole))
		}
		for i := range planned {
			if !reflect.DeepEqual(planned[i].sandbox, whole[i].sandbox) || planned[i].Outcome != whole[i].Outcome {
				t.Errorf("assumed %v, %s:\nplanned %s %+v\nwhole   %s %+v", assumed, lines[i], planned[i].Outcome, planned[i].sandbox, whole[i].Outcome, whole[i].sandbox)
			}
		}
		a, _ := json.Marshal(ps)
		b, _ := json.Marshal(ws)
		if !bytes.Equal(a, b) {
			t.Errorf("assumed %v: summaries differ:\nplanned %s\nwhole   %s", assumed, a, b)
		}
		if !bytes.Contains(a, []byte("derived from the enrolled factors")) {
			t.Errorf("assumed %v: no derived event.user.multifactor counted: %s", assumed, a)
		}
	}
}
