package simulate

import (
	"errors"
	"fmt"
	"math/bits"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// scanner walks one JSON text as JSON.parse reads it. It is the part the
// two decoders share: the one that builds an event in goja (eventvalue.go)
// and the one that builds the projected Go value a classifier reads
// (project.go). Records reach it validated, but every step still stops at
// the end of the input.
type scanner struct {
	data []byte
	pos  int
	u16  []uint16 // escaped strings being decoded
}

func (d *scanner) errorf(format string, args ...any) error {
	return fmt.Errorf("invalid JSON at byte %d: %s", d.pos, fmt.Sprintf(format, args...))
}

func (d *scanner) space() {
	for d.pos < len(d.data) {
		switch d.data[d.pos] {
		case ' ', '\t', '\r', '\n':
			d.pos++
		default:
			return
		}
	}
}

// scanString finds the end of the string at d.pos (the opening quote) and
// returns its raw contents and whether they are plain: ASCII without
// escapes, so that the bytes are the string.
func (d *scanner) scanString() (raw []byte, plain bool, err error) {
	data := d.data
	start := d.pos + 1
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
			d.pos = i + 1
			return data[start:i], plain, nil
		case c == '\\':
			plain = false
			i += 2
			continue
		case c < 0x20:
			d.pos = i
			return nil, false, d.errorf("control character in a string")
		case c >= utf8.RuneSelf:
			plain = false
		}
		i++
	}
	d.pos = len(data)
	return nil, false, d.errorf("unterminated string")
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

func hasEscape(raw []byte) bool {
	for _, c := range raw {
		if c == '\\' {
			return true
		}
	}
	return false
}

// unescape decodes the contents of a string with escapes into UTF-16 code
// units, as JSON.parse does: \uXXXX gives that code unit even when it is
// half of a surrogate pair, raw UTF-8 is decoded rune by rune.
func (d *scanner) unescape(raw []byte) ([]uint16, error) {
	u := d.u16[:0]
	for i := 0; i < len(raw); {
		c := raw[i]
		switch {
		case c == '\\':
			if i+1 >= len(raw) {
				return nil, d.errorf("bad escape in a string")
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
					return nil, d.errorf("bad \\u escape in a string")
				}
				n, err := strconv.ParseUint(string(raw[i+2:i+6]), 16, 16)
				if err != nil {
					return nil, d.errorf("bad \\u escape in a string")
				}
				u = append(u, uint16(n))
				i += 6
				continue
			default:
				return nil, d.errorf("bad escape in a string")
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
	d.u16 = u
	return u, nil
}

// skip passes over the value at d.pos without building it, checking it
// as strictly as JSON.parse would: a record whose skipped parts are not
// JSON is malformed, not replayed.
func (d *scanner) skip() error {
	if d.pos >= len(d.data) {
		return d.errorf("unexpected end of input")
	}
	switch c := d.data[d.pos]; {
	case c == '{':
		return d.skipContainer('}', true)
	case c == '[':
		return d.skipContainer(']', false)
	case c == '"':
		raw, plain, err := d.scanString()
		if err == nil && !plain {
			err = d.checkEscapes(raw)
		}
		return err
	case c == 't':
		return d.word("true")
	case c == 'f':
		return d.word("false")
	case c == 'n':
		return d.word("null")
	case c == '-' || (c >= '0' && c <= '9'):
		start := d.pos
		for d.pos < len(d.data) && numberByte(d.data[d.pos]) {
			d.pos++
		}
		if !validNumber(d.data[start:d.pos]) {
			return d.errorf("bad number %q", d.data[start:d.pos])
		}
		return nil
	}
	return d.errorf("unexpected character %q", d.data[d.pos])
}

// numberByte tells whether c can be part of a number's text.
func numberByte(c byte) bool {
	return c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E'
}

// skipContainer passes over an object (keyed) or an array.
func (d *scanner) skipContainer(end byte, keyed bool) error {
	d.pos++
	d.space()
	if d.pos < len(d.data) && d.data[d.pos] == end {
		d.pos++
		return nil
	}
	for {
		d.space()
		if keyed {
			if d.pos >= len(d.data) || d.data[d.pos] != '"' {
				return d.errorf("expected a string key")
			}
			if err := d.skip(); err != nil {
				return err
			}
			d.space()
			if d.pos >= len(d.data) || d.data[d.pos] != ':' {
				return d.errorf("expected ':'")
			}
			d.pos++
			d.space()
		}
		if err := d.skip(); err != nil {
			return err
		}
		d.space()
		if d.pos >= len(d.data) {
			return d.errorf("unexpected end of input")
		}
		switch d.data[d.pos] {
		case ',':
			d.pos++
		case end:
			d.pos++
			return nil
		default:
			return d.errorf("expected ',' or %q", end)
		}
	}
}

// checkEscapes checks the escapes of a string's raw contents.
func (d *scanner) checkEscapes(raw []byte) error {
	for i := 0; i < len(raw); i++ {
		if raw[i] != '\\' {
			continue
		}
		if i+1 >= len(raw) {
			return d.errorf("bad escape in a string")
		}
		switch raw[i+1] {
		case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			i++
		case 'u':
			if i+6 > len(raw) || !isHex4(raw[i+2:i+6]) {
				return d.errorf("bad \\u escape in a string")
			}
			i += 5
		default:
			return d.errorf("bad escape in a string")
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

// number reads a number as JSON.parse does: a float64, rounded to nearest
// (out of range is ±Inf, as in Node.js).
func (d *scanner) number() (float64, error) {
	start := d.pos
	whole, neg, n := true, false, int64(0)
	if d.data[d.pos] == '-' {
		neg = true
		d.pos++
	}
	digits := 0
	for d.pos < len(d.data) {
		c := d.data[d.pos]
		switch {
		case c >= '0' && c <= '9':
			n = n*10 + int64(c-'0')
			digits++
		case c == '-', c == '+', c == '.', c == 'e', c == 'E':
			whole = false
		default:
			goto done
		}
		d.pos++
	}
done:
	text := d.data[start:d.pos]
	if !validNumber(text) {
		return 0, d.errorf("bad number %q", text)
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
			return 0, d.errorf("bad number %q", text)
		}
		// Out of range: ParseFloat returns ±Inf, as JSON.parse does.
	}
	return f, nil
}

var negZero = func() float64 { z := 0.0; return -z }()

// word reads the literal true, false or null.
func (d *scanner) word(w string) error {
	if len(d.data)-d.pos < len(w) || string(d.data[d.pos:d.pos+len(w)]) != w {
		return d.errorf("expected %s", w)
	}
	d.pos += len(w)
	return nil
}
