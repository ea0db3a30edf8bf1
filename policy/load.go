package policy

import (
	"errors"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"

	"cel.dev/cel-go/cel"
	yaml "go.yaml.in/yaml/v4"

	"github.com/mfapolicy/mfapolicy/internal/diag"
	"github.com/mfapolicy/mfapolicy/internal/yaml12"
)

// MaxPolicySize is the largest policy file accepted, in bytes.
const MaxPolicySize = 1 << 20

// Runtimes are the Node.js runtimes a policy may target. Auth0 recommends
// node22 and still offers node18
// (https://auth0.com/docs/troubleshoot/product-lifecycle/deprecations-and-migrations/migrate-nodejs-22).
var Runtimes = []string{"node22", "node18"}

// RuleIDPattern is what a rule id looks like: letters, digits, '-', '_'
// and '.', starting with a letter or digit, at most 100 characters.
const RuleIDPattern = `^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$`

var ruleIDPattern = regexp.MustCompile(RuleIDPattern)

// Load reads and checks the policy file at path. The returned diagnostics
// include warnings; the policy is usable when they hold no error.
func Load(path string) (*Policy, diag.List) {
	info, err := os.Stat(path)
	if err == nil && info.Size() > MaxPolicySize {
		return nil, diag.List{{Pos: diag.Pos{File: path}, Severity: diag.Error, Code: codeTooLarge,
			Message: fmt.Sprintf("the policy file is %d bytes; the limit is %d", info.Size(), MaxPolicySize)}}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, diag.List{{Pos: diag.Pos{File: path}, Severity: diag.Error, Code: codeUnreadable,
			Message: fmt.Sprintf("cannot read the policy: %v", unwrapPathError(err))}}
	}
	return Parse(path, data)
}

func unwrapPathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// Parse loads and checks a policy from its text; name is used in positions.
func Parse(name string, data []byte) (*Policy, diag.List) {
	src := diag.NewSource(name, strings.TrimPrefix(string(data), "\ufeff"))
	l := &loader{src: src, p: &Policy{File: name, Source: src}, offered: map[string]map[string]diag.Pos{}, bare: map[string]bool{}}
	if len(data) > MaxPolicySize {
		l.errorf(diag.Pos{File: name}, codeTooLarge, "", "the policy is %d bytes; the limit is %d", len(data), MaxPolicySize)
		return nil, l.diags
	}
	var doc yaml.Node
	if err := yaml12.Load(src.Text, &doc); err != nil {
		l.yamlError(err)
		return nil, l.diags
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		l.errorf(diag.Pos{File: name, Line: 1, Col: 1}, codeNotMapping, "start from `name:`, `rules:` and `default:`; see examples/policy.yaml", "the policy file is empty")
		return nil, l.diags
	}
	if l.top(doc.Content[0]) {
		l.check()
		l.tenantLints()
	}
	l.diags.Sort()
	return l.p, l.diags
}

type loader struct {
	src   *diag.Source
	p     *Policy
	diags diag.List
	// badLists are lists that did not load; rules may still name them.
	badLists []string
	// misspelt holds, per mapping, the known keys that an unknown key
	// probably meant: their absence is not reported a second time.
	misspelt map[*yaml.Node]map[string]bool
	// offered holds, per action (by its name in messages: `rule "x"`,
	// default, on_error), where each factor it lists is; bare names the
	// actions whose factors are the default lists. The tenant lints use
	// them.
	offered map[string]map[string]diag.Pos
	bare    map[string]bool
	// tenantOK is set when the tenant: section loaded without errors.
	tenantOK bool
}

// errorCount counts the errors reported so far.
func (l *loader) errorCount() int {
	n := 0
	for _, d := range l.diags {
		if d.Severity == diag.Error {
			n++
		}
	}
	return n
}

// meant reports whether mapping n has an unknown key that was probably
// meant to be key.
func (l *loader) meant(n *yaml.Node, key string) bool {
	return l.misspelt[resolveAlias(n)][key]
}

func (l *loader) pos(n *yaml.Node) diag.Pos {
	return diag.Pos{File: l.src.Name, Line: n.Line, Col: n.Column}
}

func (l *loader) report(sev diag.Severity, pos diag.Pos, code, hint, format string, args ...any) {
	l.diags = append(l.diags, l.src.New(sev, pos, code, fmt.Sprintf(format, args...), hint))
}

