package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"github.com/spf13/pflag"

	"github.com/mfapolicy/mfapolicy/simulate"
	"github.com/mfapolicy/mfapolicy/simulate/input"
)

// signalContext is cancelled by Ctrl-C (SIGINT), SIGTERM, or a write to a
// closed pipe (SIGPIPE): a long run then stops at the next record, says how
// far it got, and leaves no partial output behind. With SIGPIPE caught, a
// write to a closed standard output fails with EPIPE instead of killing
// the process.
func signalContext() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGPIPE)
}

// interrupted is the error of a run stopped by a signal: done says how far
// it got, and what was not written.
func interrupted(ctx context.Context, done string) error {
	if ctx.Err() == nil {
		return nil
	}
	return &exitError{code: exitUsage, err: fmt.Errorf("interrupted after %s", done)}
}

// atomicFile is an output file written whole or not at all: it is written
// to a temporary file in the same directory and renamed over the
// destination by Commit; Abort, or a failed Commit, removes it. A reader of
// the destination never sees half a file.
type atomicFile struct {
	path string
	f    *os.File
	w    *bufio.Writer
	n    int64 // bytes written
	done bool
}

func createAtomic(path string) (*atomicFile, error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".*.tmp")
	if err != nil {
		return nil, err
	}
	mode := os.FileMode(0o644)
	if st, err := os.Stat(path); err == nil {
		mode = st.Mode().Perm()
	}
	if err := f.Chmod(mode); err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, err
	}
	return &atomicFile{path: path, f: f, w: bufio.NewWriterSize(f, 256<<10)}, nil
}

func (a *atomicFile) Write(p []byte) (int, error) {
	n, err := a.w.Write(p)
	a.n += int64(n)
	return n, err
}

// Commit flushes the file to disk and renames it over the destination.
func (a *atomicFile) Commit() error {
	a.done = true
	err := a.w.Flush()
	if err == nil {
		err = a.f.Sync()
	}
	if cerr := a.f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(a.f.Name(), a.path)
	}
	if err != nil {
		os.Remove(a.f.Name())
	}
	return err
}

// Abort removes the temporary file; the destination is left as it was.
func (a *atomicFile) Abort() {
	if a.done {
		return
	}
	a.done = true
	a.f.Close()
	os.Remove(a.f.Name())
}

// watchedWriter remembers the first error writing to a stream, so that a
// closed standard output is reported once, with how much was written,
// however the command went on.
type watchedWriter struct {
	w   io.Writer
	n   int64
	err error
}

func (w *watchedWriter) Write(p []byte) (int, error) {
	if w.err != nil {
		return 0, w.err
	}
	n, err := w.w.Write(p)
	w.n += int64(n)
	if err != nil {
		w.err = err
	}
	return n, err
}

// outputError describes a failed write to standard output.
func (w *watchedWriter) outputError() error {
	if w.err == nil {
		return nil
	}
	if errors.Is(w.err, syscall.EPIPE) {
		return fmt.Errorf("standard output was closed (broken pipe) after %d bytes; the output is incomplete", w.n)
	}
	return fmt.Errorf("cannot write to standard output after %d bytes: %v; the output is incomplete", w.n, w.err)
}

// limitFlags registers the input limits of the commands that read events.
func limitFlags(f *pflag.FlagSet, l *input.Limits) {
	l.MaxLine = input.DefaultMaxLine
	f.Var((*byteSize)(&l.MaxLine), "max-line", "largest event record (an NDJSON line or a JSON array element), in bytes; K, M and G suffixes are binary (16M = 16 MiB)")
	f.IntVar(&l.MaxDepth, "max-depth", input.DefaultMaxDepth, fmt.Sprintf("deepest nesting of arrays and objects in an event record (at most %d)", input.MaxDepthCeiling))
	f.IntVar(&l.MaxGzipRatio, "max-gzip-ratio", input.DefaultMaxGzipRatio, "largest ratio of decompressed to compressed size of gzip input")
}

func validateLimits(l input.Limits) error {
	switch {
	case l.MaxLine < 1:
		return usageErr("--max-line must be positive")
	case l.MaxDepth < 1 || l.MaxDepth > input.MaxDepthCeiling:
		return usageErr("--max-depth must be between 1 and %d", input.MaxDepthCeiling)
	case l.MaxGzipRatio < 1:
		return usageErr("--max-gzip-ratio must be positive")
	}
	return nil
}

// byteSize is a flag value in bytes, with an optional K, M or G suffix
// (powers of 1024).
type byteSize int

func (b *byteSize) String() string { return strconv.Itoa(int(*b)) }
func (b *byteSize) Type() string   { return "bytes" }

func (b *byteSize) Set(s string) error {
	t := strings.TrimSuffix(strings.TrimSuffix(strings.ToUpper(strings.TrimSpace(s)), "B"), "I")
	mult := 1
	if t != "" {
		switch t[len(t)-1] {
		case 'K':
			mult = 1 << 10
		case 'M':
			mult = 1 << 20
		case 'G':
			mult = 1 << 30
		}
	}
	if mult > 1 {
		t = t[:len(t)-1]
	}
	n, err := strconv.Atoi(t)
	if err != nil || n < 0 || n > math.MaxInt32/mult {
		return fmt.Errorf("%q is not a size in bytes (for example 16777216 or 16M)", s)
	}
	*b = byteSize(n * mult)
	return nil
}

// decisionsOut opens --out for decisions, written whole or not at all.
// write counts the decisions written; the caller commits or aborts.
type decisionsOut struct {
	file *atomicFile
	w    *simulate.DecisionWriter
	n    int64
}

func openDecisions(path string) (*decisionsOut, error) {
	f, err := createAtomic(path)
	if err != nil {
		return nil, inputErr(fmt.Errorf("cannot write decisions: %w", err))
	}
	return &decisionsOut{file: f, w: simulate.NewDecisionWriter(f)}, nil
}

func (d *decisionsOut) write(dec simulate.Decision) error {
	if err := d.w.Write(dec); err != nil {
		return fmt.Errorf("cannot write decisions to %s after %d of them: %w; %s was left as it was", d.file.path, d.n, err, d.file.path)
	}
	d.n++
	return nil
}

func (d *decisionsOut) commit() error {
	if err := d.file.Commit(); err != nil {
		return inputErr(fmt.Errorf("cannot write decisions to %s: %w; %s was left as it was", d.file.path, err, d.file.path))
	}
	return nil
}

// progressNote says how far an interrupted run got and what it did not
// write.
func progressNote(replayed int64, out string) string {
	s := fmt.Sprintf("%d logins replayed; the run is incomplete and no summary was printed", replayed)
	if out != "" {
		s += fmt.Sprintf("; %s was left as it was", out)
	}
	return s
}

// nothingRead is the error of a run in which every record was malformed
// (a binary file, a web page, a file of another format): one line naming
// the first problem, rather than a summary of nothing.
func nothingRead(sum *simulate.Summary) error {
	if sum.Replayed > 0 || sum.Malformed == 0 || len(sum.Skipped) > 0 || len(sum.Problems) == 0 {
		return nil
	}
	msg := fmt.Sprintf("no login could be read from the events: %s: %s", sum.Problems[0].Pos, sum.Problems[0].Message)
	if sum.Malformed > 1 {
		msg += fmt.Sprintf(" (and %d more malformed records)", sum.Malformed-1)
	}
	return &exitError{code: exitUsage, err: errors.New(msg)}
}

// writeJSON writes v as the indented JSON a command's --format json
// prints.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
