package input

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/mfapolicy/mfapolicy/internal/hostile"
)

// readAllItems reads every item of one input.
func readAllItems(t *testing.T, name string, data []byte) []Item {
	t.Helper()
	rd := NewReader(name, bytes.NewReader(data))
	var out []Item
	for i := 0; ; i++ {
		it, err := rd.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatalf("Next: %v", err)
		}
		if i > 10000 {
			t.Fatal("reader does not end")
		}
		out = append(out, it)
	}
}

// summarize renders items as "kind@line" for compact assertions.
func summarize(items []Item) string {
	var parts []string
	for _, it := range items {
		switch it.Kind {
		case ItemEvent:
			parts = append(parts, fmt.Sprintf("event@%d", it.Event.Line))
		case ItemSkipped:
			parts = append(parts, "skip:"+it.LogType)
		case ItemMalformed:
			parts = append(parts, fmt.Sprintf("bad@%d", it.Problem.Line))
		}
	}
	return strings.Join(parts, " ")
}

const (
	evUS = `{"request":{"geoip":{"countryCode":"US"}},"client":{"name":"Portal"},"transaction":{"id":"tx1"}}`
	evDE = `{"request":{"geoip":{"countryCode":"DE"}},"client":{"client_id":"cid"},"session":{"id":"s1"}}`
)

func TestNDJSON(t *testing.T) {
	in := "\uFEFF" + evUS + "\r\n\r\n   \n" + evDE + "\r\n{not json\n[1]\n\"str\"\n" + evUS
	items := readAllItems(t, "e.ndjson", []byte(in))
	if got, want := summarize(items), "event@1 event@4 bad@5 bad@6 bad@7 event@8"; got != want {
		t.Fatalf("got %s, want %s", got, want)
	}
	if e := items[0].Event; e.ID != "tx1" || e.Country != "US" || e.Application != "Portal" || e.File != "e.ndjson" {
		t.Errorf("first event: %+v", e)
	}
	if e := items[1].Event; e.ID != "s1" || e.Application != "cid" {
		t.Errorf("second event: %+v", e)
	}
	if p := items[2].Problem; p.Pos.String() != "e.ndjson:5" || !strings.Contains(p.Message, "invalid JSON") {
		t.Errorf("problem: %+v", p)
	}
	if !strings.Contains(items[3].Problem.Message, "expected a JSON object") {
		t.Errorf("array line: %+v", items[3].Problem)
	}
}

func TestBOMInsideStream(t *testing.T) {
	// Files joined with cat keep the second file's byte order mark.
	in := evUS + "\n\uFEFF" + evDE + "\n"
	if got := summarize(readAllItems(t, "x", []byte(in))); got != "event@1 event@2" {
		t.Fatal(got)
	}
}

func TestJSONArray(t *testing.T) {
	in := "\uFEFF[\n  " + evUS + ",\n\n  " + evDE + ",\n  {\n    \"a\": 1\n  }\n]\n"
	items := readAllItems(t, "a.json", []byte(in))
	if got, want := summarize(items), "event@2 event@4 event@5"; got != want {
		t.Fatalf("got %s, want %s", got, want)
	}
	var v map[string]any
	if err := json.Unmarshal(items[2].Event.JSON, &v); err != nil || v["a"] != 1.0 {
		t.Errorf("third element: %s", items[2].Event.JSON)
	}
}

func TestJSONArraySyntaxError(t *testing.T) {
	in := "[\n" + evUS + ",\n{\"a\": tru},\n" + evDE + "\n]"
	items := readAllItems(t, "a.json", []byte(in))
	if got, want := summarize(items), "event@2 bad@3"; got != want {
		t.Fatalf("got %s, want %s", got, want)
	}
	if !strings.Contains(items[1].Problem.Message, "rest of the file was not read") {
		t.Errorf("message: %s", items[1].Problem.Message)
	}
}

func TestJSONArrayTruncated(t *testing.T) {
	items := readAllItems(t, "a.json", []byte("[\n"+evUS+",\n"+evDE[:20]))
	if got := summarize(items); got != "event@2 bad@3" {
		t.Fatal(got)
	}
}

func TestPrettyPrintedObjects(t *testing.T) {
	in := "{\n  \"request\": {\"geoip\": {\"countryCode\": \"US\"}}\n}\n{\n  \"user\": {}\n}\n"
	if got := summarize(readAllItems(t, "p.json", []byte(in))); got != "event@1 event@4" {
		t.Fatal(got)
	}
}

func gz(t *testing.T, data string) []byte {
	t.Helper()
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	if _, err := w.Write([]byte(data)); err != nil {
		t.Fatal(err)
	}
	w.Close()
	return b.Bytes()
}

func TestGzip(t *testing.T) {
	items := readAllItems(t, "e.ndjson.gz", gz(t, evUS+"\n"+evDE+"\n"))
	if got := summarize(items); got != "event@1 event@2" {
		t.Fatal(got)
	}
	items = readAllItems(t, "a.json.gz", gz(t, "["+evUS+","+evDE+"]"))
	if got := summarize(items); got != "event@1 event@1" {
		t.Fatal(got)
	}
}

