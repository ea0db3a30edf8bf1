package main

import (
	"strings"
	"testing"
	"time"
)

// TestProgressPlain: off a terminal, progress writes nothing for a short
// run and one plain line (no escape sequences) once plainEvery has passed.
func TestProgressPlain(t *testing.T) {
	var b strings.Builder
	p := newProgress(&streams{Err: &b}, "simulating")
	p.update(512)
	p.clear()
	if b.Len() != 0 {
		t.Fatalf("a short run printed %q", b.String())
	}
	p.start = p.start.Add(-2 * plainEvery)
	p.last = p.last.Add(-plainEvery)
	p.update(1024)
	p.update(1536) // within plainEvery of the last line: nothing
	p.clear()
	got := b.String()
	if strings.Count(got, "\n") != 1 || !strings.HasPrefix(got, "simulating: 1024 records in 1m0s, ") || strings.Contains(got, "\x1b") {
		t.Fatalf("got %q", got)
	}
}

// TestProgressTerminal: on a terminal the counter is redrawn in place and
// cleared at the end.
func TestProgressTerminal(t *testing.T) {
	var b strings.Builder
	p := newProgress(&streams{Err: &b, ErrTTY: true}, "diffing")
	p.last = p.last.Add(-time.Second)
	p.update(2048)
	p.clear()
	if got := b.String(); !strings.HasPrefix(got, "\r\x1b[Kdiffing: 2048 records, ") || !strings.HasSuffix(got, "\r\x1b[K") {
		t.Fatalf("got %q", got)
	}
}