func (l *loader) errorf(pos diag.Pos, code, hint, format string, args ...any) {
	l.report(diag.Error, pos, code, hint, format, args...)
}

func (l *loader) warnf(pos diag.Pos, code, hint, format string, args ...any) {
	l.report(diag.Warning, pos, code, hint, format, args...)
}

func (l *loader) yamlError(err error) {
	var le *yaml.LoadError
	pos := diag.Pos{File: l.src.Name, Line: 1, Col: 1}
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	hint := ""
	if errors.As(err, &le) {
		if le.Mark.Line > 0 {
			pos.Line, pos.Col = le.Mark.Line, le.Mark.Column
		}
		msg = le.Message
		if le.ContextMsg != "" {
			msg = fmt.Sprintf("%s (%s)", le.Message, le.ContextMsg)
		}
		pos, hint = l.yamlHint(le, pos)
	}
	if strings.TrimSpace(stripComments(l.src.Text)) == "" {
		l.errorf(pos, codeNotMapping, "start from `name:`, `rules:` and `default:`; see docs/policy.md", "the policy file is empty")
		return
	}
	l.errorf(pos, codeYAML, hint, "invalid YAML: %s", msg)
}

// yamlHint explains the YAML mistakes people make most: indentation that
// does not line up, tabs, and an unquoted ": " inside a condition.
func (l *loader) yamlHint(le *yaml.LoadError, pos diag.Pos) (diag.Pos, string) {
	if strings.Contains(le.Message, "tab") {
		return pos, "YAML does not allow tabs for indentation; use spaces"
	}
	indentation := strings.Contains(le.Message, "mapping values are not allowed") ||
		strings.Contains(le.Message, "did not find expected") || strings.Contains(le.ContextMsg, "block")
	if !indentation {
		return pos, ""
	}
	line := l.src.Line(pos.Line)
	prev, prevLine := l.previousLine(pos.Line)
	col, prevCol := keyColumn(line), keyColumn(prev)
	opensBlock := strings.HasSuffix(strings.TrimSpace(prev), ":")
	if prevLine > 0 && col != prevCol && !opensBlock {
		return diag.Pos{File: pos.File, Line: pos.Line, Col: col}, fmt.Sprintf(
			"line %d is indented by %d spaces but line %d by %d: keys of one mapping must start in the same column",
			pos.Line, col-1, prevLine, prevCol-1)
	}
	if strings.Contains(le.Message, "mapping values are not allowed") {
		return pos, "a value that contains \": \" must be quoted, for example when: \"a ? b : c\""
	}
	hint := "check the indentation: keys of one mapping must start in the same column"
	if le.ContextMark.Line > 0 {
		hint += fmt.Sprintf(" (the enclosing block starts at line %d, column %d)", le.ContextMark.Line, le.ContextMark.Column)
	}
	return pos, hint
}

// keyColumn is the 1-based column where the key of a YAML line starts,
// after its indentation and any "- " of a sequence entry.
func keyColumn(line string) int {
	i := 0
	for i < len(line) {
		switch {
		case line[i] == ' ':
			i++
		case line[i] == '-' && i+1 < len(line) && line[i+1] == ' ':
			i += 2
		default:
			return i + 1
		}
	}
	return i + 1
}

// previousLine returns the nearest line before n that holds more than
// white space or a comment, and its number (0 when there is none).
func (l *loader) previousLine(n int) (string, int) {
	for i := n - 1; i >= 1; i-- {
		s := l.src.Line(i)
		if t := strings.TrimSpace(s); t != "" && !strings.HasPrefix(t, "#") {
			return s, i
		}
	}
	return "", 0
}

// stripComments drops whole-line YAML comments.
func stripComments(text string) string {
	var b strings.Builder
	for _, line := range strings.Split(text, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(line), "#") {
			b.WriteString(line)
		}
	}
	return b.String()
}

