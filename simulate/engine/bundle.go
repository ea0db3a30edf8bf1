package engine

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"sync"

	"github.com/evanw/esbuild/pkg/api"
)

// BundleOptions configure BundleAction and BundleRule.
type BundleOptions struct {
	// Secrets become event.secrets of every login (an Action) or the
	// configuration object (a Rule). nil leaves event.secrets as the events
	// carry it ({} when they carry none: Auth0 always provides it). The
	// values are embedded in the bundle, which the simulator never prints.
	Secrets map[string]string
	// Configuration, for a Rule, is its configuration object (Rules'
	// settings); it is merged over Secrets, which a Rule also reads
	// there. Values are embedded and never printed, as secrets are.
	Configuration map[string]string
	// NodeModules is a node_modules directory searched for npm modules
	// the Action imports when none beside it has them.
	NodeModules string
}

// Specifiers of the modules a bundle is made of, besides the user's files.
const (
	entryImport   = "mfapolicy:entry"
	adapterImport = "mfapolicy:rule-adapter"
	// ShimNamespace is the esbuild namespace of the shims: a stack frame
	// whose file starts with it is a shim's.
	ShimNamespace = "mfapolicy-shim"
	// BundledHandler is the export of a bundle that holds the Action's own
	// onExecutePostLogin, which the glue calls.
	BundledHandler = "mfapolicyHandler"
	// BundledPlain is exported as true by a bundle whose own files cannot
	// reach Object.prototype (plainSources).
	BundledPlain = "mfapolicyPlain"
)

// BundleAction bundles a hand-written post-login Action into one CommonJS
// script that Run replays: JavaScript or TypeScript, CommonJS or ES module,
// with the files it imports by relative path. Imports are resolved from
// the filesystem only inside the Action's directory and
// BundleOptions.NodeModules; a bare import of an npm package found in
// neither is an error naming the npm install command for the version the
// Action declares (npm.go). Node.js built-ins that Actions commonly use
// (crypto, url, querystring, util, buffer, events, timers, http, https)
// are answered by shims; any other built-in is an error naming it.
//
// The bundle carries an inline source map, so errors thrown at run time
// name the original file, line and column.
func BundleAction(file string, opts BundleOptions) ([]byte, error) {
	secrets, err := secretsJSON(opts.Secrets)
	if err != nil {
		return nil, err
	}
	glue := `const action = require("` + entryImport + `");
const { deriveMultifactor } = require("` + ShimNamespace + `:shims/user.js");
const secrets = ` + secrets + `;
if (typeof action.onExecutePostLogin === "function") {
  exports.onExecutePostLogin = function (event, api) {
    if (event !== null && typeof event === "object" && (secrets !== null || event.secrets === undefined)) {
      Object.defineProperty(event, "secrets", { value: Object.freeze(Object.assign({}, secrets)), enumerable: true, configurable: true, writable: false });
    }
    if (event !== null && typeof event === "object") deriveMultifactor(event.user);
    return action.onExecutePostLogin.call(this, event, api);
  };
  exports.` + BundledHandler + ` = action.onExecutePostLogin;
}
if (typeof action.decide === "function") exports.decide = action.decide;
`
	return bundle(file, glue, false, opts)
}

