package main

import (
	"errors"
	"fmt"

	"github.com/mfapolicy/mfapolicy/compile"
	"github.com/mfapolicy/mfapolicy/internal/diag"
	"github.com/mfapolicy/mfapolicy/policy"
)

// loadChecked loads a policy; an unreadable file is bad input (exit 2), a
// policy with errors prints them and is a finding (exit 1), as check does.
func loadChecked(s *streams, path string) (*policy.Policy, error) {
	p, diags := policy.Load(path)
	for _, d := range diags {
		if d.Code == "unreadable" {
			return nil, inputErr(fmt.Errorf("%s: %s", path, d.Message))
		}
	}
	if diags.HasErrors() {
		diags.Print(s.Err, 50)
		return nil, errFindings
	}
	return p, nil
}

// compileChecked compiles a checked policy exactly as it is deployed; what
// the compiler refuses is printed with its position and is a finding.
func compileChecked(s *streams, p *policy.Policy, opts compile.Options) (*compile.Result, error) {
	res, err := compile.Compile(p, opts)
	if err != nil {
		var dl diag.List
		if errors.As(err, &dl) {
			dl.Print(s.Err, 50)
			return nil, errFindings
		}
		return nil, err
	}
	return res, nil
}
