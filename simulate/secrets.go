package simulate

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"github.com/mfapolicy/mfapolicy/simulate/engine"
	"os"
	"slices"
	"sort"
	"strings"
)

// ReadSecrets reads the secrets of an Action (event.secrets) or a Rule
// (configuration) from a file: a JSON object of strings, or KEY=VALUE
// lines as in a .env file (blank lines and # comments ignored, values
// optionally quoted). Errors name the file and line, never a value.
func ReadSecrets(file string) (map[string]string, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("cannot read secrets: %w", err)
	}
	if t := bytes.TrimSpace(data); len(t) > 0 && t[0] == '{' {
		var m map[string]any
		if err := json.Unmarshal(t, &m); err != nil {
			return nil, fmt.Errorf("%s: secrets must be a JSON object of strings", file)
		}
		out := make(map[string]string, len(m))
		for k, v := range m {
			s, ok := v.(string)
			if !ok {
				return nil, fmt.Errorf("%s: secret %q must be a string", file, k)
			}
			out[k] = s
		}
		return out, nil
	}
	out := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		k, v, err := ParseSecret(strings.TrimPrefix(text, "export "))
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %v", file, line, err)
		}
		out[k] = v
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return out, nil
}

// ParseSecret splits KEY=VALUE, unquoting a quoted value.
func ParseSecret(s string) (string, string, error) {
	k, v, ok := strings.Cut(s, "=")
	k = strings.TrimSpace(k)
	if !ok || k == "" {
		return "", "", fmt.Errorf("a secret is KEY=VALUE")
	}
	v = strings.TrimSpace(v)
	if len(v) >= 2 && (v[0] == '"' && v[len(v)-1] == '"' || v[0] == '\'' && v[len(v)-1] == '\'') {
		v = v[1 : len(v)-1]
	}
	return k, v, nil
}

// minRedacted is the shortest secret value Redact hides: shorter ones
// would hide ordinary text.
const minRedacted = 4

// Redactor hides secret values in decisions, so that what an Action does
// with a secret (a claim, a log line, an error message) never prints it.
type Redactor struct {
	r *strings.Replacer
}

// NewRedactor replaces each secret value of at least four characters by
// [secret NAME], longest values first.
func NewRedactor(secrets map[string]string) *Redactor {
	keys := make([]string, 0, len(secrets))
	for k, v := range secrets {
		if len(v) >= minRedacted {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return &Redactor{}
	}
	sort.Slice(keys, func(i, j int) bool {
		if len(secrets[keys[i]]) != len(secrets[keys[j]]) {
			return len(secrets[keys[i]]) > len(secrets[keys[j]])
		}
		return keys[i] < keys[j]
	})
	var pairs []string
	for _, k := range keys {
		v, mark := secrets[k], "[secret "+k+"]"
		if strings.ContainsFunc(k, func(r rune) bool {
			return !(r == '_' || r == '-' || r == '.' || r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z')
		}) {
			mark = "[secret]" // the mark must stay valid inside JSON
		}
		quoted, _ := json.Marshal(v)
		pairs = append(pairs, v, mark)
		if q := string(quoted[1 : len(quoted)-1]); q != v { // as it appears inside JSON
			pairs = append(pairs, q, mark)
		}
	}
	return &Redactor{r: strings.NewReplacer(pairs...)}
}

// Redact hides the secrets in the decision's reason, error, notes, console
// and call arguments.
//
// It writes new slices, never into the decision's: decisions replayed by
// decision class share their calls and notes with the other logins of the
// class.
func (x *Redactor) Redact(d *Decision) {
	if x == nil || x.r == nil {
		return
	}
	d.Reason, d.Error = x.r.Replace(d.Reason), x.r.Replace(d.Error)
	d.Notes, d.Console = slices.Clone(d.Notes), slices.Clone(d.Console)
	calls := make([]engine.Call, len(d.Calls))
	for i, c := range d.Calls {
		calls[i] = engine.Call{Method: c.Method, Args: slices.Clone(c.Args)}
	}
	d.Calls = calls
	for i := range d.Notes {
		d.Notes[i] = x.r.Replace(d.Notes[i])
	}
	for i := range d.Console {
		d.Console[i] = x.r.Replace(d.Console[i])
	}
	for i := range d.Calls {
		for j, a := range d.Calls[i].Args {
			if s := x.r.Replace(string(a)); s != string(a) {
				d.Calls[i].Args[j] = json.RawMessage(s)
			}
		}
	}
}
