package engine

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"go.yaml.in/yaml/v4"
)

// An Action declares the npm modules it needs, and Auth0 installs them:
// dependencies [{name, version}] in the Management API's action object
// (action.json, https://auth0.com/docs/api/management/v2/actions/post-action),
// in the Deploy CLI's tenant.yaml (actions[].dependencies) and in the
// Terraform provider's auth0_action (dependencies { name version }
// blocks). The simulator installs nothing: a missing module is an error
// that names the npm install command for the declared version. Rules
// declared nothing: they required any module of Auth0's vetted list, at
// the version named in require('name@version') or else the first version
// of that list
// (https://auth0.com/docs/customize/rules/rules-best-practices/rules-environment-best-practices).

// declarationDepth is how many directories above the Action's own are
// searched for declarations (tenant.yaml sits above actions/NAME/).
const declarationDepth = 3

// declaredDependencies reads the npm dependencies declared for the Action
// in file: in action.json, *.yaml/*.yml with an actions list and *.tf
// files in its directory and up to declarationDepth directories above;
// the declaration closest to the Action wins.
func declaredDependencies(file string) map[string]string {
	out := map[string]string{}
	dir, err := filepath.Abs(filepath.Dir(file))
	if err != nil {
		return out
	}
	for i := 0; i <= declarationDepth; i++ {
		entries, _ := os.ReadDir(dir)
		names := make([]string, 0, len(entries))
		for _, e := range entries {
			if !e.IsDir() {
				names = append(names, e.Name())
			}
		}
		sort.Strings(names)
		for _, n := range names {
			for name, v := range dependenciesIn(filepath.Join(dir, n)) {
				if _, ok := out[name]; !ok {
					out[name] = v
				}
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	return out
}

// dependency is one {name, version} entry.
type dependency struct {
	Name    string `json:"name" yaml:"name"`
	Version string `json:"version" yaml:"version"`
}

// terraformDependency matches a dependencies { name = "x" version = "y" }
// block of an auth0_action resource.
var terraformDependency = regexp.MustCompile(`dependencies\s*\{\s*name\s*=\s*"([^"]+)"\s*version\s*=\s*"([^"]+)"\s*\}`)

// maxDeclarationFile bounds the files read for declarations.
const maxDeclarationFile = 1 << 20

// dependenciesIn reads the dependencies a file declares, if it is a kind
// that declares them.
func dependenciesIn(path string) map[string]string {
	name := filepath.Base(path)
	ext := filepath.Ext(name)
	if name != "action.json" && ext != ".yaml" && ext != ".yml" && ext != ".tf" {
		return nil
	}
	if st, err := os.Stat(path); err != nil || st.Size() > maxDeclarationFile {
		return nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	out := map[string]string{}
	switch ext {
	case ".json":
		var a struct {
			Dependencies []dependency `json:"dependencies"`
		}
		if json.Unmarshal(data, &a) == nil {
			addDependencies(out, a.Dependencies)
		}
	case ".tf":
		for _, m := range terraformDependency.FindAllStringSubmatch(string(data), -1) {
			if _, ok := out[m[1]]; !ok {
				out[m[1]] = m[2]
			}
		}
	default:
		var t struct {
			Actions []struct {
				Dependencies []dependency `yaml:"dependencies"`
			} `yaml:"actions"`
		}
		if yaml.Unmarshal(data, &t) == nil {
			for _, a := range t.Actions {
				addDependencies(out, a.Dependencies)
			}
		}
	}
	return out
}

func addDependencies(out map[string]string, deps []dependency) {
	for _, d := range deps {
		if _, ok := out[d.Name]; !ok && d.Name != "" {
			out[d.Name] = d.Version
		}
	}
}

// splitVersioned splits a Rule's require('name@version/sub') into the
// package specifier Node resolves ("name/sub") and the version ("" when
// none is named).
func splitVersioned(spec string) (string, string) {
	scope := ""
	rest := spec
	if strings.HasPrefix(spec, "@") {
		i := strings.Index(spec, "/")
		if i < 0 {
			return spec, ""
		}
		scope, rest = spec[:i+1], spec[i+1:]
	}
	name, sub, _ := strings.Cut(rest, "/")
	base, version, ok := strings.Cut(name, "@")
	if !ok {
		return spec, ""
	}
	out := scope + base
	if sub != "" {
		out += "/" + sub
	}
	return out, version
}

// packageName is the npm package a bare specifier names.
func packageName(spec string) string {
	parts := strings.SplitN(spec, "/", 3)
	if strings.HasPrefix(spec, "@") && len(parts) >= 2 {
		return parts[0] + "/" + parts[1]
	}
	return parts[0]
}

// npmError is the message for a bare import that is found neither beside
// the Action nor in --node-modules: the install command, with the version
// the Action declares (or the Rule names) when known.
func npmError(spec, version string, rule bool) error {
	pkg := packageName(spec)
	install := "npm install " + pkg
	if version != "" {
		install += "@" + version
	}
	var why string
	switch {
	case version != "" && rule:
		why = "the version the Rule requires"
	case version != "":
		why = "the version the Action declares in its dependencies"
	case rule:
		why = "Auth0 gave a Rule the first version of its vetted module list; pin the one your Rule ran with"
	default:
		why = "the Action declares no version for it in action.json, tenant.yaml or Terraform"
	}
	return fmt.Errorf("npm module %q is not installed: run `%s` beside the %s or pass --node-modules DIR; %s", pkg, install, kindOf(rule), why)
}

func kindOf(rule bool) string {
	if rule {
		return "Rule"
	}
	return "Action"
}
