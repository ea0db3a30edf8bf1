package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"syscall"
	"time"

	"github.com/mfapolicy/mfapolicy/internal/eventgen"
)

// writeCorpus writes n generated post-login events, one per line. Unlike
// the example corpus it has no malformed lines: the Node.js harness stops
// at the first.
func writeCorpus(path string, n int, seed uint64) (int64, error) {
	f, err := os.Create(path)
	if err != nil {
		return 0, err
	}
	size, err := writeEvents(f, n, seed)
	if err != nil {
		f.Close()
		return 0, err
	}
	return size, f.Close()
}

// writeEvents writes n generated events to w, one per line, and returns
// the bytes written.
func writeEvents(w io.Writer, n int, seed uint64) (int64, error) {
	bw := bufio.NewWriterSize(w, 1<<20)
	g := eventgen.New(seed)
	var size int64
	for range n {
		ev := g.Event()
		if _, err := bw.Write(ev); err != nil {
			return size, err
		}
		if err := bw.WriteByte('\n'); err != nil {
			return size, err
		}
		size += int64(len(ev)) + 1
	}
	return size, bw.Flush()
}

func command(name string, args ...string) *exec.Cmd {
	return exec.Command(name, args...)
}

// usage is what one run of a command cost: its wall time, its peak
// resident set size, and the CPU time (user and system) it used.
type usage struct {
	wall  time.Duration
	rssMB float64
	cpu   time.Duration
}

// measure runs a command to completion and returns what it cost. Its
// standard input is in (nil: none); its standard output goes to out (nil:
// discarded); a failure shows the command's standard error.
func measure(args []string, in io.Reader, out io.Writer, okExit ...int) (usage, error) {
	cmd := command(args[0], args[1:]...)
	cmd.Stdout = out
	if out == nil {
		cmd.Stdout = io.Discard
	}
	cmd.Stdin = in
	var stderr limitedBuffer
	cmd.Stderr = &stderr
	start := time.Now()
	err := cmd.Run()
	u := usage{wall: time.Since(start)}
	if err != nil {
		code := -1
		if cmd.ProcessState != nil {
			code = cmd.ProcessState.ExitCode()
		}
		allowed := false
		for _, c := range okExit {
			allowed = allowed || c == code
		}
		if !allowed {
			return usage{}, fmt.Errorf("%v: %v\n%s", args, err, stderr.b)
		}
	}
	u.cpu = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		// Linux reports ru_maxrss in KiB.
		u.rssMB = float64(ru.Maxrss) / 1024
	}
	return u, nil
}

// measureCopies runs n instances of a command at once and returns what
// they cost together: the wall time until the last ends, the CPU time of
// all, and the largest peak RSS.
func measureCopies(args []string, n int, okExit ...int) (usage, error) {
	type result struct {
		u   usage
		err error
	}
	results := make(chan result, n)
	start := time.Now()
	for range n {
		go func() {
			u, err := measure(args, nil, nil, okExit...)
			results <- result{u, err}
		}()
	}
	var total usage
	var firstErr error
	for range n {
		r := <-results
		if r.err != nil && firstErr == nil {
			firstErr = r.err
		}
		total.cpu += r.u.cpu
		total.rssMB = max(total.rssMB, r.u.rssMB)
	}
	total.wall = time.Since(start)
	return total, firstErr
}

// measureStreamed is measure with n generated events written to the
// command's standard input as it reads them, so that corpora of any size
// need no disk.
func measureStreamed(args []string, n int, seed uint64, okExit ...int) (usage, error) {
	pr, pw, err := os.Pipe()
	if err != nil {
		return usage{}, err
	}
	done := make(chan error, 1)
	go func() {
		_, err := writeEvents(pw, n, seed)
		pw.Close()
		done <- err
	}()
	u, err := measure(args, pr, nil, okExit...)
	pr.Close()
	if werr := <-done; err == nil && werr != nil {
		err = fmt.Errorf("writing events: %w", werr)
	}
	return u, err
}

// limitedBuffer keeps the first 8 KiB written to it.
type limitedBuffer struct{ b []byte }

func (l *limitedBuffer) Write(p []byte) (int, error) {
	if room := 8<<10 - len(l.b); room > 0 {
		l.b = append(l.b, p[:min(room, len(p))]...)
	}
	return len(p), nil
}
