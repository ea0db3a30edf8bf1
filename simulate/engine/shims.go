package engine

import (
	"embed"
	"fmt"
	"strings"
)

// The Node.js built-ins an Action may import in simulation. A few that
// Actions commonly use are answered by small shims (shims/*.js, bundled
// into the Action by BundleAction), backed where it matters by Go: hashes,
// HMACs and random values from Go's crypto packages, URL parsing from
// net/url, byte encodings from encoding/*. Every other built-in is refused
// when the Action is bundled, with a message naming it: the simulator gives
// an Action no filesystem, network or process access.

// embedded holds the shims and the Rule adapter.
//
//go:embed shims/*.js rules/*.js
var embedded embed.FS

// shimModules maps a built-in module name to its shim file.
var shimModules = map[string]string{
	"crypto":      "shims/crypto.js",
	"url":         "shims/url.js",
	"querystring": "shims/querystring.js",
	"util":        "shims/util.js",
	"buffer":      "shims/buffer.js",
	// Answered by the HTTP fixtures (http.go), never the network.
	"http":   "shims/http.js",
	"https":  "shims/https.js",
	"events": "shims/events.js",
	// On the login's virtual clock (clock.go).
	"timers":          "shims/timers.js",
	"timers/promises": "shims/timers-promises.js",
}

// shimGlobals is injected into every bundle: it provides the Node.js
// globals the shims cover (Buffer, URL, URLSearchParams, TextEncoder,
// TextDecoder, atob, btoa, fetch, Headers, Request, Response,
// AbortController, AbortSignal) and a process object that refuses every
// access. The timers are defined by the runtime itself (clock.go).
const shimGlobals = "shims/globals.js"

// nodeBuiltins lists the modules of Node.js 22 (module.builtinModules,
// without the internal ones).
var nodeBuiltins = map[string]bool{
	"assert": true, "assert/strict": true, "async_hooks": true, "buffer": true, "child_process": true,
	"cluster": true, "console": true, "constants": true, "crypto": true, "dgram": true,
	"diagnostics_channel": true, "dns": true, "dns/promises": true, "domain": true, "events": true,
	"fs": true, "fs/promises": true, "http": true, "http2": true, "https": true, "inspector": true,
	"inspector/promises": true, "module": true, "net": true, "os": true, "path": true, "path/posix": true,
	"path/win32": true, "perf_hooks": true, "process": true, "punycode": true, "querystring": true,
	"readline": true, "readline/promises": true, "repl": true, "stream": true, "stream/consumers": true,
	"stream/promises": true, "stream/web": true, "string_decoder": true, "sys": true, "timers": true,
	"timers/promises": true, "tls": true, "trace_events": true, "tty": true, "url": true, "util": true,
	"util/types": true, "v8": true, "vm": true, "wasi": true, "worker_threads": true, "zlib": true,
	"test": true, "sqlite": true, "sea": true,
}

// builtinName returns the built-in module a specifier names ("node:fs" and
// "fs" both name fs), or "".
func builtinName(spec string) string {
	name := strings.TrimPrefix(spec, "node:")
	if nodeBuiltins[name] || (strings.HasPrefix(spec, "node:") && name != "") {
		return name
	}
	return ""
}

// unsupportedBuiltin is the message for a built-in with no shim.
func unsupportedBuiltin(name string) string {
	why := "the simulator runs Actions without Node.js built-ins other than crypto, url, querystring, util, buffer, events, timers, http and https"
	switch strings.SplitN(name, "/", 2)[0] {
	case "fs", "module", "sqlite":
		why = "an Action gets no filesystem access in simulation"
	case "http2", "net", "tls", "dgram", "dns":
		why = "an Action gets no network access in simulation; HTTP requests through fetch, http or https are answered by --http fixtures"
	case "child_process", "cluster", "worker_threads", "os", "process", "v8", "vm", "inspector":
		why = "an Action gets no access to the host or its processes in simulation"
	}
	return fmt.Sprintf("Node.js module %q is not supported in simulation: %s", name, why)
}

// Shim returns the source of an embedded shim or adapter file, named by
// its path in this package ("shims/user.js", "rules/adapter.js"). The
// runtime's tests read the shims through it.
func Shim(name string) ([]byte, error) { return embedded.ReadFile(name) }
