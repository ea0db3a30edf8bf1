package tenant

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"regexp"
)

// ansiEscape matches the colour sequences a terminal-attached `auth0 api`
// may have written into a saved output.
var ansiEscape = regexp.MustCompile("\x1b\\[[0-9;]*[A-Za-z]")

// Load reads and merges tenant context files, in order. Each file may be
// this package's own file or a saved Management API response (see Parse);
// a section given by two files is an error, so that nothing is silently
// overridden.
func Load(paths ...string) (*File, error) {
	out := &File{}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("cannot read the tenant context: %w", err)
		}
		f, err := Parse(p, data)
		if err != nil {
			return nil, err
		}
		if err := out.merge(f); err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
	}
	return out, nil
}

// Parse reads one tenant context file named name. It recognises:
//
//   - this package's file: an object with domain, factors, policies,
//     phone_message_types and users;
//   - what `auth0 api get "guardian/factors"` prints: an array of
//     {name, enabled, trial_expired};
//   - what `auth0 api get "guardian/policies"` prints: an array of policy
//     names, [] meaning never;
//   - what `auth0 api get "guardian/factors/phone/message-types"` prints:
//     {"message_types": [...]}.
//
// Terminal colour codes and a byte order mark are ignored. A Management
// API error body (a saved failed request) is reported as such.
func Parse(name string, data []byte) (*File, error) {
	data = bytes.TrimPrefix(data, []byte{0xEF, 0xBB, 0xBF})
	data = bytes.TrimSpace(ansiEscape.ReplaceAll(data, nil))
	if len(data) == 0 {
		return nil, fmt.Errorf("%s: the file is empty; expected a tenant context or a saved `auth0 api get \"guardian/factors\"` output", name)
	}
	var f *File
	var err error
	switch data[0] {
	case '[':
		f, err = parseArray(data)
	case '{':
		f, err = parseObject(data)
	default:
		err = fmt.Errorf("not JSON: expected a tenant context object or a saved Management API response")
	}
	if err != nil {
		return nil, fmt.Errorf("%s%s: %w", name, position(data, err), err)
	}
	if err := f.validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	f.Sources = []string{name}
	return f, nil
}

// parseArray reads a saved guardian/factors or guardian/policies response.
func parseArray(data []byte) (*File, error) {
	var items []json.RawMessage
	if err := json.Unmarshal(data, &items); err != nil {
		return nil, err
	}
	if len(items) == 0 {
		// guardian/factors always lists every factor; an empty array is
		// the policies response of a tenant whose policy is "never".
		return &File{Policies: &[]string{}}, nil
	}
	var probe struct {
		Name *string `json:"name"`
		Type *string `json:"type"`
	}
	var s string
	switch {
	case json.Unmarshal(items[0], &s) == nil:
		var ps []string
		if err := json.Unmarshal(data, &ps); err != nil {
			return nil, fmt.Errorf("a guardian/policies response is an array of policy names: %w", err)
		}
		return &File{Policies: &ps}, nil
	case json.Unmarshal(items[0], &probe) == nil && probe.Name != nil:
		var fs []Factor
		if err := json.Unmarshal(data, &fs); err != nil {
			return nil, fmt.Errorf("a guardian/factors response is an array of {name, enabled}: %w", err)
		}
		return &File{Factors: fs}, nil
	case probe.Type != nil:
		return nil, errors.New("this looks like one user's authentication methods; put it in a tenant context file under \"users\": {\"USER_ID\": [...]}")
	}
	return nil, errors.New("an array that is neither a guardian/factors nor a guardian/policies response")
}

// parseObject reads this package's file, a saved phone message-types
// response, or reports a saved error.
func parseObject(data []byte) (*File, error) {
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(data, &probe); err != nil {
		return nil, err
	}
	if _, ok := probe["statusCode"]; ok {
		var e struct {
			Status  int    `json:"statusCode"`
			Message string `json:"message"`
		}
		_ = json.Unmarshal(data, &e)
		return nil, fmt.Errorf("this is a Management API error (status %d: %s), not a tenant context; the request that saved it failed", e.Status, e.Message)
	}
	if _, ok := probe["authenticators"]; ok {
		return nil, errors.New("this looks like one user's authentication methods; put its \"authenticators\" in a tenant context file under \"users\": {\"USER_ID\": [...]}")
	}
	if mt, ok := probe["message_types"]; ok && len(probe) == 1 {
		var types []string
		if err := json.Unmarshal(mt, &types); err != nil {
			return nil, fmt.Errorf("message_types: %w", err)
		}
		return &File{PhoneMessageTypes: types}, nil
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	f := &File{}
	if err := dec.Decode(f); err != nil {
		return nil, err
	}
	return f, nil
}

// validate rejects what would silently change decisions: a factor
// without a name, a user without an id.
func (f *File) validate() error {
	for i, fc := range f.Factors {
		if fc.Name == "" {
			return fmt.Errorf("factors[%d] has no name", i)
		}
	}
	if _, ok := f.Users[""]; ok {
		return errors.New("users: a user id is empty")
	}
	if _, ok := f.Roles[""]; ok {
		return errors.New("roles: a user id is empty")
	}
	return nil
}

// merge adds g's sections to f; a section both give is an error.
func (f *File) merge(g *File) error {
	clash := func(what string) error {
		return fmt.Errorf("%s are given twice (also in %v)", what, f.Sources)
	}
	if g.Domain != "" {
		if f.Domain != "" && f.Domain != g.Domain {
			return fmt.Errorf("domain %q differs from %q (in %v)", g.Domain, f.Domain, f.Sources)
		}
		f.Domain = g.Domain
	}
	if g.Factors != nil {
		if f.Factors != nil {
			return clash("the factors")
		}
		f.Factors = g.Factors
	}
	if g.Policies != nil {
		if f.Policies != nil {
			return clash("the MFA policies")
		}
		f.Policies = g.Policies
	}
	if g.PhoneMessageTypes != nil {
		if f.PhoneMessageTypes != nil {
			return clash("the phone message types")
		}
		f.PhoneMessageTypes = g.PhoneMessageTypes
	}
	if g.Users != nil {
		if f.Users != nil {
			return clash("the users")
		}
		f.Users = g.Users
	}
	if g.Roles != nil {
		if f.Roles != nil {
			return clash("the roles")
		}
		f.Roles = g.Roles
	}
	f.Sources = append(f.Sources, g.Sources...)
	return nil
}

// position is ":line:col" of a JSON syntax or type error, else empty.
func position(data []byte, err error) string {
	var off int64 = -1
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		off = te.Offset
	}
	if off < 0 {
		return ""
	}
	line, col := 1, 1
	for _, c := range data[:min(int(off), len(data))] {
		if c == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return fmt.Sprintf(":%d:%d", line, col)
}

// Marshal writes f as indented JSON with a final newline, users sorted by
// id (encoding/json sorts map keys), so that the same tenant gives the same
// bytes.
func Marshal(f *File) ([]byte, error) {
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}
