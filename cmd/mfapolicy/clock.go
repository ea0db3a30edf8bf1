package main

import (
	"fmt"
	"time"

	"github.com/spf13/pflag"
)

// clockFlag is --now. For explain it is the time of the login explained,
// which a compiled policy reads as `now` and the Action's clock
// (Date.now()) reads. For simulate and diff each login's clock starts at
// its recorded time, and --now is the time of logins that record none.
// Unset, it is the time the command started.
type clockFlag struct {
	t   time.Time
	set bool // given on the command line
}

func (c *clockFlag) String() string {
	if c.t.IsZero() {
		return ""
	}
	return c.t.Format(time.RFC3339Nano)
}

func (c *clockFlag) Set(s string) error {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return fmt.Errorf("--now must be an RFC 3339 time such as 2026-03-10T09:30:00Z, not %q", s)
	}
	c.t, c.set = t.UTC(), true
	return nil
}

func (c *clockFlag) Type() string { return "time" }

// at returns the time set, or the current time (once: later calls return
// the same instant).
func (c *clockFlag) at() time.Time {
	if c.t.IsZero() {
		c.t = time.Now().UTC()
	}
	return c.t
}

// given returns the time given on the command line, zero when none was.
func (c *clockFlag) given() time.Time {
	if !c.set {
		return time.Time{}
	}
	return c.t
}

// nowFlag registers --now with its help text, usage the part after
// "the time of".
func nowFlag(f *pflag.FlagSet, c *clockFlag, usage string) {
	f.Var(c, "now", "the time of "+usage+", as a policy's `now` and the Action's clock read it, in RFC 3339 (default: when the command starts)")
}