// mapping walks a YAML mapping, reporting duplicate and unknown keys; it
// calls fn for each known key with its value node.
func (l *loader) mapping(n *yaml.Node, what string, known []string, fn func(key string, k, v *yaml.Node)) bool {
	n = resolveAlias(n)
	if n.Kind != yaml.MappingNode {
		l.errorf(l.pos(n), codeNotMapping, "", "%s must be a mapping of keys to values, not %s", what, nodeKind(n))
		return false
	}
	seen := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if prev, dup := seen[k.Value]; dup {
			l.errorf(l.pos(k), codeDuplicateKey, fmt.Sprintf("the first %q is at line %d", k.Value, prev.Line),
				"duplicate key %q in %s", k.Value, what)
			continue
		}
		seen[k.Value] = k
		if !slices.Contains(known, k.Value) {
			hint := ""
			if s := diag.Suggest(k.Value, known); s != "" {
				hint = fmt.Sprintf("did you mean %q?", s)
				if l.misspelt == nil {
					l.misspelt = map[*yaml.Node]map[string]bool{}
				}
				if l.misspelt[n] == nil {
					l.misspelt[n] = map[string]bool{}
				}
				l.misspelt[n][s] = true
			} else {
				hint = "known keys: " + strings.Join(known, ", ")
			}
			l.errorf(l.pos(k), codeUnknownKey, hint, "unknown key %q in %s", k.Value, what)
			continue
		}
		fn(k.Value, k, v)
	}
	return true
}

// scalarValue returns the value of key in mapping n when it is a scalar.
func scalarValue(n *yaml.Node, key string) string {
	if n.Kind != yaml.MappingNode {
		return ""
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if v := resolveAlias(n.Content[i+1]); n.Content[i].Value == key && v.Kind == yaml.ScalarNode {
			return v.Value
		}
	}
	return ""
}

func resolveAlias(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

func nodeKind(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "empty"
		}
		return fmt.Sprintf("the value %q", n.Value)
	}
	return "this"
}

// scalar returns the string value of a scalar node, reporting other kinds.
func (l *loader) scalar(n *yaml.Node, what string) (string, bool) {
	n = resolveAlias(n)
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		l.errorf(l.pos(n), codeWrongType, "", "%s must be a single value, not %s", what, nodeKind(n))
		return "", false
	}
	return n.Value, true
}

// stringList returns the values of a sequence of scalars.
func (l *loader) stringList(n *yaml.Node, what string) ([]string, []*yaml.Node, bool) {
	n = resolveAlias(n)
	if n.Kind != yaml.SequenceNode {
		l.errorf(l.pos(n), codeWrongType, fmt.Sprintf("write it as a list: [%s]", n.Value), "%s must be a list, not %s", what, nodeKind(n))
		return nil, nil, false
	}
	var out []string
	var nodes []*yaml.Node
	for _, e := range n.Content {
		s, ok := l.scalar(e, "each of "+what)
		if !ok {
			return nil, nil, false
		}
		out = append(out, s)
		nodes = append(nodes, resolveAlias(e))
	}
	return out, nodes, true
}

var topKeys = []string{"name", "description", "runtime", "on_error", "lists", "rules", "default", "tenant"}

// top loads the top-level mapping; it reports whether rules can be checked.
func (l *loader) top(n *yaml.Node) bool {
	p := l.p
	p.Runtime = "node22"
	p.OnError = Action{Then: Challenge, Factors: DefaultChallengeFactors}
	var haveName, haveDefault, haveRules bool
	ok := l.mapping(n, "the policy", topKeys, func(key string, k, v *yaml.Node) {
		switch key {
		case "name":
			haveName = true
			if s, ok := l.scalar(v, "name"); ok {
				p.Name = strings.TrimSpace(s)
				if p.Name == "" {
					l.errorf(l.pos(v), codeEmptyName, "", "name must not be empty: it is the Action's name in Auth0")
				}
			}
		case "description":
			l.scalar(v, "description")
		case "runtime":
			if s, ok := l.scalar(v, "runtime"); ok {
				if !slices.Contains(Runtimes, s) {
					l.errorf(l.pos(v), codeBadRuntime, "Auth0 recommends node22", "unknown runtime %q; use one of %s", s, strings.Join(Runtimes, ", "))
				}
				p.Runtime = s
			}
		case "on_error":
			p.OnError = l.action(v, "on_error", true)
		case "default":
			haveDefault = true
			p.Default = l.action(v, "default", true)
		case "lists":
			l.lists(v)
		case "rules":
			haveRules = true
			l.rules(v)
		case "tenant":
			l.tenant(v)
		}
	})
	if !ok {
		return false
	}
	end := diag.Pos{File: l.src.Name, Line: n.Line, Col: n.Column}
	if !haveName && !l.meant(n, "name") {
		l.errorf(end, codeMissingKey, "add `name: adaptive-mfa` (the Action's name in Auth0)", "the policy has no name")
	}
	if !haveDefault && !l.meant(n, "default") {
		l.errorf(end, codeMissingKey, "add `default: allow` (or challenge, enroll, deny) so every login has an explicit outcome", "the policy has no default")
	}
	if !haveRules && !l.meant(n, "rules") {
		l.warnf(end, codeNoRules, "", "the policy has no rules: every login gets the default")
	}
	return true
}

