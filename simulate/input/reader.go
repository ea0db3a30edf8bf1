package input

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/mfapolicy/mfapolicy/geoip"
	"github.com/mfapolicy/mfapolicy/internal/diag"
)

var bom = []byte{0xEF, 0xBB, 0xBF}

// ItemKind says what a Reader found at one position of its input.
type ItemKind int

const (
	// ItemEvent is a login to replay.
	ItemEvent ItemKind = iota
	// ItemSkipped is a tenant log record of a type that carries no login to
	// replay; Item.LogType names it.
	ItemSkipped
	// ItemMalformed is a record that could not be read; Item.Problem says
	// where and why.
	ItemMalformed

	// itemUnparsed is a record read but not parsed yet: Event holds its
	// position and bytes, and resolve turns it into one of the kinds above.
	itemUnparsed ItemKind = -1
)

// Item is one record read from an input.
type Item struct {
	Kind    ItemKind
	Event   Event
	LogType string
	Problem diag.Diagnostic
}

// Reader streams records from one input: NDJSON, a JSON array, or a
// sequence of (pretty-printed) JSON objects, each optionally gzip-compressed.
// It holds one record at a time, so memory does not grow with the input.
type Reader struct {
	name  string
	src   io.Reader
	br    *bufio.Reader
	gz    bool
	mode  int
	line  int // NDJSON: lines consumed so far
	dec   *json.Decoder
	lines *lineTracker
	state int // array mode: 0 before '[', 1 inside, 2 done
	done  bool
	// limits bound records and decompression; first is the one item of
	// an input that is not JSON at all.
	limits Limits
	first  *Item
	// later leaves records unparsed (itemUnparsed) for resolve, so that
	// the simulator's workers parse them in parallel.
	later bool
	// en enriches the logins mapped from log records (nil: none).
	en *Enrichment
	// arena, when set, is where lines are kept: appended one after the
	// other to the buffer of the batch being filled, which the simulator
	// reuses once the batch is collected, instead of a new allocation for
	// every line.
	arena *[]byte
}

const (
	modeUnknown = iota
	modeLines
	modeArray
	modeStream
)

// NewReader reads records from r; name is used in positions.
func NewReader(name string, r io.Reader) *Reader {
	return NewLimitedReader(name, r, Limits{})
}

// NewLimitedReader is NewReader with limits other than the defaults.
func NewLimitedReader(name string, r io.Reader, l Limits) *Reader {
	return &Reader{name: name, src: r, limits: l.WithDefaults()}
}

// Next returns the next record, or io.EOF at the end. A record that cannot
// be read comes back as an ItemMalformed item, not an error; the error is
// reserved for failures to read the input itself.
func (r *Reader) Next() (Item, error) {
	if r.done {
		return Item{}, io.EOF
	}
	if r.mode == modeUnknown {
		if err := r.start(); err != nil {
			r.done = true
			if it, ok := r.corrupt(err); ok {
				return it, nil
			}
			return Item{}, fmt.Errorf("%s: %w", r.name, err)
		}
		if r.first != nil {
			r.done = true
			return *r.first, nil
		}
	}
	var (
		it  Item
		err error
	)
	if r.mode == modeLines {
		it, err = r.nextLine()
	} else {
		it, err = r.nextValue()
	}
	if err != nil && err != io.EOF {
		r.done = true
		if cit, ok := r.corrupt(err); ok {
			return cit, nil
		}
		return Item{}, fmt.Errorf("%s: %w", r.name, err)
	}
	if err == io.EOF {
		r.done = true
	}
	return it, err
}

// start detects gzip by its magic bytes, then the layout by the first
// non-blank character: '[' is a JSON array, a first line holding only '{'
// is a stream of pretty-printed objects, anything else is NDJSON.
func (r *Reader) start() error {
	br := bufio.NewReaderSize(r.src, 64<<10)
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		in := &countingReader{r: br}
		zr, err := gzip.NewReader(in)
		if err != nil {
			r.gz = true
			return err
		}
		r.gz = true
		br = bufio.NewReaderSize(&gzipGuard{z: zr, in: in, ratio: int64(r.limits.MaxGzipRatio)}, 64<<10)
	}
	r.br = br
	head, err := br.Peek(4096)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return err
	}
	head = bytes.TrimPrefix(head, bom)
	if msg := notJSON(head, err == io.EOF); msg != "" {
		it := malformed(r.name, 1, msg)
		r.first = &it
		return nil
	}
	trimmed := bytes.TrimLeft(head, " \t\r\n")
	switch {
	case len(trimmed) > 0 && trimmed[0] == '[':
		r.mode = modeArray
	case len(trimmed) > 0 && trimmed[0] == '{' && firstLineIsBrace(trimmed):
		r.mode = modeStream
		r.state = 1
	default:
		r.mode = modeLines
		return nil
	}
	if p, _ := br.Peek(3); bytes.Equal(p, bom) {
		_, _ = br.Discard(3)
	}
	r.lines = &lineTracker{r: br, limit: int64(r.limits.MaxLine)}
	r.dec = json.NewDecoder(r.lines)
	return nil
}

