package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mfapolicy/mfapolicy/internal/diag"
	"github.com/mfapolicy/mfapolicy/internal/hostile"
)

// The robustness suite feeds broken and hostile inputs to every entry
// point through the real command line, and checks the exit code, the one
// located message, the counts, and that nothing panics or leaks.

const (
	robustAction = `exports.onExecutePostLogin = async (event, api) => {
  if (event.request.geoip.countryCode !== 'US') api.authentication.challengeWith({type: 'otp'});
};
`
	robustPolicy = `name: robust
rules:
  - id: fr
    when: event.request.geoip.countryCode == 'FR'
    then: deny
    reason: no
  - id: app
    when: event.client.name == 'Admin'
    then: challenge
    factors: [otp]
  - id: user
    when: event.user.email == 'a@example.com'
    then: deny
    reason: no
default: allow
`
	usEvent = `{"request":{"geoip":{"countryCode":"US"}}}`
	frEvent = `{"request":{"geoip":{"countryCode":"FR"}}}`
)

type cliResult struct {
	code        int
	out, errOut string
}

// runCLI runs the command line in this process, with standard input in.
func runCLI(t *testing.T, in []byte, args ...string) cliResult {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(args, &streams{In: bytes.NewReader(in), Out: &out, Err: &errOut})
	if strings.Contains(errOut.String(), "panic") || strings.Contains(out.String(), "goroutine ") {
		t.Fatalf("mfapolicy %s panicked:\n%s", strings.Join(args, " "), errOut.String())
	}
	return cliResult{code, out.String(), errOut.String()}
}

// checkNoLeak fails when goroutines started during the test outlive it.
func checkNoLeak(t *testing.T) {
	t.Helper()
	runCLI(t, nil, "--help") // starts os/signal's own goroutine once
	before := runtime.NumGoroutine()
	t.Cleanup(func() {
		deadline := time.Now().Add(5 * time.Second)
		for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		if n := runtime.NumGoroutine(); n > before {
			buf := make([]byte, 1<<20)
			t.Errorf("%d goroutines before, %d after:\n%s", before, n, buf[:runtime.Stack(buf, true)])
		}
	})
}

func writeFiles(t *testing.T, files map[string][]byte) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func lines(ls ...string) []byte { return []byte(strings.Join(ls, "\n") + "\n") }

