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
	return hoist(m.lists, &m.consts, "lit", text, func(name string) string {
		return fmt.Sprintf("const %s = %s;", name, text)
	})
}

// rangeSet returns the name of the constant holding the parsed ranges of
// the list constant list (rt.cidr_list), declared after the lists.
func (m *module) rangeSet(list string) string {
	return hoist(m.rangeSets, &m.late, "cidrs", list, func(name string) string {
		return fmt.Sprintf("const %s = rt.cidr_list(%s);", name, list)
	})
}

// hoist returns the name of the module constant made for key: the one
// made before, or a new one, prefix and a number, whose declaration is
// appended to decls.
func hoist(names map[string]string, decls *[]string, prefix, key string, decl func(name string) string) string {
	if name, ok := names[key]; ok {
		return name
	}
	name := fmt.Sprintf("%s%d", prefix, len(names))
	names[key] = name
	*decls = append(*decls, decl(name))
	return name
}
