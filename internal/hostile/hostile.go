// Package hostile generates broken and hostile inputs for the robustness
// tests and the fuzz seeds: binary garbage, truncated and bomb gzip
// streams, invalid UTF-8, deep nesting, enormous lines, YAML alias bombs
// and oversized CEL. Every generator is deterministic, so a failing test
// reproduces byte for byte.
//
//	data := hostile.DeepJSON(100000) // {"a":[[[[...]]]]}
package hostile

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"math/rand/v2"
	"strings"
)

// Garbage returns n bytes of seeded pseudo-random binary data.
func Garbage(n int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// HTMLPage is a web page saved by mistake in place of an export: an HTML
// document of about lines lines.
func HTMLPage(lines int) []byte {
	var b bytes.Buffer
	b.WriteString("<!DOCTYPE html>\n<html lang=\"en\">\n<head><title>Logs - Auth0 Dashboard</title></head>\n<body>\n")
	for i := 0; i < lines; i++ {
		fmt.Fprintf(&b, "<div class=\"log-row\">login %d</div>\n", i)
	}
	b.WriteString("</body>\n</html>\n")
	return b.Bytes()
}

// Gzip compresses data.
func Gzip(data []byte) []byte {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	_, _ = zw.Write(data)
	_ = zw.Close()
	return b.Bytes()
}

// TruncatedGzip compresses data and keeps the first half of the stream.
func TruncatedGzip(data []byte) []byte {
	z := Gzip(data)
	return z[:len(z)/2]
}

// GzipBomb is a small gzip stream that expands to n bytes of one NDJSON
// record repeated: valid input, but far more than its size suggests.
func GzipBomb(n int) []byte {
	var b bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
	rec := []byte(`{"request":{"geoip":{"countryCode":"US"}}}` + "\n")
	for written := 0; written < n; written += len(rec) {
		_, _ = zw.Write(rec)
	}
	_ = zw.Close()
	return b.Bytes()
}

// InvalidUTF8 is an NDJSON event whose country code holds bytes that are
// not UTF-8.
func InvalidUTF8() []byte {
	return []byte("{\"request\":{\"geoip\":{\"countryCode\":\"\xff\xfe\"}}}\n")
}

// DeepJSON is a JSON object holding depth nested arrays: {"a":[[...]]}.
func DeepJSON(depth int) []byte {
	return []byte(`{"a":` + strings.Repeat("[", depth) + strings.Repeat("]", depth) + `}`)
}

// LongLine is one NDJSON event of about n bytes, padded in a string field.
func LongLine(n int) []byte {
	const head, tail = `{"request":{"geoip":{"countryCode":"US"}},"pad":"`, "\"}\n"
	if n < len(head)+len(tail) {
		n = len(head) + len(tail)
	}
	b := make([]byte, 0, n)
	b = append(b, head...)
	b = append(b, bytes.Repeat([]byte("x"), n-len(head)-len(tail))...)
	return append(b, tail...)
}

// Concatenated is several JSON objects on one line, without separators.
func Concatenated() []byte {
	return []byte(`{"request":{"geoip":{"countryCode":"US"}}}{"request":{"geoip":{"countryCode":"FR"}}}` + "\n")
}

// YAMLLaughs is a "billion laughs" YAML mapping under key: levels of
// anchors, each a list of width aliases of the one before, so that a
// loader that expands aliases builds width^levels values.
func YAMLLaughs(key string, levels, width int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s:\n  l0: &l0 [%s]\n", key, strings.TrimSuffix(strings.Repeat("lol,", width), ","))
	for i := 1; i <= levels; i++ {
		fmt.Fprintf(&b, "  l%d: &l%d [%s]\n", i, i, strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*l%d,", i-1), width), ","))
	}
	return b.String()
}

// DeepCEL is a CEL condition of depth nested parentheses.
func DeepCEL(depth int) string {
	return strings.Repeat("(", depth) + "true" + strings.Repeat(")", depth)
}

// LongCEL is a CEL condition of about n code points: a chain of ||.
func LongCEL(n int) string {
	var b strings.Builder
	b.WriteString("false")
	for b.Len() < n {
		b.WriteString(" || event.request.geoip.countryCode == 'FR'")
	}
	return b.String()
}
