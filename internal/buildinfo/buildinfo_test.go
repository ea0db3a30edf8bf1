package buildinfo

import (
	"runtime/debug"
	"testing"
)

func TestFromBuildInfo(t *testing.T) {
	bi := &debug.BuildInfo{
		GoVersion: "go1.26.8",
		Main:      debug.Module{Path: "github.com/mfapolicy/mfapolicy", Version: "(devel)"},
		Deps: []*debug.Module{
			{Path: "github.com/dop251/goja", Version: "v0.0.0-20260311135729-065cd970411c"},
			{Path: "github.com/evanw/esbuild", Version: "v0.28.2"},
			{Path: "cel.dev/cel-go", Version: "v0.33.0", Replace: &debug.Module{Path: "cel.dev/cel-go", Version: "v0.33.3"}},
		},
		Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "0123456789abcdef0123456789abcdef01234567"},
			{Key: "vcs.time", Value: "2026-12-06T20:00:00Z"},
			{Key: "vcs.modified", Value: "true"},
		},
	}
	tests := []struct {
		name, release, mainVersion, wantLine string
		settings                             bool
	}{
		{"release", "v0.1.0", "(devel)", "mfapolicy v0.1.0 (commit 0123456789ab-modified, 2026-12-06T20:00:00Z)", true},
		{"go install", "", "v0.2.0", "mfapolicy v0.2.0", false},
		{"go run", "", "(devel)", "mfapolicy devel", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := *bi
			b.Main.Version = tt.mainVersion
			if !tt.settings {
				b.Settings = nil
			}
			info := fromBuildInfo(&b, Info{Version: tt.release})
			if got := info.Line(); got != tt.wantLine {
				t.Errorf("Line() = %q, want %q", got, tt.wantLine)
			}
			want := []string{"v0.0.0-20260311135729-065cd970411c", "v0.28.2", "v0.33.3"}
			for i, e := range info.Engines {
				if e.Version != want[i] {
					t.Errorf("engine %s = %q, want %q", e.Name, e.Version, want[i])
				}
			}
		})
	}
}

// A commit stamped by -ldflags is used when the go command recorded none.
func TestStampedCommit(t *testing.T) {
	info := fromBuildInfo(&debug.BuildInfo{}, Info{Version: "v0.1.0", Commit: "abcdef0123456789abcdef0123456789abcdef01", Date: "2026-12-06T20:00:00Z"})
	if got, want := info.Line(), "mfapolicy v0.1.0 (commit abcdef012345, 2026-12-06T20:00:00Z)"; got != want {
		t.Errorf("Line() = %q, want %q", got, want)
	}
	info = fromBuildInfo(&debug.BuildInfo{}, Info{Version: "v0.1.0", Commit: "abcdef0123456789abcdef0123456789abcdef01-modified"})
	if got, want := info.Line(), "mfapolicy v0.1.0 (commit abcdef012345-modified)"; got != want || info.Commit != "abcdef0123456789abcdef0123456789abcdef01" {
		t.Errorf("Line() = %q, want %q; commit %q", got, want, info.Commit)
	}
}