// TestRobustEvents runs simulate and diff on each broken input.
func TestRobustEvents(t *testing.T) {
	checkNoLeak(t)
	gz := func(b []byte) []byte { return hostile.Gzip(b) }
	cases := []struct {
		name  string
		data  []byte
		flags []string
		code  int
		// want are regular expressions the output (summary or message) must
		// match; replayed and malformed the counts of a run that completes.
		want                []string
		replayed, malformed int
	}{
		{name: "binary", data: hostile.Garbage(200000, 7), code: 2,
			want: []string{`^mfapolicy: no login could be read from the events: in:1: this is binary data, not JSON events; the file was not read\n$`}},
		{name: "html", data: hostile.HTMLPage(3000), code: 2,
			want: []string{`^mfapolicy: no login could be read from the events: in:1: this looks like an HTML or XML page \("<!DOCTYPE html>"\), not JSON events; the file was not read\n$`}},
		{name: "zip", data: []byte("PK\x03\x04rest of an archive"), code: 2, want: []string{`in:1: this is a zip archive, not JSON events`}},
		{name: "csv", data: lines("date,type,ip", "2024-05-01,s,1.2.3.4"), code: 2, want: []string{`in:1: no line starts a JSON object`}},
		{name: "empty", data: nil, code: 2, want: []string{`in:1: the file is empty: it holds no records\n$`}},
		{name: "empty gzip", data: gz(nil), code: 2, want: []string{`in:1: the file is empty`}},
		{name: "binary gzip", data: gz(hostile.Garbage(10000, 8)), code: 2, want: []string{`in:1: this is binary data`}},
		{name: "truncated gzip", data: hostile.TruncatedGzip(bytes.Repeat(lines(usEvent, frEvent), 500)),
			want: []string{`in:\d+: the gzip stream is damaged \(unexpected EOF\); the rest of the file was not read`}, replayed: -1, malformed: 1},
		{name: "invalid utf-8", data: append(hostile.InvalidUTF8(), lines(frEvent)...), replayed: 2},
		{name: "bom and crlf", data: []byte("\ufeff" + usEvent + "\r\n\r\n\ufeff" + frEvent + "\r\n"), replayed: 2},
		{name: "concatenated", data: append(hostile.Concatenated(), lines(frEvent)...),
			want: []string{`in:1: invalid JSON: invalid character '\{' after top-level value`}, replayed: 1, malformed: 1},
		{name: "not objects", data: lines(usEvent, `"a string"`, `5`, `null`, `[1]`, frEvent),
			want: []string{`in:2: expected a JSON object`, `in:5: expected a JSON object`}, replayed: 2, malformed: 4},
		{name: "deep", data: append(append(hostile.DeepJSON(100000), '\n'), lines(frEvent)...),
			want: []string{`in:1: the record nests arrays and objects deeper than 1000 levels \(--max-depth raises the limit\)`}, replayed: 1, malformed: 1},
		{name: "deep allowed", data: append(append(hostile.DeepJSON(3000), '\n'), lines(frEvent)...), flags: []string{"--max-depth", "5000"}, replayed: 2},
		{name: "deep in array", data: []byte("[" + usEvent + ",\n" + string(hostile.DeepJSON(20000)) + ",\n" + frEvent + "]"),
			want: []string{`in:2: invalid JSON: a value nests arrays and objects deeper than 10000 levels; the rest of the file was not read`}, replayed: 1, malformed: 1},
		{name: "long line", data: append(hostile.LongLine(1<<20), lines(frEvent)...), flags: []string{"--max-line", "64K"},
			want: []string{`in:1: the line is longer than 65536 bytes \(--max-line raises the limit\)`}, replayed: 1, malformed: 1},
		{name: "long array element", data: []byte("[" + usEvent + ",\n" + strings.TrimSpace(string(hostile.LongLine(1<<20))) + "]"), flags: []string{"--max-line", "64K"},
			want: []string{`in:2: a value is larger than 65536 bytes`}, replayed: 1, malformed: 1},
		{name: "gzip bomb", data: gz(hostile.LongLine(64 << 20)),
			want: []string{`in:1: the gzip stream expands to more than 100 times its size .*a decompression bomb`}, malformed: 1, code: 2},
		{name: "wrong log types", data: lines(`{"log_id":"1","data":5}`, `{"type":"s","log_id":"2","location_info":[],"details":"x"}`, `{"type":5,"log_id":"3"}`),
			replayed: -1},
		{name: "strict", data: append(hostile.Concatenated(), lines(frEvent)...), flags: []string{"--strict"}, code: 2,
			want: []string{`^mfapolicy: in:1: malformed record: invalid JSON`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := writeFiles(t, map[string][]byte{"in": c.data, "a.js": []byte(robustAction), "p.yaml": []byte(robustPolicy)})
			t.Chdir(dir)
			for _, cmd := range [][]string{
				{"simulate", "--action", "a.js", "--events", "in", "--format", "json"},
				{"simulate", "p.yaml", "--events", "-", "--format", "json"},
				{"diff", "p.yaml", "p.yaml", "--events", "in", "--format", "json"},
			} {
				stdin := cmd[len(cmd)-3] == "-"
				var in []byte
				if stdin {
					in = c.data
				}
				r := runCLI(t, in, append(cmd, c.flags...)...)
				if r.code != c.code {
					t.Fatalf("mfapolicy %s: exit %d, want %d\n%s%s", strings.Join(cmd, " "), r.code, c.code, r.errOut, r.out)
				}
				if cmd[0] == "diff" {
					continue // diff reports counts, not messages; its exit code is checked
				}
				text := r.errOut
				if r.code == 0 {
					text += checkCounts(t, r.out, c.replayed, c.malformed)
				}
				if stdin {
					text = strings.ReplaceAll(text, "<stdin>", "in")
				}
				for _, w := range c.want {
					if !regexp.MustCompile(`(?m)` + w).MatchString(text) {
						t.Errorf("mfapolicy %s: output does not match %q:\n%s", strings.Join(cmd, " "), w, limit(text))
					}
				}
			}
		})
	}
}

