package buildinfo

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
)

// version is the release version, set by the release build with
// -ldflags "-X github.com/mfapolicy/mfapolicy/internal/buildinfo.version=v0.1.0"
// (scripts/release.sh). Without it the module version the go command
// stamped (go install ...@v0.1.0) is used, else "devel". commit and date
// are set the same way, for builds whose version control information the
// go command cannot read (a git worktree, a source archive); what the go
// command stamped (vcs.revision, vcs.time) wins.
var version, commit, date string

// Devel is the version of a binary built from a source tree without a
// release version.
const Devel = "devel"

// Engines are the modules whose versions decide what a simulation or a
// compiled Action does, in the order they are listed.
var Engines = []Engine{
	{Name: "goja", Module: "github.com/dop251/goja"},
	{Name: "esbuild", Module: "github.com/evanw/esbuild"},
	{Name: "cel-go", Module: "cel.dev/cel-go"},
}

// Engine is one embedded engine and the module version built in.
type Engine struct {
	Name    string `json:"name"`
	Module  string `json:"module"`
	Version string `json:"version"`
}

// Info describes the running binary. Its JSON form is the output of
// `mfapolicy version --format json`.
type Info struct {
	Version string `json:"version"`
	// Commit is the full revision of the source tree, empty when the build
	// did not record one (go run, go test, a tree outside git).
	Commit string `json:"commit,omitempty"`
	// Date is the commit's time (RFC 3339, UTC): the build date of a
	// reproducible build, which never records the time it ran.
	Date string `json:"date,omitempty"`
	// Modified says the tree had uncommitted changes.
	Modified bool     `json:"modified,omitempty"`
	Go       string   `json:"go"`
	Platform string   `json:"platform"`
	Engines  []Engine `json:"engines"`
}

// Read returns the build information of the running binary.
func Read() Info {
	bi, _ := debug.ReadBuildInfo()
	return fromBuildInfo(bi, Info{Version: version, Commit: commit, Date: date})
}

// fromBuildInfo completes the stamped info (version, commit, date) from
// the build information.
func fromBuildInfo(bi *debug.BuildInfo, info Info) Info {
	info.Go, info.Platform = runtime.Version(), runtime.GOOS+"/"+runtime.GOARCH
	deps := map[string]string{}
	if bi != nil {
		info.Go = bi.GoVersion
		if info.Version == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			info.Version = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				info.Commit = s.Value
			case "vcs.time":
				info.Date = s.Value
			case "vcs.modified":
				info.Modified = s.Value == "true"
			}
		}
		for _, d := range bi.Deps {
			if d.Replace != nil {
				d = d.Replace
			}
			deps[d.Path] = d.Version
		}
	}
	// scripts/release.sh stamps a tree with uncommitted changes as
	// COMMIT-modified.
	if c, ok := strings.CutSuffix(info.Commit, "-modified"); ok {
		info.Commit, info.Modified = c, true
	}
	if info.Version == "" {
		info.Version = Devel
	}
	for _, e := range Engines {
		e.Version = deps[e.Module]
		if e.Version == "" {
			e.Version = "unknown"
		}
		info.Engines = append(info.Engines, e)
	}
	return info
}

// Line is the one-line form of the version: the tool, its version, and
// the commit and its date when the build recorded them. Compiled Actions
// and reports carry it.
func (i Info) Line() string {
	var extra []string
	if i.Commit != "" {
		c := i.Commit
		if len(c) > 12 {
			c = c[:12]
		}
		if i.Modified {
			c += "-modified"
		}
		extra = append(extra, "commit "+c)
	}
	if i.Date != "" {
		extra = append(extra, i.Date)
	}
	if len(extra) == 0 {
		return "mfapolicy " + i.Version
	}
	return fmt.Sprintf("mfapolicy %s (%s)", i.Version, strings.Join(extra, ", "))
}

// Text is the human form printed by `mfapolicy version`: the version line,
// then the toolchain and each engine on a line of its own.
func (i Info) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n", i.Line())
	fmt.Fprintf(&b, "built with %s for %s\n", i.Go, i.Platform)
	for _, e := range i.Engines {
		fmt.Fprintf(&b, "%-8s %s\n", e.Name, e.Version)
	}
	return b.String()
}
