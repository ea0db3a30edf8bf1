package distribution

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// runDeps runs scripts/deps.sh on a module list.
func runDeps(t *testing.T, modules string) (string, bool) {
	t.Helper()
	list := filepath.Join(t.TempDir(), "modules.txt")
	writeFile(t, list, []byte(modules))
	cmd := exec.Command(filepath.Join(repoRoot(t), "scripts/deps.sh"))
	cmd.Env = append(os.Environ(), "DEPS_LIST="+list)
	out, err := cmd.CombinedOutput()
	if _, isExit := err.(*exec.ExitError); err != nil && !isExit {
		t.Fatal(err)
	}
	return string(out), err == nil
}

// The build list of this module passes; each kind of breach fails, with a
// message naming the module.
func TestDepsDiscipline(t *testing.T) {
	cmd := exec.Command("go", "list", "-m", "all")
	cmd.Dir = repoRoot(t)
	list, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	modules := string(list)
	if out, ok := runDeps(t, modules); !ok || !strings.Contains(out, "goja v0.0.0-20260311135729-065cd970411c") {
		t.Fatalf("the module's own build list fails:\n%s", out)
	}
	replace := func(old, new string) string {
		if !strings.Contains(modules, old) {
			t.Fatalf("the build list has no %q", old)
		}
		return strings.Replace(modules, old, new, 1)
	}
	tests := []struct {
		name, modules, want string
	}{
		{"other goja", replace("github.com/dop251/goja v0.0.0-20260311135729-065cd970411c", "github.com/dop251/goja v0.0.0-20250630131328-58d95d85e994"),
			"goja is v0.0.0-20250630131328-58d95d85e994; the approved version is"},
		{"old cel-go", replace("cel.dev/cel-go v0.33.3", "cel.dev/cel-go v0.26.1"), "cel-go is v0.26.1, older than v0.33.3"},
		{"replaced", replace("github.com/spf13/cobra v1.10.2", "github.com/spf13/cobra v1.10.2 => ../cobra"), "github.com/spf13/cobra v1.10.2 is replaced"},
		{"pseudo-version", replace("github.com/spf13/pflag v1.0.9", "github.com/spf13/pflag v1.0.10-0.20250101000000-0123456789ab"), "github.com/spf13/pflag v1.0.10-0.20250101000000-0123456789ab is a pseudo-version"},
		{"pre-release", replace("github.com/spf13/pflag v1.0.9", "github.com/spf13/pflag v1.1.0-rc.1"), "github.com/spf13/pflag v1.1.0-rc.1 is a pseudo-version, a pre-release"},
		{"stale exception", replace("golang.org/x/exp v0.0.0-20240823005443-9b4947da3948", "golang.org/x/exp v0.0.0-20250101000000-0123456789ab"), "the exception golang.org/x/exp v0.0.0-20240823005443-9b4947da3948 is not in the build list any more"},
	}
	for _, tt := range tests {
		out, ok := runDeps(t, tt.modules)
		if ok || !strings.Contains(out, tt.want) {
			t.Errorf("%s: passed=%v, want a failure saying %q:\n%s", tt.name, ok, tt.want, out)
		}
	}
}
