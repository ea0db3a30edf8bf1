package policytest

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	yaml "go.yaml.in/yaml/v4"

	"github.com/mfapolicy/mfapolicy/internal/diag"
	"github.com/mfapolicy/mfapolicy/internal/yaml12"
	"github.com/mfapolicy/mfapolicy/simulate"
)

// MaxFileSize is the largest test file accepted, in bytes.
const MaxFileSize = 4 << 20

// File is a loaded test file.
type File struct {
	// Path is the test file as given; PolicyPath the policy it names,
	// resolved relative to the test file's directory.
	Path       string
	PolicyPath string
	PolicyPos  diag.Pos
	// AssumeEnrolled is what a case's user has enrolled when its event has
	// no user.enrolledFactors (nil: every factor); EnabledFactors are the
	// factors enabled on the tenant (nil: every factor).
	AssumeEnrolled []string
	EnabledFactors []string
	// EnabledPos is where enabled_factors is, when given.
	EnabledPos diag.Pos
	// Now is the time of the cases' logins (a policy's `now`), unless a
	// case sets its own; zero: the time the tests start.
	Now    time.Time
	Cases  []Case
	Source *diag.Source
}

// Case is one test case: the event (base merged under the case's own
// fields) and the expected decision.
type Case struct {
	Name  string
	Pos   diag.Pos
	Event map[string]any
	// AssumeEnrolled overrides the file's assumption for this case; nil
	// means the file's.
	AssumeEnrolled []string
	// Now, when set, is the time of this case's login.
	Now  time.Time
	Want Want
}

// Want is the expected decision. Only the fields given are compared.
type Want struct {
	Outcome simulate.Outcome `json:"outcome"`
	// Factors, when HasFactors, must equal the offered factors in order.
	Factors    []string `json:"factors,omitempty"`
	HasFactors bool     `json:"-"`
	// Rule is the deciding rule id, or "(default)"; empty: not compared.
	Rule    string   `json:"rule,omitempty"`
	RulePos diag.Pos `json:"-"`
	// Reason, when not empty, must equal the deny reason.
	Reason string `json:"reason,omitempty"`
}

// DefaultRule names the policy's default in expectations and results.
const DefaultRule = "(default)"

var (
	topKeys  = []string{"policy", "assume_enrolled", "enabled_factors", "now", "base", "cases"}
	caseKeys = []string{"name", "event", "assume_enrolled", "now", "want"}
	wantKeys = []string{"outcome", "factors", "rule", "reason"}
)

// Load reads and parses the test file at path.
func Load(path string) (*File, diag.List) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, diag.List{{Pos: diag.Pos{File: path}, Severity: diag.Error, Code: "unreadable",
			Message: fmt.Sprintf("cannot read the test file: %v", unwrap(err))}}
	}
	if len(data) > MaxFileSize {
		return nil, diag.List{{Pos: diag.Pos{File: path}, Severity: diag.Error, Code: "too-large",
			Message: fmt.Sprintf("the test file is %d bytes; the limit is %d", len(data), MaxFileSize)}}
	}
	return Parse(path, data)
}

func unwrap(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

// Parse parses a test file's text; name is used in positions and to
// resolve the policy path.
func Parse(name string, data []byte) (*File, diag.List) {
	src := diag.NewSource(name, strings.TrimPrefix(string(data), "\ufeff"))
	l := &loader{src: src, f: &File{Path: name, Source: src}}
	var doc yaml.Node
	err := yaml12.Load(src.Text, &doc)
	if err != nil && !blank(src.Text) {
		l.yamlError(err)
		return nil, l.diags
	}
	if err != nil || doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		l.errorf(diag.Pos{File: name, Line: 1, Col: 1}, "not-a-mapping", "the test file is empty; it needs `policy:` and `cases:`")
		return nil, l.diags
	}
	l.top(doc.Content[0])
	l.diags.Sort()
	if l.diags.HasErrors() {
		return nil, l.diags
	}
	return l.f, l.diags
}

type loader struct {
	src   *diag.Source
	f     *File
	diags diag.List
}

func (l *loader) pos(n *yaml.Node) diag.Pos {
	return diag.Pos{File: l.src.Name, Line: n.Line, Col: n.Column}
}

func (l *loader) errorf(pos diag.Pos, code, format string, args ...any) {
	l.diags = append(l.diags, l.src.New(diag.Error, pos, code, fmt.Sprintf(format, args...), ""))
}

