package simulate

import (
	"bytes"
	"strings"
	"testing"

	"github.com/mfapolicy/mfapolicy/internal/hostile"
	"github.com/mfapolicy/mfapolicy/internal/mdtext"
)

// Application names from the events and then every name of the summary
// set to hostile text: the Markdown summary mentions no one and keeps
// every table row whole.
func TestMarkdownHostileNames(t *testing.T) {
	in := `{"request":{"geoip":{"countryCode":"DE"}},"client":{"name":"@octocat | ![x](https://t.example/p.png)"},"user":{"enrolledFactors":[]}}
{"request":{"geoip":{"countryCode":"US"}},"client":{"name":"ping @github/security-team &#64;ghost"}}
not json`
	_, sum := runAction(t, "challenge.js", Options{Workers: 1, AssumeEnrolled: []string{"otp"}}, in)
	render := func() string {
		var md bytes.Buffer
		if err := RenderMarkdown(&md, sum); err != nil {
			t.Fatal(err)
		}
		return md.String()
	}
	check := func(md string) {
		t.Helper()
		if p := mdtext.Problems(md); len(p) > 0 {
			t.Errorf("the Markdown summary lets names through: %q\n%s", p, md)
		}
	}
	md := render()
	if !strings.Contains(md, "@\u200doctocat") {
		t.Fatalf("the application name is not in the summary:\n%s", md)
	}
	check(md)

	sum.Rules = []Count{{Name: "x", Count: 1}}
	sum.TimedOut, sum.Inconsistent = 1, 1
	sum.MissingData = &MissingData{Count: 1, Fields: []Count{{Name: "x", Count: 1}}}
	sum.NetworkRefused = []Count{{Name: "x", Count: 1}}
	hostile.FillStrings(sum)
	check(render())
}