func limit(s string) string {
	if len(s) > 3000 {
		return s[:3000] + "…"
	}
	return s
}

// checkCounts checks the counts of a JSON summary and returns its
// problems as file:line: message lines.
func checkCounts(t *testing.T, out string, replayed, malformed int) string {
	t.Helper()
	var sum struct {
		Read      int64     `json:"read"`
		Replayed  int64     `json:"replayed"`
		Malformed int64     `json:"malformed"`
		Problems  diag.List `json:"problems"`
	}
	if err := json.Unmarshal([]byte(out), &sum); err != nil {
		t.Fatalf("summary: %v\n%s", err, limit(out))
		return ""
	}
	if replayed >= 0 && sum.Replayed != int64(replayed) || sum.Malformed != int64(malformed) {
		t.Errorf("replayed %d, malformed %d; want %d, %d", sum.Replayed, sum.Malformed, replayed, malformed)
	}
	var b strings.Builder
	for _, p := range sum.Problems {
		fmt.Fprintf(&b, "%s: %s\n", p.Pos, p.Message)
	}
	return b.String()
}

// TestRobustWrongTypes checks that values of the wrong JSON type reach the
// Action exactly as JSON.parse makes them, and that a compiled policy
// gives them the meaning docs/semantics.md defines: null reads as absent,
// any other wrong type is an error of the rule that reads it (on_error).
func TestRobustWrongTypes(t *testing.T) {
	checkNoLeak(t)
	action := `exports.onExecutePostLogin = async (event, api) => {
  api.access.deny(JSON.stringify([event.request, Array.isArray(event.user), typeof event.client, event.client]));
};
`
	events := lines(`{"request":null,"user":[],"client":5}`, `{"request":{"geoip":null},"user":{"email":"a@example.com"}}`, `{"client":{"name":5}}`, `{"user":[]}`)
	dir := writeFiles(t, map[string][]byte{"in": events, "raw.js": []byte(action), "p.yaml": []byte(robustPolicy)})
	t.Chdir(dir)
	r := runCLI(t, nil, "simulate", "--action", "raw.js", "--events", "in", "--out", "raw.ndjson")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.errOut)
	}
	got := readDecisions(t, "raw.ndjson")
	if want := `[null,true,"number",5]`; got[0]["reason"] != want {
		t.Errorf("the Action saw %v, want %s", got[0]["reason"], want)
	}
	r = runCLI(t, nil, "simulate", "p.yaml", "--events", "in", "--out", "policy.ndjson")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.errOut)
	}
	got = readDecisions(t, "policy.ndjson")
	// 1: request null reads as absent (no rule on countries matches), then
	// client 5 is an error of rule app: on_error challenges.
	// 2: geoip null is absent; the user rule denies.
	// 3: client.name 5 errors rule app.
	// 4: user [] errors rule user.
	want := []struct{ outcome, rule, err string }{
		{"challenge", "app", "client"}, {"deny", "user", ""}, {"challenge", "app", "name"}, {"challenge", "user", "user"},
	}
	for i, w := range want {
		d := got[i]
		e, _ := d["error"].(string)
		if d["outcome"] != w.outcome || d["rule"] != w.rule || !strings.Contains(e, w.err) || (w.err == "") != (e == "") {
			t.Errorf("line %d: got %v %v %q; want %s %s error mentioning %q", i+1, d["outcome"], d["rule"], e, w.outcome, w.rule, w.err)
		}
	}
}

func readDecisions(t *testing.T, path string) []map[string]any {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]any
	for _, l := range bytes.Split(bytes.TrimSpace(data), []byte("\n")) {
		var d map[string]any
		if err := json.Unmarshal(l, &d); err != nil {
			t.Fatal(err)
		}
		out = append(out, d)
	}
	return out
}

