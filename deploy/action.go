package deploy

import (
	"fmt"
	"strings"
)

// Trigger is the Auth0 trigger the Action is bound to, and TriggerVersion
// the version of that trigger's event and api objects the compiled code is
// written against. Post-login v3 is the current version; v1 and v2 are
// deprecated (https://auth0.com/docs/customize/actions/explore-triggers/post-login).
const (
	Trigger        = "post-login"
	TriggerVersion = "v3"
)

// Action is what a deploy puts on the tenant: the Action's name, the
// compiled code.js, byte for byte, and the Node.js runtime it runs on.
type Action struct {
	Name    string
	Code    []byte
	Runtime string
}

func (a Action) validate() error {
	switch {
	case strings.TrimSpace(a.Name) == "":
		return fmt.Errorf("the Action has no name")
	case len(a.Code) == 0:
		return fmt.Errorf("the Action %q has no code", a.Name)
	case a.Runtime == "":
		return fmt.Errorf("the Action %q has no runtime", a.Name)
	}
	return nil
}

// PositionKind says where the Action's binding goes in the trigger's
// ordered list of bindings.
type PositionKind string

// Position kinds. Auth0 runs the bound Actions in list order, and a
// challenge stops later Actions until it is met, so order matters.
const (
	// Keep leaves an existing binding where it is and appends a new one.
	Keep PositionKind = ""
	// First puts the binding before every other.
	First PositionKind = "first"
	// Last puts the binding after every other.
	Last PositionKind = "last"
	// After puts the binding right after the named Action's.
	After PositionKind = "after"
)

// Position is where the Action's binding goes. The zero value is Keep.
type Position struct {
	Kind PositionKind
	// After names the Action (by name, or else binding display name) that
	// the binding follows; only with Kind After.
	After string
}

// ParsePosition reads a position as written on the command line: "" (keep
// an existing binding's place, append a new one), "first", "last" or
// "after:NAME".
func ParsePosition(s string) (Position, error) {
	switch {
	case s == "" || s == "keep":
		return Position{Kind: Keep}, nil
	case s == "first":
		return Position{Kind: First}, nil
	case s == "last":
		return Position{Kind: Last}, nil
	case strings.HasPrefix(s, "after:") && strings.TrimSpace(s[len("after:"):]) != "":
		return Position{Kind: After, After: strings.TrimSpace(s[len("after:"):])}, nil
	}
	return Position{}, fmt.Errorf("position %q is not first, last or after:NAME", s)
}

// String is the position as ParsePosition reads it.
func (p Position) String() string {
	switch p.Kind {
	case Keep:
		return "keep"
	case After:
		return "after:" + p.After
	}
	return string(p.Kind)
}

// MarshalText writes the position as ParsePosition reads it, so it
// appears in JSON as one string.
func (p Position) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalText reads a position written by MarshalText.
func (p *Position) UnmarshalText(b []byte) error {
	q, err := ParsePosition(string(b))
	if err != nil {
		return err
	}
	*p = q
	return nil
}
