package distribution

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	yaml "go.yaml.in/yaml/v4"
)

// actionFile is the part of action.yml a composite action's runner reads.
type actionFile struct {
	Inputs map[string]struct {
		Default  string `yaml:"default"`
		Required bool   `yaml:"required"`
	} `yaml:"inputs"`
	Runs struct {
		Using string `yaml:"using"`
		Steps []struct {
			Name  string            `yaml:"name"`
			ID    string            `yaml:"id"`
			If    string            `yaml:"if"`
			Shell string            `yaml:"shell"`
			Env   map[string]string `yaml:"env"`
			Run   string            `yaml:"run"`
		} `yaml:"steps"`
	} `yaml:"runs"`
}

// runner runs a composite action the way GitHub's runner does, for the
// subset of the expression language action.yml uses: ${{ ref }}
// substitutions in env, and if: conditions made of always(), refs,
// == and != against ” literals, joined by && and ||. A step runs when every
// earlier step succeeded, or when its condition calls always(); a failed
// step fails the action. Steps run as `bash --noprofile --norc -eo
// pipefail FILE`; $GITHUB_PATH, $GITHUB_OUTPUT and $GITHUB_STEP_SUMMARY
// work as on a runner.
type runner struct {
	t          *testing.T
	actionPath string            // the action's directory (GITHUB_ACTION_PATH)
	workspace  string            // the job's working directory
	env        map[string]string // the job's environment
	github     map[string]string // the github context, by dotted path
	inputs     map[string]string // the with: of the step that uses the action
}

// result is one run of the action.
type result struct {
	failedStep string            // the first step that failed, or ""
	ran        []string          // the steps that ran, in order
	stdout     string            // every step's standard output
	outputs    map[string]string // steps.ID.outputs.NAME, by "ID.NAME"
}

