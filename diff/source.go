package diff

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/mfapolicy/mfapolicy/compile"
	"github.com/mfapolicy/mfapolicy/internal/diag"
	"github.com/mfapolicy/mfapolicy/policy"
	"github.com/mfapolicy/mfapolicy/simulate/engine"
)

// Side is one of the two policies compared: loaded, checked and compiled.
type Side struct {
	// Name is the policy as given: a path, or git:REF:PATH.
	Name string `json:"name"`
	// File is the path of the policy file (PATH for a git source), which
	// annotations point into.
	File string `json:"file"`
	// Policy is nil for a hand-written Action or a legacy Rule.
	Policy *policy.Policy      `json:"-"`
	Code   *compile.Result     `json:"-"`
	Fields map[string][]string `json:"-"`
}

// GitPrefix marks a policy read from git: git:REF:PATH.
const GitPrefix = "git:"

// ReadSource reads a policy given as a file path or as git:REF:PATH, which
// is read with `git show REF:PATH` in dir (the current directory when
// empty), so PATH is relative to the repository root unless it starts
// with ./ (relative to dir). It returns the file path part and the text.
func ReadSource(ctx context.Context, spec, dir string) (string, []byte, error) {
	if !strings.HasPrefix(spec, GitPrefix) {
		data, err := os.ReadFile(spec)
		if err != nil {
			return spec, nil, fmt.Errorf("cannot read the policy: %w", err)
		}
		return spec, data, nil
	}
	rest := strings.TrimPrefix(spec, GitPrefix)
	i := strings.LastIndex(rest, ":")
	if i <= 0 || i == len(rest)-1 {
		return "", nil, fmt.Errorf("%s: a git policy is git:REF:PATH, for example git:origin/main:policy.yaml", spec)
	}
	ref, path := rest[:i], rest[i+1:]
	if strings.HasPrefix(ref, "-") {
		return "", nil, fmt.Errorf("%s: the git ref must not start with -", spec)
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "git", "show", "--no-textconv", ref+":"+path)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		var ee *exec.ExitError
		if msg == "" || !errors.As(err, &ee) {
			msg = err.Error()
		}
		return "", nil, fmt.Errorf("%s: git show %s:%s failed: %s", spec, ref, path, msg)
	}
	return strings.TrimPrefix(path, "./"), stdout.Bytes(), nil
}

// Prefixes of a side that is not a policy: a hand-written post-login Action
// (a .js, .mjs, .cjs or .ts file is one too) or a legacy Rule, so that a
// migration shows the old code's decisions beside the new policy's.
const (
	ActionPrefix = "action:"
	RulePrefix   = "rule:"
)

// codeSide bundles a hand-written Action or a legacy Rule for the
// simulator; it has no policy, so its decisions name no rules.
func codeSide(spec string) (*Side, bool, error) {
	var bundle func(string, engine.BundleOptions) ([]byte, error)
	file := spec
	switch {
	case strings.HasPrefix(spec, RulePrefix):
		bundle, file = engine.BundleRule, strings.TrimPrefix(spec, RulePrefix)
	case strings.HasPrefix(spec, ActionPrefix):
		bundle, file = engine.BundleAction, strings.TrimPrefix(spec, ActionPrefix)
	default:
		switch filepath.Ext(spec) {
		case ".js", ".mjs", ".cjs", ".ts":
			bundle = engine.BundleAction
		default:
			return nil, false, nil
		}
	}
	code, err := bundle(file, engine.BundleOptions{})
	if err != nil {
		return nil, true, err
	}
	return &Side{Name: spec, File: file, Code: &compile.Result{Code: code}}, true, nil
}

// LoadSide reads, checks and compiles one policy, or bundles a hand-written
// Action or legacy Rule (see ActionPrefix). A policy with errors returns
// them as a diag.List.
func LoadSide(ctx context.Context, spec, dir string) (*Side, error) {
	if side, ok, err := codeSide(spec); ok {
		return side, err
	}
	file, data, err := ReadSource(ctx, spec, dir)
	if err != nil {
		return nil, err
	}
	name := file
	if strings.HasPrefix(spec, GitPrefix) {
		name = spec
	}
	p, diags := policy.Parse(name, data)
	if diags.HasErrors() {
		return nil, diags.Errors()
	}
	res, err := compile.Compile(p, compile.Options{})
	if err != nil {
		var dl diag.List
		if errors.As(err, &dl) {
			return nil, dl
		}
		return nil, fmt.Errorf("%s: %w", spec, err)
	}
	return &Side{Name: spec, File: file, Policy: p, Code: res, Fields: RuleFields(p)}, nil
}

// rules is the number of rules of a policy side, 0 for an Action or Rule.
func (s *Side) rules() int {
	if s.Policy == nil {
		return 0
	}
	return len(s.Policy.Rules)
}
