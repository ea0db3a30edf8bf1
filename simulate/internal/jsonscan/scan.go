package jsonscan

import (
	"bytes"
	"errors"
	"fmt"
	"math/bits"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// Scanner walks one JSON text as JSON.parse reads it. It is the part the
// simulator's decoders share: the one that builds an event in goja
// (simulate/engine/eventvalue.go), the one that builds the projected Go
// value a classifier reads (simulate/input/project.go) and the span
// locator (simulate/input/spans.go), each of which embeds it. Data is the text, Pos the
// next byte to read, U16 a buffer reused for escaped strings. Records
// reach it validated, but every step still stops at the end of the input.
type Scanner struct {
	Data []byte
	Pos  int
	U16  []uint16 // escaped strings being decoded
}

// MaxInterned bounds the shared strings and keys of one decoder, and
// MaxInternedLen the length of a string it shares: the event decoder and
// the projected decoder intern alike.
const (
	MaxInterned    = 1 << 10
	MaxInternedLen = 24
)

// Errorf is an error at the current position.
func (d *Scanner) Errorf(format string, args ...any) error {
	return fmt.Errorf("invalid JSON at byte %d: %s", d.Pos, fmt.Sprintf(format, args...))
}

// Space skips white space.
func (d *Scanner) Space() {
	for d.Pos < len(d.Data) {
		switch d.Data[d.Pos] {
		case ' ', '\t', '\r', '\n':
			d.Pos++
		default:
			return
		}
	}
}

// ScanString finds the end of the string at d.Pos (the opening quote) and
// returns its raw contents and whether they are plain: ASCII without
// escapes, so that the bytes are the string.
func (d *Scanner) ScanString() (raw []byte, plain bool, err error) {
	data := d.Data
	start := d.Pos + 1
	plain = true
	for i := start; i < len(data); {
		// Eight bytes at a time, to the first that ends the string,
		// starts an escape, is a control character or is not ASCII.
		if i+8 <= len(data) {
			m := special(load64(data[i:]))
			if m == 0 {
				i += 8
				continue
			}
			i += bits.TrailingZeros64(m) >> 3
		}
		switch c := data[i]; {
		case c == '"':
			d.Pos = i + 1
			return data[start:i], plain, nil
		case c == '\\':
			plain = false
			i += 2
			continue
		case c < 0x20:
			d.Pos = i
			return nil, false, d.Errorf("control character in a string")
		case c >= utf8.RuneSelf:
			plain = false
		}
		i++
	}
	d.Pos = len(data)
	return nil, false, d.Errorf("unterminated string")
}

// special returns the bytes of w that are '"', '\\', below 0x20 or not
// ASCII, as their top bits (the usual bit tricks: a byte b of w is zero
// exactly when (b - 1) & ^b has its top bit set; a borrow can mark a byte
// above a marked one, never below, so the lowest mark is exact).
func special(w uint64) uint64 {
	const ones, tops = 0x0101010101010101, 0x8080808080808080
	zero := func(x uint64) uint64 { return (x - ones) & ^x & tops }
	below := (w - ones*0x20) & ^w & tops
	return below | zero(w^(ones*'"')) | zero(w^(ones*'\\')) | w&tops
}

// load64 reads eight bytes, the first the lowest (one load on the usual
// machines: the compiler knows the pattern).
func load64(b []byte) uint64 {
	_ = b[7]
	return uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
		uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
}

// HasEscape reports whether a string's raw contents hold a backslash.
func HasEscape(raw []byte) bool {
	for _, c := range raw {
		if c == '\\' {
			return true
		}
	}
	return false
}

// Unescape decodes the contents of a string with escapes into UTF-16 code
// units, as JSON.parse does: \uXXXX gives that code unit even when it is
// half of a surrogate pair, raw UTF-8 is decoded rune by rune.
func (d *Scanner) Unescape(raw []byte) ([]uint16, error) {
	u := d.U16[:0]
	for i := 0; i < len(raw); {
		c := raw[i]
		switch {
		case c == '\\':
			if i+1 >= len(raw) {
				return nil, d.Errorf("bad escape in a string")
			}
			switch e := raw[i+1]; e {
			case '"', '\\', '/':
				u = append(u, uint16(e))
			case 'b':
				u = append(u, '\b')
			case 'f':
				u = append(u, '\f')
			case 'n':
				u = append(u, '\n')
			case 'r':
				u = append(u, '\r')
			case 't':
				u = append(u, '\t')
			case 'u':
				if i+6 > len(raw) {
					return nil, d.Errorf("bad \\u escape in a string")
				}
				n, err := strconv.ParseUint(string(raw[i+2:i+6]), 16, 16)
				if err != nil {
					return nil, d.Errorf("bad \\u escape in a string")
				}
				u = append(u, uint16(n))
				i += 6
				continue
			default:
				return nil, d.Errorf("bad escape in a string")
			}
			i += 2
		case c < utf8.RuneSelf:
			u = append(u, uint16(c))
			i++
		default:
			r, size := utf8.DecodeRune(raw[i:])
			u = utf16.AppendRune(u, r)
			i += size
		}
	}
	d.U16 = u
	return u, nil
}

// Skip passes over the value at d.Pos without building it, checking it
// as strictly as JSON.parse would: a record whose skipped parts are not
// JSON is malformed, not replayed.
func (d *Scanner) Skip() error {
	if d.Pos >= len(d.Data) {
		return d.Errorf("unexpected end of input")
	}
	switch c := d.Data[d.Pos]; {
	case c == '{':
		return d.skipContainer('}', true)
	case c == '[':
		return d.skipContainer(']', false)
	case c == '"':
		raw, plain, err := d.ScanString()
		if err == nil && !plain {
			err = d.CheckEscapes(raw)
		}
		return err
	case c == 't':
		return d.Word("true")
	case c == 'f':
		return d.Word("false")
	case c == 'n':
		return d.Word("null")
	case c == '-' || (c >= '0' && c <= '9'):
		start := d.Pos
		for d.Pos < len(d.Data) && numberByte(d.Data[d.Pos]) {
			d.Pos++
		}
		if !validNumber(d.Data[start:d.Pos]) {
			return d.Errorf("bad number %q", d.Data[start:d.Pos])
		}
		return nil
	}
	return d.Errorf("unexpected character %q", d.Data[d.Pos])
}

// SkipChecked passes over the value at d.Pos of a text already checked as
// JSON (a record the reader has validated): a string to its closing
// quote, a container to its closing bracket, counting brackets outside
// strings, anything else to the byte that ends it. It checks nothing, and
// at the end of the input it stops there.
func (d *Scanner) SkipChecked() {
	data := d.Data
	i := d.Pos
	if i >= len(data) {
		return
	}
	switch data[i] {
	case '"':
		d.Pos = stringEnd(data, i)
		return
	case '{', '[':
	default:
		for i < len(data) && data[i] != ',' && data[i] != '}' && data[i] != ']' && data[i] > ' ' {
			i++
		}
		d.Pos = i
		return
	}
	depth := 0
	for i < len(data) {
		switch data[i] {
		case '"':
			i = stringEnd(data, i)
			continue
		case '{', '[':
			depth++
		case '}', ']':
			if depth--; depth == 0 {
				d.Pos = i + 1
				return
			}
		}
		i++
	}
	d.Pos = i
}

// stringEnd is the position after the string whose opening quote is at
// i: after the first quote not escaped, one preceded by an even number of
// backslashes.
func stringEnd(data []byte, i int) int {
	start := i + 1
	for j := start; ; {
		k := bytes.IndexByte(data[j:], '"')
		if k < 0 {
			return len(data)
		}
		q := j + k
		n := 0
		for b := q - 1; b >= start && data[b] == '\\'; b-- {
			n++
		}
		if n%2 == 0 {
			return q + 1
		}
		j = q + 1
	}
}

// numberByte tells whether c can be part of a number's text.
func numberByte(c byte) bool {
	return c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E'
}

// skipContainer passes over an object (keyed) or an array.
func (d *Scanner) skipContainer(end byte, keyed bool) error {
	d.Pos++
	d.Space()
	if d.Pos < len(d.Data) && d.Data[d.Pos] == end {
		d.Pos++
		return nil
	}
	for {
		d.Space()
		if keyed {
			if d.Pos >= len(d.Data) || d.Data[d.Pos] != '"' {
				return d.Errorf("expected a string key")
			}
			if err := d.Skip(); err != nil {
				return err
			}
			d.Space()
			if d.Pos >= len(d.Data) || d.Data[d.Pos] != ':' {
				return d.Errorf("expected ':'")
			}
			d.Pos++
			d.Space()
		}
		if err := d.Skip(); err != nil {
			return err
		}
		d.Space()
		if d.Pos >= len(d.Data) {
			return d.Errorf("unexpected end of input")
		}
		switch d.Data[d.Pos] {
		case ',':
			d.Pos++
		case end:
			d.Pos++
			return nil
		default:
			return d.Errorf("expected ',' or %q", end)
		}
	}
}

// CheckEscapes checks the escapes of a string's raw contents.
func (d *Scanner) CheckEscapes(raw []byte) error {
	for i := 0; i < len(raw); i++ {
		if raw[i] != '\\' {
			continue
		}
		if i+1 >= len(raw) {
			return d.Errorf("bad escape in a string")
		}
		switch raw[i+1] {
		case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			i++
		case 'u':
			if i+6 > len(raw) || !isHex4(raw[i+2:i+6]) {
				return d.Errorf("bad \\u escape in a string")
			}
			i += 5
		default:
			return d.Errorf("bad escape in a string")
		}
	}
	return nil
}

func isHex4(b []byte) bool {
	for _, c := range b {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// validNumber tells whether text is a JSON number:
// -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
func validNumber(text []byte) bool {
	i := 0
	digits := func() int {
		start := i
		for i < len(text) && text[i] >= '0' && text[i] <= '9' {
			i++
		}
		return i - start
	}
	if i < len(text) && text[i] == '-' {
		i++
	}
	switch n := digits(); {
	case n == 0, n > 1 && text[i-n] == '0':
		return false
	}
	if i < len(text) && text[i] == '.' {
		i++
		if digits() == 0 {
			return false
		}
	}
	if i < len(text) && (text[i] == 'e' || text[i] == 'E') {
		i++
		if i < len(text) && (text[i] == '+' || text[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == len(text)
}

// Number reads a Number as JSON.parse does: a float64, rounded to nearest
// (out of range is ±Inf, as in Node.js).
func (d *Scanner) Number() (float64, error) {
	start := d.Pos
	whole, neg, n := true, false, int64(0)
	if d.Data[d.Pos] == '-' {
		neg = true
		d.Pos++
	}
	digits := 0
	for d.Pos < len(d.Data) {
		c := d.Data[d.Pos]
		switch {
		case c >= '0' && c <= '9':
			n = n*10 + int64(c-'0')
			digits++
		case c == '-', c == '+', c == '.', c == 'e', c == 'E':
			whole = false
		default:
			goto done
		}
		d.Pos++
	}
done:
	text := d.Data[start:d.Pos]
	if !validNumber(text) {
		return 0, d.Errorf("bad number %q", text)
	}
	if whole && digits > 0 && digits <= 15 && (digits == 1 || text[len(text)-digits] != '0') {
		if neg {
			if n == 0 {
				return negZero, nil
			}
			n = -n
		}
		return float64(n), nil
	}
	f, err := strconv.ParseFloat(string(text), 64)
	if err != nil {
		var ne *strconv.NumError
		if !errors.As(err, &ne) || ne.Err != strconv.ErrRange {
			return 0, d.Errorf("bad number %q", text)
		}
		// Out of range: ParseFloat returns ±Inf, as JSON.parse does.
	}
	return f, nil
}

var negZero = func() float64 { z := 0.0; return -z }()

// Word reads the literal true, false or null.
func (d *Scanner) Word(w string) error {
	if len(d.Data)-d.Pos < len(w) || string(d.Data[d.Pos:d.Pos+len(w)]) != w {
		return d.Errorf("expected %s", w)
	}
	d.Pos += len(w)
	return nil
}