func firstLineIsBrace(b []byte) bool {
	end := bytes.IndexByte(b, '\n')
	if end < 0 {
		end = len(b)
	}
	return string(bytes.TrimSpace(b[:end])) == "{"
}

// corrupt turns a damaged compressed stream into a located malformed item,
// so that one truncated file does not abort a whole run.
func (r *Reader) corrupt(err error) (Item, bool) {
	if le, ok := isLimit(err); ok {
		return malformed(r.name, r.errLine(), le.msg), true
	}
	if !r.gz {
		return Item{}, false
	}
	var ce flate.CorruptInputError
	if !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, gzip.ErrChecksum) &&
		!errors.Is(err, gzip.ErrHeader) && !errors.As(err, &ce) {
		return Item{}, false
	}
	return malformed(r.name, r.errLine(), fmt.Sprintf("the gzip stream is damaged (%v); the rest of the file was not read", err)), true
}

// errLine is the line where reading broke off.
func (r *Reader) errLine() int {
	if r.lines != nil {
		return r.lines.lineAt(r.lines.total)
	}
	return r.line + 1
}

// record checks a record against the nesting limit, then parses it, or
// leaves both to resolve.
func (r *Reader) record(line int, data []byte) Item {
	it := Item{Kind: itemUnparsed, Event: Event{File: r.name, Line: line, JSON: data}}
	if r.later {
		return it
	}
	return Resolve(it, r.limits, nil, r.en)
}

// Enrich makes the reader fill, into the logins it maps from tenant log
// records, request.geoip from geo for records without location_info and
// authorization.roles from roles, the tenant context's (Tenant.Roles: a
// user_id to the names of the user's roles); either may be nil.
// simulate.Run does the same with its Options.GeoIP and Options.Tenant.
func (r *Reader) Enrich(geo *geoip.DB, roles map[string][]string) {
	r.en = NewEnrichment(geo, roles)
}

// Later makes the reader leave records unparsed for Resolve, so that the
// simulator's workers parse them in parallel.
func (r *Reader) Later() { r.later = true }

// KeepIn makes the reader keep the lines it reads from now on in *arena,
// appended one after the other (nil: a new allocation for each line).
// The simulator passes the buffer of the batch being filled, which it
// reuses once the batch is collected.
func (r *Reader) KeepIn(arena *[]byte) { r.arena = arena }

// resolve parses an unparsed record; any other item is returned as it is.
func resolve(it Item, l Limits) Item { return Resolve(it, l, nil, nil) }

// Resolve is resolve, reading the record's fields with loc when it is
// given and enriching logins mapped from log records with en.
func Resolve(it Item, l Limits, loc *Located, en *Enrichment) Item {
	if it.Kind != itemUnparsed {
		return it
	}
	ev := it.Event
	if nestedDeeper(ev.JSON, l.MaxDepth) {
		return malformed(ev.File, ev.Line, fmt.Sprintf("the record nests arrays and objects deeper than %d levels (--max-depth raises the limit)", l.MaxDepth))
	}
	if loc != nil {
		return parseLocated(ev.File, ev.Line, ev.JSON, loc, en)
	}
	return parseRecordWith(ev.File, ev.Line, ev.JSON, en)
}

// nextLine reads NDJSON: one record per line, blank lines skipped, a UTF-8
// byte order mark and CRLF endings tolerated.
func (r *Reader) nextLine() (Item, error) {
	for {
		raw, tooLong, err := r.readLine()
		if len(raw) == 0 && !tooLong && err != nil {
			return Item{}, err
		}
		if err == io.ErrUnexpectedEOF || (err != nil && err != io.EOF) {
			// The last, partial line of a damaged stream is not parsed.
			return Item{}, err
		}
		r.line++
		if tooLong {
			return malformed(r.name, r.line, fmt.Sprintf("the line is longer than %d bytes (--max-line raises the limit)", r.limits.MaxLine)), nil
		}
		text := bytes.TrimSpace(bytes.TrimPrefix(bytes.TrimSpace(raw), bom))
		if len(text) == 0 {
			if err != nil {
				return Item{}, err
			}
			continue
		}
		return r.record(r.line, text), nil
	}
}