func (l *loader) lists(n *yaml.Node) {
	seen := map[string]bool{}
	n = resolveAlias(n)
	if n.Kind != yaml.MappingNode {
		l.errorf(l.pos(n), codeNotMapping, "", "lists must be a mapping of names to lists, not %s", nodeKind(n))
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], resolveAlias(n.Content[i+1])
		if !identPattern.MatchString(k.Value) {
			l.errorf(l.pos(k), codeBadList, "list names are letters, digits and _, starting with a letter", "invalid list name %q", k.Value)
			continue
		}
		if seen[k.Value] {
			l.errorf(l.pos(k), codeDuplicateList, "", "list %q is defined twice", k.Value)
			continue
		}
		seen[k.Value] = true
		list, ok := l.listValues(k.Value, v)
		if !ok {
			l.badLists = append(l.badLists, k.Value)
		} else {
			list.Pos = l.pos(k)
			list.nodes = v.Content
			l.p.Lists = append(l.p.Lists, list)
		}
	}
}

// ListNamePattern is what a list name looks like: letters, digits and
// '_', starting with a letter (it is a CEL identifier: lists.NAME).
const ListNamePattern = `^[A-Za-z][A-Za-z0-9_]*$`

var identPattern = regexp.MustCompile(ListNamePattern)

// listValues types a constant list by the YAML tags of its elements: all
// strings, all integers, all numbers or all booleans.
func (l *loader) listValues(name string, v *yaml.Node) (List, bool) {
	list := List{Name: name}
	if v.Kind != yaml.SequenceNode {
		l.errorf(l.pos(v), codeBadList, "write it as [a, b] or as lines starting with -", "list %q must be a list, not %s", name, nodeKind(v))
		return list, false
	}
	tag := ""
	for _, e := range v.Content {
		e = resolveAlias(e)
		if e.Kind != yaml.ScalarNode || e.Tag == "!!null" {
			l.errorf(l.pos(e), codeBadList, "", "list %q may hold only strings, numbers or booleans, not %s", name, nodeKind(e))
			return list, false
		}
		t := e.Tag
		if numeric(t) && numeric(tag) && t != tag {
			t, tag = "!!float", "!!float" // integers and numbers: all doubles
		}
		if tag != "" && t != tag {
			l.errorf(l.pos(e), codeBadList, "quote values to make them all strings", "list %q mixes %s and %s values", name, tagName(tag), tagName(e.Tag))
			return list, false
		}
		tag = t
	}
	var err error
	for _, e := range v.Content {
		e = resolveAlias(e)
		var val any
		switch tag {
		case "!!int":
			var i int64
			err = e.Decode(&i)
			val = i
		case "!!float":
			var f float64
			err = e.Decode(&f)
			val = f
		case "!!bool":
			var b bool
			err = e.Decode(&b)
			val = b
		default:
			val = e.Value
		}
		if err != nil {
			l.errorf(l.pos(e), codeBadList, "", "list %q: %v", name, err)
			return list, false
		}
		list.Values = append(list.Values, val)
	}
	switch tag {
	case "!!int":
		list.Type = cel.ListType(cel.IntType)
	case "!!float":
		list.Type = cel.ListType(cel.DoubleType)
		for i, x := range list.Values {
			if n, ok := x.(int64); ok {
				list.Values[i] = float64(n)
			}
		}
	case "!!bool":
		list.Type = cel.ListType(cel.BoolType)
	default:
		list.Type = cel.ListType(cel.StringType)
	}
	if len(v.Content) == 0 {
		l.warnf(l.pos(v), codeBadList, "", "list %q is empty", name)
	}
	return list, true
}

func numeric(tag string) bool { return tag == "!!int" || tag == "!!float" }

func tagName(tag string) string {
	switch tag {
	case "!!int":
		return "integer"
	case "!!float":
		return "number"
	case "!!bool":
		return "boolean"
	}
	return "string"
}

var ruleKeys = []string{"id", "description", "when", "then", "factors", "reason"}

