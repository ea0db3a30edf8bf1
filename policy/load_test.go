package policy

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadUnreadable(t *testing.T) {
	path := filepath.Join(t.TempDir(), "missing.yaml")
	p, diags := Load(path)
	if p != nil || len(diags) != 1 || diags[0].Code != codeUnreadable {
		t.Fatalf("got %v, %v", p, diags)
	}
	want := path + ": error: cannot read the policy: no such file or directory [unreadable]"
	if got := diags[0].Error(); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestLoadTooLarge(t *testing.T) {
	path := filepath.Join(t.TempDir(), "big.yaml")
	if err := os.WriteFile(path, []byte("name: x\n"+strings.Repeat("#\n", MaxPolicySize/2)), 0o644); err != nil {
		t.Fatal(err)
	}
	p, diags := Load(path)
	if p != nil || len(diags) != 1 || diags[0].Code != codeTooLarge {
		t.Fatalf("got %v, %v", p, diags)
	}
	if _, diags := Parse("big.yaml", make([]byte, MaxPolicySize+1)); len(diags) != 1 || diags[0].Code != codeTooLarge {
		t.Errorf("Parse: got %v", diags)
	}
}

// TestLoadByteOrderMark checks that a UTF-8 byte order mark, which some
// editors write, neither fails the load nor shifts columns.
func TestLoadByteOrderMark(t *testing.T) {
	_, diags := Parse("bom.yaml", []byte("\ufeffname: x\nruntime: node16\ndefault: allow\n"))
	if len(diags) != 2 || diags[1].Code != codeBadRuntime || diags[1].Pos.String() != "bom.yaml:2:10" {
		t.Errorf("got %v", diags)
	}
}

// TestLoadClean checks the shipped example loads without a problem.
func TestLoadClean(t *testing.T) {
	p, diags := Load(filepath.Join("..", "examples", "policy.yaml"))
	if len(diags) != 0 {
		var b strings.Builder
		diags.Print(&b, 0)
		t.Fatalf("examples/policy.yaml:\n%s", b.String())
	}
	if p.Name != "adaptive-mfa" || len(p.Rules) == 0 {
		t.Errorf("got name %q, %d rules", p.Name, len(p.Rules))
	}
}
