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

// constList returns the name of a module-level constant holding the list
// literal text (the JavaScript of a CEL list whose elements are all
// literals), made once for the whole policy: a literal inside a rule
// would otherwise be a new array at every evaluation, and allocation is
// dear in an interpreter. No helper changes a list it is given.
func (m *module) constList(text string) string {
	if name, ok := m.lists[text]; ok {
		return name
	}
	name := fmt.Sprintf("lit%d", len(m.lists))
	m.lists[text] = name
	m.consts = append(m.consts, fmt.Sprintf("const %s = %s;", name, text))
	return name
}

// rangeSet returns the name of the constant holding the parsed ranges of
// the list constant list (rt.cidr_list), declared after the lists.
func (m *module) rangeSet(list string) string {
	if name, ok := m.rangeSets[list]; ok {
		return name
	}
	name := fmt.Sprintf("cidrs%d", len(m.rangeSets))
	m.rangeSets[list] = name
	m.late = append(m.late, fmt.Sprintf("const %s = rt.cidr_list(%s);", name, list))
	return name
}