// TestRobustFiles feeds broken policies and test files to check and test.
func TestRobustFiles(t *testing.T) {
	checkNoLeak(t)
	const cases = "cases:\n  - name: fr\n    event: {request: {geoip: {countryCode: FR}}}\n    want: {outcome: deny, rule: fr}\n"
	files := map[string][]byte{
		"p.yaml":           []byte(robustPolicy),
		"crlf.yaml":        []byte("\ufeff" + strings.ReplaceAll(robustPolicy, "\n", "\r\n")),
		"laughs.yaml":      []byte(hostile.YAMLLaughs("lists", 9, 9) + "name: x\ndefault: allow\n"),
		"binary.yaml":      hostile.Garbage(5000, 3),
		"empty.yaml":       nil,
		"deepcel.yaml":     []byte("name: x\nrules:\n  - id: r\n    when: \"" + hostile.DeepCEL(100) + "\"\n    then: allow\ndefault: allow\n"),
		"longcel.yaml":     []byte("name: x\nrules:\n  - id: r\n    when: \"" + hostile.LongCEL(20000) + "\"\n    then: allow\ndefault: allow\n"),
		"ok_test.yaml":     []byte("\ufeffpolicy: p.yaml\r\n" + strings.ReplaceAll(cases, "\n", "\r\n")),
		"laughs_test.yaml": []byte("policy: p.yaml\n" + hostile.YAMLLaughs("base", 9, 9) + cases),
		"binary_test.yaml": hostile.Garbage(5000, 4),
		"empty_test.yaml":  nil,
		"wrong_test.yaml":  []byte("policy: p.yaml\ncases:\n  - name: c\n    event: {request: null, user: [], client: 5}\n    want: {outcome: challenge, rule: app}\n"),
	}
	dir := writeFiles(t, files)
	t.Chdir(dir)
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"check", "crlf.yaml"}, 0, ``},
		{[]string{"check", "laughs.yaml"}, 1, `laughs.yaml:\d+:\d+: error: list "l1" may hold only strings`},
		{[]string{"check", "binary.yaml"}, 1, `binary.yaml:1:1: error: invalid YAML`},
		{[]string{"check", "empty.yaml"}, 1, `empty.yaml:1:1: error: the policy file is empty`},
		{[]string{"check", "deepcel.yaml"}, 1, `deepcel.yaml:4:\d+: error: rule "r": expression recursion limit exceeded: 64`},
		{[]string{"check", "longcel.yaml"}, 1, `longcel.yaml:4:\d+: error: rule "r": expression code point size exceeds limit`},
		{[]string{"test", "ok_test.yaml"}, 0, `ok`},
		{[]string{"test", "laughs_test.yaml"}, 2, `laughs_test.yaml:\d+:\d+: error: the event holds more than 100000 values once its YAML aliases are expanded`},
		{[]string{"test", "binary_test.yaml"}, 2, `binary_test.yaml:1:1: error: `},
		{[]string{"test", "empty_test.yaml"}, 2, `empty_test.yaml:1:1: error: the test file is empty`},
		{[]string{"test", "wrong_test.yaml"}, 0, `ok`},
	} {
		start := time.Now()
		r := runCLI(t, nil, c.args...)
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("mfapolicy %s took %v", strings.Join(c.args, " "), d)
		}
		if r.code != c.code || !regexp.MustCompile(c.want).MatchString(r.out+r.errOut) {
			t.Errorf("mfapolicy %s: exit %d (want %d), output does not match %q:\n%s%s", strings.Join(c.args, " "), r.code, c.code, c.want, limit(r.out), limit(r.errOut))
		}
	}
}

