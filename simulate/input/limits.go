package input

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"
)

// Limits bound what one input can make the reader hold or do, so that a
// hostile or broken file costs a located message, not the machine. The
// zero value means the defaults. docs/limits.md lists every limit.
type Limits struct {
	// MaxLine is the largest record in bytes: an NDJSON line, or one value
	// of a JSON array or of a stream of objects.
	MaxLine int
	// MaxDepth is the deepest nesting of arrays and objects in a record,
	// at most MaxDepthCeiling.
	MaxDepth int
	// MaxGzipRatio bounds how many times larger than its compressed size a
	// gzip input may grow when decompressed.
	MaxGzipRatio int
}

// Defaults of Limits, and the largest MaxDepth (encoding/json's own limit).
const (
	DefaultMaxLine      = 16 << 20
	DefaultMaxDepth     = 1000
	DefaultMaxGzipRatio = 100
	MaxDepthCeiling     = 10000
)

func (l Limits) WithDefaults() Limits {
	if l.MaxLine <= 0 {
		l.MaxLine = DefaultMaxLine
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = DefaultMaxDepth
	}
	l.MaxDepth = min(l.MaxDepth, MaxDepthCeiling)
	if l.MaxGzipRatio <= 0 {
		l.MaxGzipRatio = DefaultMaxGzipRatio
	}
	return l
}

// limitError is a limit an input ran into; the reader turns it into a
// located malformed item and stops reading that file.
type limitError struct{ msg string }

func (e *limitError) Error() string { return e.msg }

// nestedDeeper reports whether the JSON text nests arrays and objects
// deeper than limit. Counting brackets first keeps the common case to two
// fast scans.
func nestedDeeper(data []byte, limit int) bool {
	if bytes.Count(data, []byte("{"))+bytes.Count(data, []byte("[")) <= limit {
		return false
	}
	depth, inString := 0, false
	for i := 0; i < len(data); i++ {
		c := data[i]
		switch {
		case inString && c == '\\':
			i++
		case inString:
			inString = c != '"'
		case c == '"':
			inString = true
		case c == '{' || c == '[':
			if depth++; depth > limit {
				return true
			}
		case c == '}' || c == ']':
			depth--
		}
	}
	return false
}

// notJSON looks at the first bytes of an input (after gzip and a byte
// order mark) and says why it cannot be JSON events at all, or "" when it
// may be. It tells a binary file, another compression format, a saved web
// page and a text file of no JSON objects apart from a file with a few bad
// records, which is read record by record. eof says head is the whole input.
func notJSON(head []byte, eof bool) string {
	for _, m := range magics {
		if bytes.HasPrefix(head, []byte(m.prefix)) {
			return fmt.Sprintf("this is %s, not JSON events (only gzip is decompressed); the file was not read", m.name)
		}
	}
	if binary(head, eof) {
		return "this is binary data, not JSON events; the file was not read"
	}
	trimmed := bytes.TrimLeft(head, " \t\r\n")
	if len(trimmed) == 0 {
		if eof {
			return "the file is empty: it holds no records"
		}
		return ""
	}
	if trimmed[0] == '<' {
		return fmt.Sprintf("this looks like an HTML or XML page (%q), not JSON events; the file was not read", firstLine(trimmed, 40))
	}
	if trimmed[0] == '{' || trimmed[0] == '[' {
		return ""
	}
	// A text file: not JSON when none of its first complete lines starts
	// an object. (A first line cut in the middle of a record is fine.)
	lines := bytes.Split(trimmed, []byte("\n"))
	if !eof {
		lines = lines[:len(lines)-1] // the last one may be cut short
	}
	if len(lines) < 2 && !eof {
		return ""
	}
	for _, l := range lines {
		l = bytes.TrimLeft(bytes.TrimPrefix(bytes.TrimSpace(l), bom), " \t")
		if len(l) > 0 && (l[0] == '{' || l[0] == '[') {
			return ""
		}
	}
	return fmt.Sprintf("no line starts a JSON object (the first reads %q): this is not JSON events; the file was not read", firstLine(trimmed, 40))
}

var magics = []struct{ prefix, name string }{
	{"\x28\xb5\x2f\xfd", "zstd-compressed"},
	{"BZh", "bzip2-compressed"},
	{"\xfd7zXZ\x00", "xz-compressed"},
	{"PK\x03\x04", "a zip archive"},
	{"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"},
	{"%PDF", "a PDF document"},
}

// binary reports a NUL byte, or more than one byte in twenty that is a
// control character or not UTF-8.
func binary(head []byte, eof bool) bool {
	if bytes.IndexByte(head, 0) >= 0 {
		return true
	}
	bad := 0
	for i := 0; i < len(head); {
		r, n := utf8.DecodeRune(head[i:])
		if r == utf8.RuneError && n <= 1 && (eof || len(head)-i >= utf8.UTFMax) {
			bad++
		} else if r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0x7f {
			bad++
		}
		i += max(n, 1)
	}
	return bad*20 > len(head)
}

func firstLine(b []byte, n int) string {
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		b = b[:i]
	}
	b = bytes.TrimSpace(b)
	if len(b) > n {
		b = append(b[:n:n], "…"...)
	}
	return string(b)
}

// gzipGuard counts what a gzip stream reads and produces, and fails once
// the output outgrows the input by more than ratio (a decompression bomb).
// Small outputs are never refused, whatever their ratio.
type gzipGuard struct {
	z     io.Reader
	in    *countingReader
	out   int64
	ratio int64
}

const gzipGuardFloor = 8 << 20

func (g *gzipGuard) Read(p []byte) (int, error) {
	n, err := g.z.Read(p)
	g.out += int64(n)
	if g.out > gzipGuardFloor && g.out > g.ratio*g.in.n {
		return n, &limitError{fmt.Sprintf("the gzip stream expands to more than %d times its size (%d bytes from %d; a decompression bomb?); the rest of the file was not read (--max-gzip-ratio raises the limit)",
			g.ratio, g.out, g.in.n)}
	}
	return n, err
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

func isLimit(err error) (*limitError, bool) {
	var le *limitError
	ok := errors.As(err, &le)
	return le, ok
}