func (l *loader) rules(n *yaml.Node) {
	n = resolveAlias(n)
	if n.Kind != yaml.SequenceNode {
		l.errorf(l.pos(n), codeWrongType, "each rule starts with `- id: ...`", "rules must be a list, not %s", nodeKind(n))
		return
	}
	ids := map[string]*Rule{}
	for i, rn := range n.Content {
		rn = resolveAlias(rn)
		r := &Rule{Pos: l.pos(rn)}
		var whenNode *yaml.Node
		hasWhen := false
		what := fmt.Sprintf("rule %d", i+1)
		if id := scalarValue(rn, "id"); id != "" {
			what = fmt.Sprintf("rule %q", id)
		}
		ok := l.mapping(rn, what, ruleKeys, func(key string, k, v *yaml.Node) {
			switch key {
			case "id":
				if s, ok := l.scalar(v, what+": id"); ok {
					r.ID = s
					if !ruleIDPattern.MatchString(s) {
						l.errorf(l.pos(v), codeBadRuleID, "use letters, digits, '-', '_' and '.', starting with a letter or digit, at most 100", "invalid rule id %q", s)
					} else if prev, dup := ids[s]; dup {
						l.errorf(l.pos(v), codeDuplicateRule, fmt.Sprintf("the first rule %q is at line %d", s, prev.Pos.Line), "duplicate rule id %q", s)
					} else {
						ids[s] = r
					}
				}
			case "description":
				l.scalar(v, "description")
			case "when":
				hasWhen = true
				if s, ok := l.scalar(v, what+": when"); ok {
					r.When = s
					whenNode = resolveAlias(v)
					r.WhenPos = l.pos(whenNode)
				}
			}
		})
		if !ok {
			continue
		}
		if r.ID != "" {
			what = fmt.Sprintf("rule %q", r.ID)
		}
		r.Action = l.action(rn, what, false)
		if r.ID == "" && !l.meant(rn, "id") {
			l.errorf(r.Pos, codeMissingKey, "add `id: <name>`; the id names the rule in decisions and reports", "%s has no id", what)
		}
		if whenNode == nil {
			if !hasWhen && !l.meant(rn, "when") {
				l.errorf(r.Pos, codeMissingKey, "add `when: <CEL condition>`, or `when: \"true\"` for a rule that always applies", "%s has no `when` condition", what)
			}
		} else {
			r.when = mapScalar(l.src, whenNode)
		}
		l.p.Rules = append(l.p.Rules, r)
	}
}

// action reads then/factors/reason, from a rule mapping or from the value
// of default/on_error (a bare outcome or a mapping).
func (l *loader) action(n *yaml.Node, what string, standalone bool) Action {
	n = resolveAlias(n)
	a := Action{Pos: l.pos(n)}
	var thenNode, factorsNode, reasonNode *yaml.Node
	if standalone && n.Kind == yaml.ScalarNode {
		thenNode = n
	} else {
		if standalone {
			l.mapping(n, what, []string{"then", "factors", "reason"}, func(string, *yaml.Node, *yaml.Node) {})
		}
		if n.Kind != yaml.MappingNode {
			return a
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			switch n.Content[i].Value {
			case "then":
				thenNode = n.Content[i+1]
			case "factors":
				factorsNode = n.Content[i+1]
			case "reason":
				reasonNode = n.Content[i+1]
			}
		}
	}
	if thenNode == nil {
		if l.meant(n, "then") {
			return a
		}
		l.errorf(a.Pos, codeMissingKey, "add `then: allow` (or challenge, enroll, deny)", "%s has no `then` outcome", what)
		return a
	}
	s, ok := l.scalar(thenNode, what+": then")
	if !ok {
		return a
	}
	a.Then = Outcome(s)
	a.Pos = l.pos(resolveAlias(thenNode))
	outcomes := []string{string(Allow), string(Challenge), string(Enroll), string(Deny)}
	if !slices.Contains(outcomes, s) {
		hint := "use allow, challenge, enroll or deny"
		if sug := diag.Suggest(s, outcomes); sug != "" {
			hint = fmt.Sprintf("did you mean %q?", sug)
		}
		l.errorf(a.Pos, codeBadOutcome, hint, "unknown outcome %q", s)
		return a
	}
	if factorsNode != nil {
		l.factors(&a, factorsNode, what)
	}
	if reasonNode != nil {
		if r, ok := l.scalar(reasonNode, what+": reason"); ok {
			a.Reason = r
		}
	}
	l.actionLints(&a, what, standalone, n, factorsNode, reasonNode)
	return a
}
