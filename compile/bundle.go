package compile

import (
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/evanw/esbuild/pkg/api"

	"github.com/mfapolicy/mfapolicy/internal/buildinfo"
	"github.com/mfapolicy/mfapolicy/templates"
)

// Module specifiers of the bundle: the CEL runtime (embedded templates)
// and the generated rules module.
const (
	runtimeImport = "mfapolicy:runtime"
	policyImport  = "mfapolicy:policy"
)

type bundleOptions struct {
	node   string // Node.js major version to target, "22" or "18"
	minify bool
}

// bundle builds one CommonJS script from a generated ES module entry and
// the embedded runtime, keeping only the helpers the entry uses. An
// esbuild error here is a bug in the compiler, not in the policy.
//
// policy is the source of the generated "mfapolicy:policy" module, which
// the entry may import.
func bundle(entry, policy string, o bundleOptions) ([]byte, error) {
	res := api.Build(api.BuildOptions{
		Stdin: &api.StdinOptions{
			Contents:   entry,
			Sourcefile: "policy.js",
			Loader:     api.LoaderJS,
		},
		Bundle:            true,
		Write:             false,
		Format:            api.FormatCommonJS,
		Platform:          api.PlatformNode,
		Engines:           []api.Engine{{Name: api.EngineNode, Version: o.node}},
		TreeShaking:       api.TreeShakingTrue,
		Charset:           api.CharsetASCII,
		LegalComments:     api.LegalCommentsInline,
		MinifySyntax:      o.minify,
		MinifyWhitespace:  o.minify,
		MinifyIdentifiers: o.minify,
		LogLevel:          api.LogLevelSilent,
		Plugins:           []api.Plugin{templatesPlugin(policy)},
		Banner:            map[string]string{"js": versionComment()},
	})
	if len(res.Errors) > 0 {
		msgs := make([]string, len(res.Errors))
		for i, m := range res.Errors {
			msgs[i] = m.Text
			if m.Location != nil {
				msgs[i] = fmt.Sprintf("%s:%d:%d: %s (%s)", m.Location.File, m.Location.Line, m.Location.Column, m.Text, m.Location.LineText)
			}
		}
		return nil, fmt.Errorf("compiler bug: esbuild rejected the generated JavaScript: %s", strings.Join(msgs, "; "))
	}
	if len(res.OutputFiles) != 1 {
		return nil, fmt.Errorf("compiler bug: esbuild produced %d files", len(res.OutputFiles))
	}
	return res.OutputFiles[0].Contents, nil
}

// versionComment is the Action's first line: the mfapolicy that compiled
// it, so that a deployed Action can be traced to its tool.
func versionComment() string {
	line := strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f || r == 0x2028 || r == 0x2029 {
			return ' '
		}
		return r
	}, buildinfo.Read().Line())
	return "// Compiled by " + line + "."
}

// templatesPlugin serves the runtime modules from the embedded templates.
func templatesPlugin(policy string) api.Plugin {
	const ns = "mfapolicy-templates"
	return api.Plugin{Name: "mfapolicy-templates", Setup: func(b api.PluginBuild) {
		b.OnResolve(api.OnResolveOptions{Filter: `.*`}, func(a api.OnResolveArgs) (api.OnResolveResult, error) {
			switch {
			case a.Path == runtimeImport:
				return api.OnResolveResult{Path: "runtime/index.js", Namespace: ns}, nil
			case a.Path == policyImport:
				return api.OnResolveResult{Path: "policy.js", Namespace: ns + "-policy"}, nil
			case a.Namespace == ns && strings.HasPrefix(a.Path, "./") && strings.HasSuffix(a.Path, ".js"):
				return api.OnResolveResult{Path: path.Join(path.Dir(a.Importer), a.Path), Namespace: ns}, nil
			}
			return api.OnResolveResult{}, fmt.Errorf("generated code may import only %s, not %q", runtimeImport, a.Path)
		})
		b.OnLoad(api.OnLoadOptions{Filter: `.*`, Namespace: ns + "-policy"}, func(api.OnLoadArgs) (api.OnLoadResult, error) {
			return api.OnLoadResult{Contents: &policy, Loader: api.LoaderJS}, nil
		})
		b.OnLoad(api.OnLoadOptions{Filter: `.*`, Namespace: ns}, func(a api.OnLoadArgs) (api.OnLoadResult, error) {
			src, err := fs.ReadFile(templates.FS, a.Path)
			if err != nil {
				return api.OnLoadResult{}, err
			}
			s := string(src)
			// The runtime has no side effects at load time, which lets
			// esbuild drop every helper a policy does not call.
			return api.OnLoadResult{Contents: &s, Loader: api.LoaderJS}, nil
		})
	}}
}
