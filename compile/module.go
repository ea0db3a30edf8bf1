package compile

import "fmt"

// regex returns the name of the hoisted RegExp constant for an RE2
// pattern, translating it on first use.
func (m *module) regex(pattern string) (string, error) {
	if name, ok := m.regexes[pattern]; ok {
		return name, nil
	}
	src, err := translateRegex(pattern)
	if err != nil {
		return "", err
	}
	name := fmt.Sprintf("re%d", len(m.regexes))
	m.regexes[pattern] = name
	// The source holds only ASCII letters, digits, \u{..} escapes and
	// regex syntax, never a slash or a line break, so a literal is safe.
	m.consts = append(m.consts,
		"//! RE2 "+jsComment(pattern),
		fmt.Sprintf("const %s = /%s/u;", name, src))
	return name, nil
}
