package main

import (
	"compress/gzip"
	"fmt"
	"os"
	"strconv"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/mfapolicy/mfapolicy/geoip/geoiptest"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"mfapolicy": func() { os.Exit(run(os.Args[1:], systemStreams())) },
		// exitcode N mfapolicy ARGS... succeeds when mfapolicy exits with N.
		"exitcode": func() {
			want, err := strconv.Atoi(os.Args[1])
			if err != nil || len(os.Args) < 3 || os.Args[2] != "mfapolicy" {
				fmt.Fprintln(os.Stderr, "usage: exitcode N mfapolicy ARGS...")
				os.Exit(100)
			}
			if got := run(os.Args[3:], systemStreams()); got != want {
				fmt.Fprintf(os.Stderr, "exit status %d, want %d\n", got, want)
				os.Exit(1)
			}
			os.Exit(0)
		},
	})
}

// TestScripts runs the end-to-end scripts in testdata/script.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"gzip": cmdGzip,
			"mmdb": cmdMMDB,
		},
	})
}

// cmdGzip compresses each named file to NAME.gz, so that scripts can build
// compressed inputs from plain text: gzip FILE... [-truncate]
func cmdGzip(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("unsupported: ! gzip")
	}
	truncate := false
	if len(args) > 0 && args[0] == "-truncate" {
		truncate, args = true, args[1:]
	}
	for _, name := range args {
		data := ts.ReadFile(name)
		f, err := os.Create(ts.MkAbs(name + ".gz"))
		ts.Check(err)
		zw := gzip.NewWriter(f)
		_, err = zw.Write([]byte(data))
		ts.Check(err)
		ts.Check(zw.Close())
		if truncate {
			st, err := f.Stat()
			ts.Check(err)
			ts.Check(f.Truncate(st.Size() / 2))
		}
		ts.Check(f.Close())
	}
}

// cmdMMDB writes geoiptest.Sample, a GeoLite2-City database of the
// documentation address ranges built with mmdbwriter, to FILE: mmdb FILE
func cmdMMDB(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: mmdb FILE")
	}
	b, err := geoiptest.Build("GeoLite2-City", geoiptest.Sample)
	ts.Check(err)
	ts.Check(os.WriteFile(ts.MkAbs(args[0]), b, 0o644))
}