// secretsJSON is the secrets as a JavaScript literal, "null" for none.
func secretsJSON(secrets map[string]string) (string, error) {
	if secrets == nil {
		return "null", nil
	}
	b, err := json.Marshal(secrets)
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// bundle runs esbuild on glue, an entry that requires the user's file as
// entryImport. rule says that the file is a legacy Rule, a function
// expression that is wrapped as a module when loaded.
func bundle(file, glue string, rule bool, opts BundleOptions) ([]byte, error) {
	abs, err := filepath.Abs(file)
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(file); err != nil {
		kind := "Action"
		if rule {
			kind = "Rule"
		}
		return nil, fmt.Errorf("cannot read the %s: %w", kind, err)
	}
	root := filepath.Dir(abs)
	if r, err := filepath.EvalSymlinks(root); err == nil {
		root = r
	}
	sb := &importScope{entry: abs, root: root, rule: rule}
	if opts.NodeModules != "" {
		nm, err := filepath.Abs(opts.NodeModules)
		if err == nil {
			nm, err = filepath.EvalSymlinks(nm)
		}
		if err != nil {
			return nil, fmt.Errorf("--node-modules: %w", err)
		}
		if st, err := os.Stat(nm); err != nil || !st.IsDir() {
			return nil, fmt.Errorf("--node-modules %s is not a directory", opts.NodeModules)
		}
		sb.nodeModules = nm
	}
	sb.file = file
	res := api.Build(api.BuildOptions{
		Stdin: &api.StdinOptions{
			Contents:   glue,
			Sourcefile: "mfapolicy-entry.js",
			ResolveDir: root,
			Loader:     api.LoaderJS,
		},
		AbsWorkingDir: root,
		Bundle:        true,
		Write:         false,
		Format:        api.FormatCommonJS,
		Platform:      api.PlatformNode,
		Engines:       []api.Engine{{Name: api.EngineNode, Version: "22"}},
		Supported:     gojaLacks,
		Inject:        []string{ShimNamespace + ":" + shimGlobals},
		NodePaths:     sb.nodePaths(),
		// A package that ships a browser build (axios) uses it: it needs
		// fetch, which the simulator answers, where its Node build needs
		// sockets and files. "require" lets an import statement reach a
		// browser build published only for require (axios's is).
		Conditions:     []string{"browser", "require"},
		Outfile:        filepath.Join(root, "mfapolicy-bundle.js"),
		Sourcemap:      api.SourceMapExternal,
		SourcesContent: api.SourcesContentExclude,
		Charset:        api.CharsetUTF8,
		LogLevel:       api.LogLevelSilent,
		Plugins:        []api.Plugin{sandboxPlugin(sb)},
		Metafile:       true,
	})
	if len(res.Errors) > 0 {
		return nil, bundleError(file, root, res.Errors)
	}
	var code, smap []byte
	for _, f := range res.OutputFiles {
		if strings.HasSuffix(f.Path, ".map") {
			smap = f.Contents
		} else {
			code = f.Contents
		}
	}
	if code == nil || smap == nil {
		return nil, fmt.Errorf("%s: esbuild produced %d files", file, len(res.OutputFiles))
	}
	smap, err = fixSourceMap(smap)
	if err != nil {
		return nil, fmt.Errorf("%s: esbuild's source map: %w", file, err)
	}
	if plainSources(root, res.Metafile) {
		code = append(code, "exports."+BundledPlain+" = true;\n"...)
	}
	return append(code, inlineSourceMap(smap)...), nil
}

// reachPrototype are the words a script needs to reach Object.prototype
// and give it an accessor or a read-only property, or to run code it
// builds: a bundle whose own files (the Action's and its npm modules';
// not the simulator's shims) name none of them cannot, and its runner
// need not watch Object.prototype after every login (handlerplan.go).
var reachPrototype = []string{
	"prototype", "__proto__", "PrototypeOf", "constructor", "Function", "eval",
	"defineProperty", "defineProperties", "__defineGetter__", "__defineSetter__",
	"Reflect", "Proxy", "freeze", "seal", "preventExtensions",
}

// plainSources reports whether no file of a bundle but the simulator's
// own names a word of reachPrototype; metafile is esbuild's.
func plainSources(root, metafile string) bool {
	var meta struct {
		Inputs map[string]json.RawMessage `json:"inputs"`
	}
	if err := json.Unmarshal([]byte(metafile), &meta); err != nil || len(meta.Inputs) == 0 {
		return false
	}
	for name := range meta.Inputs {
		if name == "<stdin>" || name == "mfapolicy-entry.js" || strings.HasPrefix(name, ShimNamespace+":") {
			continue
		}
		if i := strings.Index(name, ":"); i > 0 && !filepath.IsAbs(name) && len(name) > 2 && name[1] != ':' {
			return false // a namespace of a plugin: not a file to read
		}
		src, err := os.ReadFile(filepath.Join(root, name))
		if err != nil {
			return false
		}
		for _, w := range reachPrototype {
			if bytes.Contains(src, []byte(w)) {
				return false
			}
		}
	}
	return true
}

// gojaLacks lists the syntax goja cannot run, for esbuild to lower:
// everything else of Node 22's JavaScript is left as written.
var gojaLacks = map[string]bool{
	"async-generator":      false,
	"for-await":            false,
	"regexp-match-indices": false,
}

// bundleError formats esbuild's errors as file:line:col: message, with
// paths as the user gave them.
func bundleError(file, root string, msgs []api.Message) error {
	dir := filepath.Dir(file)
	lines := make([]string, 0, len(msgs))
	for _, m := range msgs {
		text := m.Text
		if m.PluginName != "" && len(m.Notes) == 0 {
			text = strings.TrimPrefix(text, "[plugin "+m.PluginName+"] ")
		}
		if m.Location == nil {
			lines = append(lines, fmt.Sprintf("%s: %s", file, text))
			continue
		}
		name := m.Location.File
		if name == "mfapolicy-entry.js" || strings.HasPrefix(name, ShimNamespace+":") {
			lines = append(lines, fmt.Sprintf("%s: %s", file, text))
			continue
		}
		if rel, err := filepath.Rel(root, filepath.Join(root, name)); err == nil && !filepath.IsAbs(name) {
			name = filepath.Join(dir, rel)
		}
		lines = append(lines, fmt.Sprintf("%s:%d:%d: %s", name, m.Location.Line, m.Location.Column+1, text))
	}
	return errors.New(strings.Join(lines, "\n"))
}

// skipSandbox marks a resolution the sandbox plugin asked esbuild for, so
// that the plugin does not see it again.
type skipSandbox struct{}

// importScope is what the plugin resolving a bundle's imports knows: the
// entry, the directory it may read, and where npm modules come from.
type importScope struct {
	entry, root string
	rule        bool
	// nodeModules is --node-modules, "" when not given.
	nodeModules string
	// file is the entry as the user named it; declared are the Action's
	// declared npm dependencies, name to version, read only when a module
	// is missing (npm.go).
	file         string
	declared     map[string]string
	declaredOnce sync.Once
}

// declaredVersion is the version the Action declares for an npm package,
// "" when none.
func (sb *importScope) declaredVersion(pkg string) string {
	// esbuild resolves imports in parallel.
	sb.declaredOnce.Do(func() { sb.declared = declaredDependencies(sb.file) })
	return sb.declared[pkg]
}

func (sb *importScope) nodePaths() []string {
	if sb.nodeModules == "" {
		return nil
	}
	return []string{sb.nodeModules}
}

// inside tells whether a resolved file is one the bundle may read: in the
// Action's directory or in --node-modules.
func (sb *importScope) inside(path string) bool {
	for _, dir := range []string{sb.root, sb.nodeModules} {
		if dir == "" {
			continue
		}
		if rel, err := filepath.Rel(dir, path); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return true
		}
	}
	return false
}

