package main

import (
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
}

func systemStreams() *streams {
	return &streams{
		In:     os.Stdin,
		Out:    os.Stdout,
		Err:    os.Stderr,
		ErrTTY: term.IsTerminal(int(os.Stderr.Fd())),
	}
}