func TestTruncatedGzip(t *testing.T) {
	var lines []string
	for i := 0; i < 2000; i++ {
		lines = append(lines, fmt.Sprintf(`{"user":{"user_id":"u%d"},"pad":"%s"}`, i, strings.Repeat("x", i%50)))
	}
	data := gz(t, strings.Join(lines, "\n"))
	items := readAllItems(t, "cut.ndjson.gz", data[:len(data)/2])
	if len(items) < 2 {
		t.Fatalf("only %d items", len(items))
	}
	last := items[len(items)-1]
	if last.Kind != ItemMalformed || !strings.Contains(last.Problem.Message, "gzip stream is damaged") {
		t.Fatalf("last item: %+v", last)
	}
	if last.Problem.Line != len(items) {
		t.Errorf("truncation reported at line %d after %d events", last.Problem.Line, len(items)-1)
	}
	for _, it := range items[:len(items)-1] {
		if it.Kind != ItemEvent {
			t.Fatalf("unexpected %+v", it)
		}
	}
}

func TestLongLineIsMalformed(t *testing.T) {
	big := `{"x":"` + strings.Repeat("a", DefaultMaxLine) + `"}`
	items := readAllItems(t, "big", []byte(big+"\n"+evUS+"\n"))
	if got := summarize(items); got != "bad@1 event@2" {
		t.Fatal(got)
	}
}

func TestGarbageNeverPanics(t *testing.T) {
	inputs := []string{"", "\x00\x01\x02", "[", "]", "[{]", "{", "{\n", "\x1f\x8b", "\x1f\x8b\x08\x00garbage",
		"[1,2,", "{}{}", "null", "[null]", `{"log_id":"x","data":5}`, `{"type":5,"log_id":"1"}`, "\uFEFF", "\r\n\r\n"}
	for _, in := range inputs {
		readAllItems(t, "g", []byte(in))
	}
}

func FuzzReader(f *testing.F) {
	f.Add([]byte(evUS + "\n" + evDE))
	f.Add([]byte("[" + evUS + "]"))
	f.Add([]byte(`{"log_id":"1","data":{"type":"s","location_info":{"country_code":"US"}}}`))
	// Hostile inputs: garbage, HTML, invalid UTF-8, deep nesting, gzip
	// (whole, truncated, a bomb) and concatenated objects.
	for _, seed := range [][]byte{hostile.Garbage(512, 1), hostile.HTMLPage(5), hostile.InvalidUTF8(),
		hostile.DeepJSON(200), hostile.Gzip([]byte(evUS + "\n" + evDE)), hostile.TruncatedGzip([]byte(evUS)),
		hostile.GzipBomb(1 << 16), hostile.Concatenated(), hostile.LongLine(4096)} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		rd := NewReader("fuzz", bytes.NewReader(data))
		for i := 0; i < 1<<16; i++ {
			if _, err := rd.Next(); err != nil {
				return
			}
		}
		t.Fatal("reader does not end")
	})
}

// TestArenaLines reads lines into one buffer, as the simulator's batches
// do: each line is its own bytes, clipped so that appending to one cannot
// reach the next, also for a line longer than the reader's buffer, and a
// line over the limit leaves nothing behind.
func TestArenaLines(t *testing.T) {
	long := `{"a":"` + strings.Repeat("x", 10000) + `"}`
	in := `{"n":1}` + "\n" + long + "\n" + `{"big":"` + strings.Repeat("y", 12000) + `"}` + "\n" + `{"n":3}` + "\n"
	r := NewLimitedReader("t", strings.NewReader(in), Limits{MaxLine: 11000})
	r.br = bufio.NewReaderSize(strings.NewReader(in), 4096)
	var arena []byte
	r.arena = &arena
	var lines [][]byte
	for {
		line, tooLong, err := r.readLine()
		if len(line) > 0 || tooLong {
			lines = append(lines, line)
		}
		if err != nil {
			break
		}
	}
	if len(lines) != 4 {
		t.Fatalf("%d lines", len(lines))
	}
	for i, l := range lines {
		if cap(l) != len(l)+1 && len(l) > 0 { // the newline trimmed off
			t.Errorf("line %d: len %d cap %d: not clipped", i, len(l), cap(l))
		}
	}
	_ = append(lines[0], "!!!!!!!!!!"...)
	if string(lines[0]) != `{"n":1}` || string(lines[1]) != long || len(lines[2]) != 0 || string(lines[3]) != `{"n":3}` {
		t.Fatalf("lines changed: %q / %q", lines[0], lines[3])
	}
	if want := 8 + len(long) + 1 + 8; len(arena) != want {
		t.Errorf("arena holds %d bytes, want %d", len(arena), want)
	}
}
