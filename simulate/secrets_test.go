package simulate

import (
	"encoding/json"
	"github.com/mfapolicy/mfapolicy/simulate/engine"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadSecrets(t *testing.T) {
	dir := t.TempDir()
	env := filepath.Join(dir, "s.env")
	writeFile(t, env, "# comment\nexport A=1\nB = \"two words\"\n\nC='x=y'\n")
	got, err := ReadSecrets(env)
	if err != nil || got["A"] != "1" || got["B"] != "two words" || got["C"] != "x=y" || len(got) != 3 {
		t.Errorf("env: %v %v", got, err)
	}
	js := filepath.Join(dir, "s.json")
	writeFile(t, js, `{"K": "v"}`)
	if got, err := ReadSecrets(js); err != nil || got["K"] != "v" {
		t.Errorf("json: %v %v", got, err)
	}
	writeFile(t, js, `{"K": 1}`)
	if _, err := ReadSecrets(js); err == nil || !strings.Contains(err.Error(), `secret "K" must be a string`) {
		t.Errorf("json number: %v", err)
	}
	writeFile(t, env, "A=1\nhunter2\n")
	if _, err := ReadSecrets(env); err == nil || err.Error() != env+":2: a secret is KEY=VALUE" || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("bad line: %v", err)
	}
}

func TestRedactor(t *testing.T) {
	x := NewRedactor(map[string]string{"KEY": `s3"cret`, "LONGER": "s3\"cret-and-more", "SHORT": "ab"})
	d := Decision{
		Reason:  `no s3"cret-and-more`,
		Console: []string{`key s3"cret, ab`},
		Calls:   []engine.Call{{Method: "idToken.setCustomClaim", Args: []json.RawMessage{json.RawMessage(`"k"`), json.RawMessage(`{"v":"s3\"cret"}`)}}},
	}
	x.Redact(&d)
	if d.Reason != "no [secret LONGER]" || d.Console[0] != "key [secret KEY], ab" || string(d.Calls[0].Args[1]) != `{"v":"[secret KEY]"}` {
		t.Errorf("redacted: %+v %s", d, d.Calls[0].Args[1])
	}
	if !json.Valid(d.Calls[0].Args[1]) {
		t.Error("redaction broke the JSON")
	}
}
