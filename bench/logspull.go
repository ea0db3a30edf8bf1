package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"github.com/mfapolicy/mfapolicy/deploy/deploytest"
)

// LogsPull is the measure of logs pull against the local fake Management
// API: how many requests a second it made, and how much CPU time it and
// the fake spent per request. A CPU time per request far below the time
// between two requests Auth0's rate limits allow means the pull waits on
// the API, not on the tool.
type LogsPull struct {
	Logs     int `json:"logs"`
	Requests int `json:"requests"`
	// RequestsPerSecond and LogsPerSecond are over the run's wall time.
	RequestsPerSecond float64 `json:"requests_per_second"`
	LogsPerSecond     float64 `json:"logs_per_second"`
	// CPUPerRequestMS is mfapolicy's CPU time (user and system) per
	// request; ServerCPUPerRequestMS the fake's, in this process.
	CPUPerRequestMS       float64 `json:"cpu_per_request_ms"`
	ServerCPUPerRequestMS float64 `json:"server_cpu_per_request_ms"`
	// CPUShare is mfapolicy's CPU time over its wall time: 1 would be a
	// pull bound by its own CPU.
	CPUShare  float64 `json:"cpu_share"`
	PeakRSSMB float64 `json:"peak_rss_mb"`
}

// measureLogsPull serves n logins from the fake Management API
// (deploy/deploytest) on the loopback and pulls them all, gzip-compressed,
// in one run of logs pull.
func (s *setupState) measureLogsPull(n int, dir string, rep *Report, w io.Writer) error {
	srv := deploytest.New()
	defer srv.Close()
	srv.AddLogins(n, time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC))
	out := filepath.Join(dir, "logins.ndjson.gz")
	// A -dir used before holds the last run's file and its checkpoint,
	// which logs pull would resume from rather than start anew.
	for _, f := range []string{out, out + ".checkpoint"} {
		if err := os.Remove(f); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	args := []string{s.bin, "logs", "pull", "--from", deploytest.LogID(0), "-o", out,
		"--domain", srv.Domain(), "--client-id", srv.ClientID, "--client-secret", srv.ClientSecret}
	before := selfCPU()
	u, err := measure(args, nil, nil)
	if err != nil {
		return fmt.Errorf("logs pull: %w", err)
	}
	server := selfCPU() - before
	reqs := len(srv.LogQueries())
	lp := &LogsPull{
		Logs: n, Requests: reqs,
		RequestsPerSecond: float64(reqs) / u.wall.Seconds(), LogsPerSecond: float64(n) / u.wall.Seconds(),
		CPUPerRequestMS:       u.cpu.Seconds() * 1000 / float64(reqs),
		ServerCPUPerRequestMS: server.Seconds() * 1000 / float64(reqs),
		CPUShare:              u.cpu.Seconds() / u.wall.Seconds(),
		PeakRSSMB:             u.rssMB,
	}
	rep.LogsPull = lp
	fmt.Fprintf(w, "\nlogs pull of %d logs from the local fake API: %d requests, %.0f requests/s, %.0f logs/s, %.0f MB peak RSS\n",
		n, reqs, lp.RequestsPerSecond, lp.LogsPerSecond, lp.PeakRSSMB)
	fmt.Fprintf(w, "  CPU per request: mfapolicy %.2f ms, the fake API %.2f ms; mfapolicy busy %.0f%% of the time\n",
		lp.CPUPerRequestMS, lp.ServerCPUPerRequestMS, lp.CPUShare*100)
	return nil
}

// selfCPU is the CPU time this process has used, user and system.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