// readLine returns the next line without its newline. A line longer than
// the limit is consumed and reported as tooLong.
func (r *Reader) readLine() (line []byte, tooLong bool, err error) {
	var buf []byte
	if r.arena != nil {
		buf = *r.arena
	}
	start := len(buf)
	for {
		chunk, err := r.br.ReadSlice('\n')
		if !tooLong {
			if len(buf)-start+len(chunk) > r.limits.MaxLine {
				tooLong, buf = true, buf[:start]
			} else {
				buf = append(buf, chunk...)
			}
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if r.arena != nil {
			*r.arena = buf
		}
		// Clipped: appending to a line must not reach the next one.
		line = buf[start:len(buf):len(buf)]
		return bytes.TrimSuffix(line, []byte("\n")), tooLong, err
	}
}

// nextValue reads one element of a JSON array, or one object of a stream.
// Arrays may follow one another (a log-stream webhook posts one array per
// batch; `auth0 logs tail --json` prints one per page), with or without
// white space between them. JSON syntax errors cannot be resynchronised
// inside an array, so the first one ends the file with a located
// malformed item.
func (r *Reader) nextValue() (Item, error) {
	for {
		if r.state == 0 {
			if _, err := r.dec.Token(); err != nil {
				return r.syntax(err)
			}
			r.state = 1
		}
		if r.state == 1 && r.dec.More() {
			var raw json.RawMessage
			r.lines.mark = r.dec.InputOffset()
			if err := r.dec.Decode(&raw); err != nil {
				return r.syntax(err)
			}
			start := r.dec.InputOffset() - int64(len(raw))
			return r.record(r.lines.lineAt(start), raw), nil
		}
		it, again, err := r.finish()
		if !again {
			return it, err
		}
	}
}

// finish checks what follows the last value: the closing bracket of an
// array, then nothing but white space or the next array (again is then
// true).
func (r *Reader) finish() (it Item, again bool, err error) {
	if r.mode == modeArray && r.state == 1 {
		r.state = 2
		if _, err := r.dec.Token(); err != nil {
			it, err := r.syntax(err)
			return it, false, err
		}
	}
	tok, err := r.dec.Token()
	switch {
	case err == io.EOF:
		return Item{}, false, io.EOF
	case err != nil:
		it, err := r.syntax(err)
		return it, false, err
	case r.mode == modeArray && tok == json.Delim('['):
		r.state = 1
		return Item{}, true, nil
	}
	r.done = true
	line := r.lines.lineAt(r.dec.InputOffset())
	return malformed(r.name, line, "unexpected data after the end of the JSON array"), false, nil
}

func (r *Reader) syntax(err error) (Item, error) {
	var se *json.SyntaxError
	off := r.dec.InputOffset()
	switch {
	case errors.As(err, &se) && strings.Contains(se.Error(), "exceeded max depth"):
		off = se.Offset
		err = fmt.Errorf("a value nests arrays and objects deeper than %d levels", MaxDepthCeiling)
	case errors.As(err, &se):
		off = se.Offset
	case errors.Is(err, io.ErrUnexpectedEOF) && !r.gz:
		off = r.lines.total
		err = errors.New("unexpected end of input inside the JSON array")
	case err == io.EOF:
		return Item{}, io.EOF
	default:
		return Item{}, err
	}
	r.done = true
	line := r.lines.lineAt(off)
	return malformed(r.name, line, fmt.Sprintf("invalid JSON: %v; the rest of the file was not read", err)), nil
}

func malformed(file string, line int, msg string) Item {
	return Item{Kind: ItemMalformed, Problem: diag.Diagnostic{
		Pos:      diag.Pos{File: file, Line: line},
		Severity: diag.Error,
		Code:     "malformed-event",
		Message:  msg,
	}}
}

// lineTracker counts newlines in what passes through it, so that a byte
// offset reported by json.Decoder maps to a 1-based line. It keeps only the
// newline offsets the decoder has buffered but not yet consumed.
type lineTracker struct {
	r     io.Reader
	limit int64   // the largest value, in bytes
	mark  int64   // where the value being decoded starts
	total int64   // bytes read so far
	nl    []int64 // offsets of newlines not yet passed
	head  int
	seen  int // newlines already passed
}

func (t *lineTracker) Read(p []byte) (int, error) {
	// The decoder asks for more only while the value it decodes is not
	// complete: past the limit, that value is too large.
	room := t.mark + t.limit + 1 - t.total
	if t.limit > 0 && room <= 0 {
		return 0, &limitError{fmt.Sprintf("a value is larger than %d bytes (--max-line raises the limit); the rest of the file was not read", t.limit)}
	}
	if t.limit > 0 && int64(len(p)) > room {
		p = p[:room]
	}
	n, err := t.r.Read(p)
	for i, c := range p[:n] {
		if c == '\n' {
			t.nl = append(t.nl, t.total+int64(i))
		}
	}
	t.total += int64(n)
	return n, err
}

// lineAt returns the line holding byte offset off. Offsets must not
// decrease between calls.
func (t *lineTracker) lineAt(off int64) int {
	for t.head < len(t.nl) && t.nl[t.head] < off {
		t.head++
		t.seen++
	}
	if t.head > 1024 {
		t.nl = append(t.nl[:0], t.nl[t.head:]...)
		t.head = 0
	}
	return t.seen + 1
}