func (r *runner) run() result {
	t := r.t
	t.Helper()
	data, err := os.ReadFile(filepath.Join(r.actionPath, "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var af actionFile
	if err := yaml.Unmarshal(data, &af); err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	if af.Runs.Using != "composite" {
		t.Fatalf("action.yml runs using %q, want composite", af.Runs.Using)
	}
	inputs := map[string]string{}
	for name, in := range af.Inputs {
		v, given := r.inputs[name]
		if !given {
			v = r.expand(in.Default, nil, nil)
		}
		if in.Required && v == "" {
			t.Fatalf("required input %s is not given", name)
		}
		inputs[name] = v
	}
	for name := range r.inputs {
		if _, ok := af.Inputs[name]; !ok {
			t.Fatalf("action.yml has no input %s", name)
		}
	}
	res := result{outputs: map[string]string{}}
	temp := t.TempDir()
	pathFile := filepath.Join(temp, "path")
	failed := false
	for i, st := range af.Runs.Steps {
		ok := (!failed || strings.Contains(st.If, "always()")) && r.cond(st.If, inputs, res.outputs)
		if !ok {
			continue
		}
		res.ran = append(res.ran, st.Name)
		if st.Shell != "bash" {
			t.Fatalf("step %q: shell %q, want bash", st.Name, st.Shell)
		}
		script := filepath.Join(temp, "step.sh")
		if err := os.WriteFile(script, []byte(st.Run), 0o644); err != nil {
			t.Fatal(err)
		}
		outFile := filepath.Join(temp, "output"+string(rune('a'+i)))
		os.WriteFile(outFile, nil, 0o644)
		cmd := exec.Command("bash", "--noprofile", "--norc", "-eo", "pipefail", script)
		cmd.Dir = r.workspace
		env := map[string]string{}
		for k, v := range r.env {
			env[k] = v
		}
		env["GITHUB_ACTION_PATH"] = r.actionPath
		env["GITHUB_PATH"] = pathFile
		env["GITHUB_OUTPUT"] = outFile
		env["PATH"] = prependPaths(t, pathFile, env["PATH"])
		for k, v := range st.Env {
			env[k] = r.expand(v, inputs, res.outputs)
		}
		for k, v := range env {
			cmd.Env = append(cmd.Env, k+"="+v)
		}
		out, err := cmd.Output()
		res.stdout += string(out)
		if ee, isExit := err.(*exec.ExitError); isExit {
			t.Logf("step %q failed: %v\n%s", st.Name, err, ee.Stderr)
		} else if err != nil {
			t.Fatal(err)
		}
		if st.ID != "" {
			for k, v := range readOutputs(t, outFile) {
				res.outputs[st.ID+"."+k] = v
			}
		}
		if err != nil && !failed {
			failed, res.failedStep = true, st.Name
		}
	}
	return res
}

var exprRe = regexp.MustCompile(`\$\{\{\s*(.*?)\s*\}\}`)

// expand substitutes ${{ ref }} expressions.
func (r *runner) expand(s string, inputs, outputs map[string]string) string {
	return exprRe.ReplaceAllStringFunc(s, func(m string) string {
		return r.value(exprRe.FindStringSubmatch(m)[1], inputs, outputs)
	})
}

// value is a reference or a ” literal.
func (r *runner) value(ref string, inputs, outputs map[string]string) string {
	ref = strings.TrimSpace(ref)
	switch {
	case strings.HasPrefix(ref, "'") && strings.HasSuffix(ref, "'") && len(ref) >= 2:
		return strings.ReplaceAll(ref[1:len(ref)-1], "''", "'")
	case strings.HasPrefix(ref, "inputs."):
		v, ok := inputs[strings.TrimPrefix(ref, "inputs.")]
		if !ok {
			r.t.Fatalf("unknown input in %q", ref)
		}
		return v
	case strings.HasPrefix(ref, "github."):
		return r.github[strings.TrimPrefix(ref, "github.")]
	case strings.HasPrefix(ref, "steps."):
		parts := strings.Split(ref, ".")
		if len(parts) != 4 || parts[2] != "outputs" {
			r.t.Fatalf("unsupported step reference %q", ref)
		}
		return outputs[parts[1]+"."+parts[3]]
	}
	r.t.Fatalf("unsupported expression %q", ref)
	return ""
}

// cond evaluates an if: condition: alternatives joined by ||, each of
// terms joined by && (which binds tighter, as in GitHub's expressions).
func (r *runner) cond(expr string, inputs, outputs map[string]string) bool {
	if strings.TrimSpace(expr) == "" {
		return true
	}
	for _, alt := range strings.Split(expr, "||") {
		if r.all(alt, inputs, outputs) {
			return true
		}
	}
	return false
}

// all evaluates terms joined by &&.
func (r *runner) all(expr string, inputs, outputs map[string]string) bool {
	for _, term := range strings.Split(expr, "&&") {
		term = strings.TrimSpace(term)
		var ok bool
		switch {
		case term == "always()":
			ok = true
		case strings.Contains(term, "!="):
			a, b, _ := strings.Cut(term, "!=")
			ok = r.value(a, inputs, outputs) != r.value(b, inputs, outputs)
		case strings.Contains(term, "=="):
			a, b, _ := strings.Cut(term, "==")
			ok = r.value(a, inputs, outputs) == r.value(b, inputs, outputs)
		default:
			ok = r.value(term, inputs, outputs) != ""
		}
		if !ok {
			return false
		}
	}
	return true
}

// prependPaths puts the directories added to $GITHUB_PATH before PATH,
// the last added first.
func prependPaths(t *testing.T, pathFile, path string) string {
	data, err := os.ReadFile(pathFile)
	if err != nil {
		return path
	}
	for _, dir := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		if dir != "" {
			path = dir + string(os.PathListSeparator) + path
		}
	}
	return path
}

// readOutputs reads NAME=VALUE lines of a $GITHUB_OUTPUT file.
func readOutputs(t *testing.T, path string) map[string]string {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), "=")
		if !ok {
			t.Fatalf("unsupported $GITHUB_OUTPUT line %q", sc.Text())
		}
		out[k] = v
	}
	return out
}
