package main

import (
	"context"
	"io"
	"os"

	"golang.org/x/term"
)

// streams is where a command reads and writes. Tests pass buffers; main
// passes the process's own files. Whether standard error is a terminal
// decides if progress is drawn.
type streams struct {
	In     io.Reader
	Out    io.Writer
	Err    io.Writer
	ErrTTY bool
	// ctx is cancelled when the run is interrupted (output.go).
	ctx context.Context
}

// context is the context of the command: cancelled by Ctrl-C, SIGTERM or
// a closed standard output.
func (s *streams) context() context.Context {
	if s.ctx == nil {
		return context.Background()
	}
	return s.ctx
}

func systemStreams() *streams {
	return &streams{
		In:     os.Stdin,
		Out:    os.Stdout,
		Err:    os.Stderr,
		ErrTTY: term.IsTerminal(int(os.Stderr.Fd())),
	}
}
