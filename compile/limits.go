package compile

import (
	"fmt"
	"sort"
	"unicode/utf8"

	"github.com/mfapolicy/mfapolicy/internal/diag"
	"github.com/mfapolicy/mfapolicy/policy"
)

// Auth0's limits on an Action, from
// https://auth0.com/docs/customize/actions/limitations (size, secrets) and
// the customize-MFA-selection page (commands per login):
// https://auth0.com/docs/secure/multi-factor-authentication/customize-mfa/customize-mfa-selection-universal-login.
const (
	// MaxActionBytes: an Action should stay under 100 kB (npm modules
	// not counted).
	MaxActionBytes = 100 * 1024
	// MaxMFACommands: at most four challengeWith*/enrollWith* commands
	// per login flow, counted across all Actions; a fifth fails the login.
	MaxMFACommands = 4
	// MaxSecretName and MaxSecretValue bound a secret's name and value, in
	// characters.
	MaxSecretName  = 128
	MaxSecretValue = 4096
)

// Limits checks a compiled policy against Auth0's limits: the size of
// code.js, and the challenge and enroll commands one login can issue. The
// compiled Action issues at most one command per login (the deciding
// rule's, or the default's, or on_error's); the check keeps that promise
// honest and leaves room for the other Actions bound to post-login,
// which count against the same four.
func Limits(p *policy.Policy, res *Result) diag.List {
	var out diag.List
	pos := diag.Pos{File: p.File, Line: 1, Col: 1}
	if n := len(res.Code); n >= MaxActionBytes {
		out = append(out, p.Source.New(diag.Warning, pos, "action-too-large",
			fmt.Sprintf("the compiled Action is %d bytes; Auth0 asks Actions to stay under %d (100 kB)", n, MaxActionBytes),
			"split long lists into fewer, shorter ones, or compile with minification"))
	}
	check := func(what string, a policy.Action, at diag.Pos) {
		if n := mfaCommands(a); n > MaxMFACommands {
			out = append(out, p.Source.New(diag.Error, at, "too-many-mfa-commands",
				fmt.Sprintf("%s issues %d challenge/enroll commands in one login; Auth0 fails the login past %d", what, n, MaxMFACommands), ""))
		}
	}
	for _, r := range p.Rules {
		check(fmt.Sprintf("rule %q", r.ID), r.Action, r.Pos)
	}
	check("the default", p.Default, orPos(p.Default.Pos, pos))
	check("on_error", p.OnError, orPos(p.OnError.Pos, pos))
	return out
}

// mfaCommands is how many challengeWith*/enrollWith* calls the Action
// emits for one outcome: one for challenge or enroll (its factors go in
// a single call), none otherwise.
func mfaCommands(a policy.Action) int {
	switch a.Then {
	case policy.Challenge, policy.Enroll:
		return 1
	}
	return 0
}

func orPos(p, def diag.Pos) diag.Pos {
	if p.Line == 0 {
		return def
	}
	return p
}

// SecretProblems checks an Action's secrets against Auth0's limits on
// names and values, and returns one sentence per problem, sorted by name.
// Values are never quoted.
func SecretProblems(secrets map[string]string) []string {
	names := make([]string, 0, len(secrets))
	for k := range secrets {
		names = append(names, k)
	}
	sort.Strings(names)
	var out []string
	for _, k := range names {
		if n := utf8.RuneCountInString(k); n > MaxSecretName {
			out = append(out, fmt.Sprintf("secret name %.20q… is %d characters; Auth0 allows at most %d", k, n, MaxSecretName))
		}
		if k == "" {
			out = append(out, "a secret has an empty name")
		}
		if n := utf8.RuneCountInString(secrets[k]); n > MaxSecretValue {
			out = append(out, fmt.Sprintf("secret %q: its value is %d characters; Auth0 allows at most %d", k, n, MaxSecretValue))
		}
	}
	return out
}
