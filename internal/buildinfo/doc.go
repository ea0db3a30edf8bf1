// Package buildinfo says which mfapolicy made an output: the release
// version, the commit and its date, the Go toolchain, and the versions of
// the engines a decision depends on (goja, esbuild, cel-go), all read from
// the binary's own build information (runtime/debug.ReadBuildInfo).
//
// The one-line form names what compiled an Action or wrote a report, so a
// deployed Action can be traced to the tool that made it:
//
//	info := buildinfo.Read()
//	fmt.Println(info.Line()) // mfapolicy v0.1.0 (commit 0123456789ab, 2026-12-06T20:00:00Z)
package buildinfo