func (l *loader) yamlError(err error) {
	pos := diag.Pos{File: l.src.Name, Line: 1, Col: 1}
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	if le, ok := err.(*yaml.LoadError); ok {
		if le.Mark.Line > 0 {
			pos.Line, pos.Col = le.Mark.Line, le.Mark.Column
		}
		msg = le.Message
	}
	l.errorf(pos, "yaml-syntax", "%s", msg)
}

// mapping calls fn for each key of n, reporting unknown keys (with a
// "did you mean") and keys given twice.
func (l *loader) mapping(n *yaml.Node, what string, known []string, fn func(key string, k, v *yaml.Node)) bool {
	n = resolveAlias(n)
	if n.Kind != yaml.MappingNode {
		l.errorf(l.pos(n), "not-a-mapping", "%s must be a mapping, not %s", what, nodeKind(n))
		return false
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], resolveAlias(n.Content[i+1])
		switch {
		case !slices.Contains(known, k.Value):
			msg := fmt.Sprintf("unknown key %q in %s", k.Value, what)
			if s := diag.Suggest(k.Value, known); s != "" {
				msg += fmt.Sprintf("; did you mean %q?", s)
			} else {
				msg += fmt.Sprintf(" (known: %s)", strings.Join(known, ", "))
			}
			l.errorf(l.pos(k), "unknown-key", "%s", msg)
		case seen[k.Value]:
			l.errorf(l.pos(k), "duplicate-key", "%q is given twice in %s", k.Value, what)
		default:
			seen[k.Value] = true
			fn(k.Value, k, v)
		}
	}
	return true
}

func (l *loader) top(n *yaml.Node) {
	var base map[string]any
	var cases *yaml.Node
	ok := l.mapping(n, "the test file", topKeys, func(key string, k, v *yaml.Node) {
		switch key {
		case "policy":
			if s, ok := l.str(v, "policy"); ok {
				l.f.PolicyPath = s
				if !filepath.IsAbs(s) {
					l.f.PolicyPath = filepath.Join(filepath.Dir(l.src.Name), s)
				}
				l.f.PolicyPos = l.pos(v)
			}
		case "assume_enrolled":
			l.f.AssumeEnrolled, _ = l.factorList(v, key)
		case "enabled_factors":
			l.f.EnabledFactors, _ = l.factorList(v, key)
			l.f.EnabledPos = l.pos(v)
		case "now":
			l.f.Now, _ = l.time(v)
		case "base":
			if m, ok := l.eventOf(v, "base"); ok {
				base = m
			}
		case "cases":
			cases = v
		}
	})
	if !ok {
		return
	}
	if l.f.PolicyPath == "" && !l.has(n, "policy") {
		l.errorf(l.pos(n), "missing-key", "the test file needs `policy:`, the path of the policy under test (relative to the test file)")
	}
	if cases == nil {
		l.errorf(l.pos(n), "missing-key", "the test file needs `cases:`, a list of test cases")
		return
	}
	l.cases(cases, base)
}

func (l *loader) has(n *yaml.Node, key string) bool {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return true
		}
	}
	return false
}

func (l *loader) cases(n *yaml.Node, base map[string]any) {
	if n.Kind != yaml.SequenceNode {
		l.errorf(l.pos(n), "not-a-list", "cases must be a list, not %s", nodeKind(n))
		return
	}
	names := map[string]diag.Pos{}
	for _, cn := range n.Content {
		c, ok := l.oneCase(resolveAlias(cn), base)
		if prev, dup := names[c.Name]; dup && c.Name != "" {
			l.errorf(c.Pos, "duplicate-case", "case %q is already defined at line %d", c.Name, prev.Line)
			continue
		}
		names[c.Name] = c.Pos
		if ok {
			l.f.Cases = append(l.f.Cases, c)
		}
	}
}

func (l *loader) oneCase(n *yaml.Node, base map[string]any) (Case, bool) {
	c := Case{Pos: l.pos(n)}
	var event map[string]any
	hasWant, good := false, true
	ok := l.mapping(n, "a case", caseKeys, func(key string, k, v *yaml.Node) {
		switch key {
		case "name":
			c.Name, _ = l.str(v, "name")
		case "event":
			event, good = l.eventOf(v, "event")
		case "assume_enrolled":
			c.AssumeEnrolled, _ = l.factorList(v, key)
			if c.AssumeEnrolled == nil {
				c.AssumeEnrolled = simulate.AllFactors()
			}
		case "now":
			c.Now, good = l.time(v)
		case "want":
			hasWant = true
			c.Want, good = l.want(v)
		}
	})
	if !ok || !good {
		return c, false
	}
	if c.Name == "" {
		l.errorf(c.Pos, "missing-key", "a case needs `name:`, which test output and --run use")
		return c, false
	}
	if !hasWant {
		l.errorf(c.Pos, "missing-key", "case %q needs `want:` with at least an outcome", c.Name)
		return c, false
	}
	c.Event = merge(base, event)
	return c, true
}