// sandboxPlugin resolves every import of a bundle: the entry, the shims of
// Node.js built-ins, and the user's files, which must stay inside root
// (or --node-modules).
func sandboxPlugin(sb *importScope) api.Plugin {
	entry, rule := sb.entry, sb.rule
	return api.Plugin{Name: "mfapolicy-sandbox", Setup: func(b api.PluginBuild) {
		b.OnResolve(api.OnResolveOptions{Filter: `.*`}, func(a api.OnResolveArgs) (api.OnResolveResult, error) {
			if _, ok := a.PluginData.(skipSandbox); ok {
				return api.OnResolveResult{}, nil
			}
			switch {
			case a.Path == entryImport:
				return api.OnResolveResult{Path: entry, Namespace: "file"}, nil
			case a.Path == adapterImport:
				return api.OnResolveResult{Path: "rules/adapter.js", Namespace: ShimNamespace}, nil
			case strings.HasPrefix(a.Path, ShimNamespace+":"):
				return api.OnResolveResult{Path: strings.TrimPrefix(a.Path, ShimNamespace+":"), Namespace: ShimNamespace, SideEffects: api.SideEffectsFalse}, nil
			case a.Namespace == ShimNamespace:
				return resolveShim(a)
			}
			if name := builtinName(a.Path); name != "" {
				if f, ok := shimModules[name]; ok {
					return api.OnResolveResult{Path: f, Namespace: ShimNamespace, SideEffects: api.SideEffectsFalse}, nil
				}
				return api.OnResolveResult{}, errors.New(unsupportedBuiltin(name))
			}
			return resolveUserFile(b, a, sb)
		})
		b.OnLoad(api.OnLoadOptions{Filter: `.*`, Namespace: ShimNamespace}, func(a api.OnLoadArgs) (api.OnLoadResult, error) {
			src, err := fs.ReadFile(embedded, a.Path)
			if err != nil {
				return api.OnLoadResult{}, err
			}
			s := string(src)
			return api.OnLoadResult{Contents: &s, Loader: api.LoaderJS}, nil
		})
		if rule {
			b.OnLoad(api.OnLoadOptions{Filter: "^" + regexp.QuoteMeta(entry) + "$", Namespace: "file"}, func(a api.OnLoadArgs) (api.OnLoadResult, error) {
				src, err := os.ReadFile(a.Path)
				if err != nil {
					return api.OnLoadResult{}, err
				}
				s := wrapRule(string(src))
				return api.OnLoadResult{Contents: &s, Loader: api.LoaderJS, ResolveDir: filepath.Dir(a.Path)}, nil
			})
		}
	}}
}