// TestRobustOutput checks that --out is written whole or not at all: a
// failed run leaves the file as it was and no temporary file behind.
func TestRobustOutput(t *testing.T) {
	checkNoLeak(t)
	dir := writeFiles(t, map[string][]byte{
		"a.js": []byte(robustAction), "good": lines(usEvent, frEvent), "bad": append(lines(usEvent), hostile.Concatenated()...),
		"out.ndjson": []byte("previous\n"),
	})
	t.Chdir(dir)
	r := runCLI(t, nil, "simulate", "--action", "a.js", "--events", "bad", "--strict", "--out", "out.ndjson")
	if r.code != 2 {
		t.Fatalf("exit %d", r.code)
	}
	if data, _ := os.ReadFile("out.ndjson"); string(data) != "previous\n" {
		t.Errorf("a failed run changed out.ndjson: %q", data)
	}
	r = runCLI(t, nil, "simulate", "--action", "a.js", "--events", "good", "--out", "out.ndjson")
	if r.code != 0 || len(readDecisions(t, "out.ndjson")) != 2 {
		t.Errorf("exit %d, decisions written:\n%s", r.code, r.errOut)
	}
	r = runCLI(t, nil, "simulate", "--action", "a.js", "--events", "good", "--out", "missing/out.ndjson")
	if r.code != 2 || !strings.Contains(r.errOut, "cannot write decisions") {
		t.Errorf("exit %d: %s", r.code, r.errOut)
	}
	entries, _ := os.ReadDir(".")
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".tmp") {
			t.Errorf("temporary file left behind: %s", e.Name())
		}
	}
}

type brokenPipe struct{}

func (brokenPipe) Write([]byte) (int, error) { return 0, syscall.EPIPE }

// TestRobustBrokenPipe checks that a closed standard output stops the
// command with one message and exit 2.
func TestRobustBrokenPipe(t *testing.T) {
	checkNoLeak(t)
	dir := writeFiles(t, map[string][]byte{"a.js": []byte(robustAction), "good": lines(usEvent, frEvent)})
	t.Chdir(dir)
	var errOut bytes.Buffer
	code := run([]string{"simulate", "--action", "a.js", "--events", "good"}, &streams{Out: brokenPipe{}, Err: &errOut})
	if want := "mfapolicy: standard output was closed (broken pipe) after 0 bytes; the output is incomplete\n"; code != 2 || errOut.String() != want {
		t.Errorf("exit %d, %q", code, errOut.String())
	}
}

// TestRobustInterrupt interrupts a long run with SIGINT: it stops soon,
// says how far it got, exits 2 and leaves --out as it was.
func TestRobustInterrupt(t *testing.T) {
	checkNoLeak(t)
	slow := `exports.onExecutePostLogin = async (event, api) => { const end = Date.now() + 50; while (Date.now() < end) {} };`
	dir := writeFiles(t, map[string][]byte{"slow.js": []byte(slow), "ev": bytes.Repeat(lines(usEvent), 400), "out.ndjson": []byte("previous\n")})
	t.Chdir(dir)
	type result struct {
		code   int
		errOut string
	}
	done := make(chan result)
	go func() {
		var out, errOut bytes.Buffer
		code := run([]string{"simulate", "--action", "slow.js", "--events", "ev", "--workers", "1", "--out", "out.ndjson"}, &streams{Out: &out, Err: &errOut})
		done <- result{code, errOut.String()}
	}()
	// Wait for the run to write its temporary file, then interrupt it.
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if m, _ := filepath.Glob(".out.ndjson.*.tmp"); len(m) > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the run did not start")
		}
	}
	time.Sleep(200 * time.Millisecond)
	if err := syscall.Kill(os.Getpid(), syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	var r result
	select {
	case r = <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the run did not stop")
	}
	if r.code != 2 || !regexp.MustCompile(`^mfapolicy: interrupted after \d+ logins replayed; the run is incomplete and no summary was printed; out.ndjson was left as it was\n$`).MatchString(r.errOut) {
		t.Errorf("exit %d: %q", r.code, r.errOut)
	}
	if data, _ := os.ReadFile("out.ndjson"); string(data) != "previous\n" {
		t.Errorf("an interrupted run changed out.ndjson")
	}
	if m, _ := filepath.Glob(".out.ndjson.*.tmp"); len(m) > 0 {
		t.Errorf("temporary file left behind: %v", m)
	}
}
