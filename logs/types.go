package logs

import (
	"fmt"
	"strings"
)

// Types selects log event types by their codes
// (https://auth0.com/docs/deploy-monitor/logs/log-event-type-codes): each
// entry is a code such as "s", or a prefix ending in "*" such as "gd_*"
// (the Guardian events), or "*" alone for every type. The zero Types
// keeps every type.
type Types []string

// ParseTypes reads a comma-separated list of codes and prefixes, such as
// "s,f,gd_*".
func ParseTypes(s string) (Types, error) {
	var t Types
	for _, p := range strings.Split(s, ",") {
		p = strings.TrimSpace(p)
		switch {
		case p == "":
			continue
		case strings.Contains(strings.TrimSuffix(p, "*"), "*"):
			return nil, fmt.Errorf("log type %q: a \"*\" may only end a prefix, as in gd_*", p)
		case strings.ContainsFunc(p, func(r rune) bool { return r != '*' && r != '_' && !isAlnum(r) }):
			return nil, fmt.Errorf("log type %q is not a log event type code such as s, f or gd_*", p)
		}
		t = append(t, p)
	}
	if len(t) == 0 {
		return nil, fmt.Errorf("no log types in %q: give codes such as s,f,gd_* or * for every type", s)
	}
	return t, nil
}

func isAlnum(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
}

// Match reports whether a log of type code is selected.
func (t Types) Match(code string) bool {
	if len(t) == 0 {
		return true
	}
	for _, p := range t {
		if prefix, ok := strings.CutSuffix(p, "*"); ok {
			if strings.HasPrefix(code, prefix) {
				return true
			}
		} else if p == code {
			return true
		}
	}
	return false
}

// String is the list as ParseTypes reads it.
func (t Types) String() string {
	if len(t) == 0 {
		return "*"
	}
	return strings.Join(t, ",")
}