// resolveShim resolves the relative imports between the embedded modules.
func resolveShim(a api.OnResolveArgs) (api.OnResolveResult, error) {
	if !strings.HasPrefix(a.Path, "./") && !strings.HasPrefix(a.Path, "../") {
		return api.OnResolveResult{}, fmt.Errorf("internal module %s may not import %q", a.Importer, a.Path)
	}
	return api.OnResolveResult{Path: path.Join(path.Dir(a.Importer), a.Path), Namespace: ShimNamespace, SideEffects: api.SideEffectsFalse}, nil
}

// resolveUserFile lets esbuild resolve an import of the user's code (so
// that extensions, index files, TypeScript and vendored packages work as
// in Node), then refuses anything outside the Action's directory and
// --node-modules. A Rule's require('name@version') resolves name.
func resolveUserFile(b api.PluginBuild, a api.OnResolveArgs, sb *importScope) (api.OnResolveResult, error) {
	bare := !strings.HasPrefix(a.Path, "./") && !strings.HasPrefix(a.Path, "../") &&
		a.Path != "." && a.Path != ".." && !filepath.IsAbs(a.Path)
	if filepath.IsAbs(a.Path) {
		return api.OnResolveResult{}, fmt.Errorf("cannot import %q: an Action imports its files by relative path", a.Path)
	}
	spec, version := a.Path, ""
	if bare && sb.rule {
		spec, version = splitVersioned(a.Path)
	}
	missing := func() error {
		if !sb.rule {
			version = sb.declaredVersion(packageName(spec))
		}
		return npmError(spec, version, sb.rule)
	}
	r := b.Resolve(spec, api.ResolveOptions{
		Importer: a.Importer, Namespace: a.Namespace, ResolveDir: a.ResolveDir,
		Kind: a.Kind, PluginData: skipSandbox{}, With: a.With,
	})
	if len(r.Errors) > 0 || r.External || r.Path == "" {
		if bare {
			return api.OnResolveResult{}, missing()
		}
		return api.OnResolveResult{}, fmt.Errorf("cannot find %q next to %s", a.Path, filepath.Base(a.Importer))
	}
	real := r.Path
	if p, err := filepath.EvalSymlinks(real); err == nil {
		real = p
	}
	if !sb.inside(real) {
		if bare {
			return api.OnResolveResult{}, missing()
		}
		return api.OnResolveResult{}, fmt.Errorf("cannot import %q: it is outside the Action's directory %s, which is all the simulator reads", a.Path, sb.root)
	}
	return api.OnResolveResult{Path: r.Path, Namespace: r.Namespace, SideEffects: api.SideEffectsTrue, PluginData: r.PluginData}, nil
}