func (l *loader) want(n *yaml.Node) (Want, bool) {
	var w Want
	start := len(l.diags)
	l.mapping(n, "want", wantKeys, func(key string, k, v *yaml.Node) {
		switch key {
		case "outcome":
			s, ok := l.str(v, "outcome")
			if !ok {
				return
			}
			w.Outcome = simulate.Outcome(s)
			if !isOutcome(w.Outcome) {
				msg := fmt.Sprintf("unknown outcome %q (known: allow, challenge, enroll, deny, fail, error)", s)
				if sg := diag.Suggest(s, outcomeNames()); sg != "" {
					msg = fmt.Sprintf("unknown outcome %q; did you mean %q?", s, sg)
				}
				l.errorf(l.pos(v), "unknown-outcome", "%s", msg)
			}
		case "factors":
			if fs, ok := l.factorSeq(v); ok {
				w.Factors, w.HasFactors = fs, true
			}
		case "rule":
			w.Rule, _ = l.str(v, "rule")
			w.RulePos = l.pos(v)
		case "reason":
			w.Reason, _ = l.str(v, "reason")
		}
	})
	if len(l.diags) == start && w.Outcome == "" {
		l.errorf(l.pos(n), "missing-key", "want needs `outcome:` (allow, challenge, enroll, deny, fail or error)")
	}
	return w, len(l.diags) == start
}

func (l *loader) str(n *yaml.Node, what string) (string, bool) {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		l.errorf(l.pos(n), "not-a-string", "%s must be a string, not %s", what, nodeKind(n))
		return "", false
	}
	return n.Value, true
}

// time reads an RFC 3339 time, such as 2026-03-10T09:30:00Z.
func (l *loader) time(n *yaml.Node) (time.Time, bool) {
	s, ok := l.str(n, "now")
	if !ok {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		l.errorf(l.pos(n), "bad-time", "now must be an RFC 3339 time such as 2026-03-10T09:30:00Z, not %q", s)
		return time.Time{}, false
	}
	return t.UTC(), true
}

// factorList reads "all", "none" or a list of factor types.
func (l *loader) factorList(n *yaml.Node, what string) ([]string, bool) {
	if n.Kind == yaml.ScalarNode {
		fs, err := simulate.ParseFactorList(n.Value)
		if err != nil || (n.Value != "all" && n.Value != "none") {
			l.errorf(l.pos(n), "bad-factors", "%s must be all, none or a list of factor types, not %q", what, n.Value)
			return nil, false
		}
		return fs, true
	}
	fs, ok := l.factorSeq(n)
	if ok && fs == nil {
		fs = []string{}
	}
	return fs, ok
}

func (l *loader) factorSeq(n *yaml.Node) ([]string, bool) {
	if n.Kind != yaml.SequenceNode {
		l.errorf(l.pos(n), "not-a-list", "factors must be a list of factor types, not %s", nodeKind(n))
		return nil, false
	}
	var out []string
	good := true
	for _, fn := range n.Content {
		fn = resolveAlias(fn)
		if _, err := simulate.ParseFactorList(fn.Value); fn.Kind != yaml.ScalarNode || err != nil || fn.Value == "all" || fn.Value == "none" {
			l.errorf(l.pos(fn), "unknown-factor", "unknown factor type %q (known: %s)", fn.Value, strings.Join(simulate.AllFactors(), ", "))
			good = false
			continue
		}
		out = append(out, fn.Value)
	}
	return out, good
}

func isOutcome(o simulate.Outcome) bool {
	for _, k := range simulate.Outcomes {
		if k == o {
			return true
		}
	}
	return false
}

func outcomeNames() []string {
	var out []string
	for _, o := range simulate.Outcomes {
		out = append(out, string(o))
	}
	return out
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
			return "null"
		}
		return fmt.Sprintf("the scalar %q", n.Value)
	}
	return "empty"
}

// blank reports text that holds nothing but white space and comments.
func blank(text string) bool {
	for _, line := range strings.Split(text, "\n") {
		if t := strings.TrimSpace(line); t != "" && !strings.HasPrefix(t, "#") {
			return false
		}
	}
	return true
}
