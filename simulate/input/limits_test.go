package input

import (
	"bytes"
	"strconv"
	"strings"
	"testing"

	"github.com/mfapolicy/mfapolicy/internal/hostile"
)

// TestLimits feeds each broken or hostile input to the reader and checks
// the items it yields: "event@LINE" or "bad@LINE:MESSAGE-FRAGMENT".
func TestLimits(t *testing.T) {
	us := `{"request":{"geoip":{"countryCode":"US"}}}`
	cases := []struct {
		name   string
		data   []byte
		limits Limits
		want   []string
	}{
		{"binary", hostile.Garbage(5000, 1), Limits{}, []string{"bad@1:binary data"}},
		{"binary gzip", hostile.Gzip(hostile.Garbage(5000, 2)), Limits{}, []string{"bad@1:binary data"}},
		{"html", hostile.HTMLPage(3000), Limits{}, []string{"bad@1:HTML or XML page"}},
		{"zstd", []byte("\x28\xb5\x2f\xfd\x00\x00"), Limits{}, []string{"bad@1:zstd-compressed"}},
		{"csv", []byte("date,type,ip\n2024-01-01,s,1.2.3.4\n"), Limits{}, []string{"bad@1:no line starts a JSON object"}},
		{"empty", nil, Limits{}, []string{"bad@1:the file is empty"}},
		{"blank", []byte("\n \r\n"), Limits{}, []string{"bad@1:the file is empty"}},
		{"empty gzip", hostile.Gzip(nil), Limits{}, []string{"bad@1:the file is empty"}},
		{"cut first line", []byte("ountryCode\":\"US\"}}}\n" + us + "\n"), Limits{}, []string{"bad@1:", "event@2"}},
		{"latin-1 record", append(hostile.InvalidUTF8(), us...), Limits{}, []string{"event@1", "event@2"}},
		{"deep", append(append(hostile.DeepJSON(1001), '\n'), us...), Limits{}, []string{"bad@1:deeper than 1000 levels", "event@2"}},
		{"very deep", append(append(hostile.DeepJSON(100000), '\n'), us...), Limits{}, []string{"bad@1:deeper than 1000", "event@2"}},
		{"deep allowed", append(append(hostile.DeepJSON(1500), '\n'), us...), Limits{MaxDepth: 2000}, []string{"event@1", "event@2"}},
		{"deep in array", []byte("[" + string(hostile.DeepJSON(1001)) + ",\n" + us + "]"), Limits{}, []string{"bad@1:deeper than 1000", "event@2"}},
		{"very deep in array", []byte("[" + us + ",\n" + string(hostile.DeepJSON(20000)) + ",\n" + us + "]"), Limits{}, []string{"event@1", "bad@2:deeper than 10000 levels; the rest"}},
		{"long line", append(hostile.LongLine(5000), us...), Limits{MaxLine: 4096}, []string{"bad@1:longer than 4096 bytes", "event@2"}},
		{"long value in array", []byte("[" + us + ",\n" + strings.TrimSpace(string(hostile.LongLine(200000))) + ",\n" + us + "]"), Limits{MaxLine: 4096},
			[]string{"event@1", "bad@2:larger than 4096 bytes"}},
		{"concatenated", hostile.Concatenated(), Limits{}, []string{"bad@1:invalid JSON"}},
		{"bomb", hostile.GzipBomb(64 << 20), Limits{}, []string{"event@1", "...", "bad@:more than 100 times"}},
		{"bomb allowed", hostile.GzipBomb(16 << 20), Limits{MaxGzipRatio: 1000}, []string{"event@1", "...", "event@"}},
		{"truncated gzip", hostile.TruncatedGzip(bytes.Repeat([]byte(us+"\n"), 2000)), Limits{}, []string{"event@1", "...", "bad@:gzip stream is damaged"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rd := NewLimitedReader("in", bytes.NewReader(c.data), c.limits)
			var got []string
			for i := 0; ; i++ {
				it, err := rd.Next()
				if err != nil {
					break
				}
				if i > 1<<20 {
					t.Fatal("the reader does not end")
				}
				switch it.Kind {
				case ItemEvent:
					got = append(got, "event@"+strconv.Itoa(it.Event.Line))
				case ItemMalformed:
					got = append(got, "bad@"+strconv.Itoa(it.Problem.Line)+":"+it.Problem.Message)
				}
			}
			if len(got) > 3 {
				got = []string{got[0], "...", got[len(got)-1]}
			}
			if len(got) != len(c.want) {
				t.Fatalf("got %q\nwant %q", got, c.want)
			}
			for i, w := range c.want {
				at, frag, _ := strings.Cut(w, ":")
				if !strings.HasPrefix(got[i], at) || !strings.Contains(got[i], frag) {
					t.Errorf("item %d: got %q, want %q", i, got[i], w)
				}
			}
		})
	}
}
