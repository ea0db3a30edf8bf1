package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"

	"github.com/spf13/cobra"
)

// profileFlags are --cpuprofile and --memprofile, for the commands that
// replay events (simulate, diff): where the time and the allocations go
// on a real corpus (go tool pprof FILE).
type profileFlags struct {
	cpu, mem string
}

func (p *profileFlags) register(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&p.cpu, "cpuprofile", "", "write a CPU profile of the run to this file (go tool pprof)")
	f.StringVar(&p.mem, "memprofile", "", "write a heap profile taken at the end of the run to this file (go tool pprof)")
}

// wrap runs f with the requested profiles. A profile that cannot be
// written is bad usage (exit 2); f's own error wins over a profile's.
func (p *profileFlags) wrap(f func() error) error {
	if p.cpu != "" {
		out, err := os.Create(p.cpu)
		if err != nil {
			return usageErr("--cpuprofile: %v", err)
		}
		defer out.Close()
		if err := pprof.StartCPUProfile(out); err != nil {
			return usageErr("--cpuprofile: %v", err)
		}
		defer pprof.StopCPUProfile()
	}
	err := f()
	if p.mem != "" {
		if werr := writeHeapProfile(p.mem); werr != nil && err == nil {
			err = usageErr("--memprofile: %v", werr)
		}
	}
	return err
}

func writeHeapProfile(path string) error {
	out, err := os.Create(path)
	if err != nil {
		return err
	}
	runtime.GC() // up-to-date statistics
	if err := pprof.Lookup("allocs").WriteTo(out, 0); err != nil {
		out.Close()
		return err
	}
	if err := out.Close(); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}
