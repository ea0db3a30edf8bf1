package policy

import (
	"errors"
	"slices"
	"strings"

	"cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/types"
)

// Fields is an event read lazily, as Memo reads it (simulate's
// EventFields): an exact key of the value at a path, and a decode of the
// values at some paths.
type Fields interface {
	AppendKey(key []byte, path []string) []byte
	Tree(paths [][]string) (event any, ok bool)
}

// errUnfaithful is Memo.Decide's error for an event holding a string Go
// cannot hold as JavaScript does.
var errUnfaithful = errors.New("the event holds a string that Go cannot hold as JavaScript does")

// Memo decides events like its Evaluator, remembering each rule's result
// by the values of the event fields the rule reads. A condition is a pure
// function of those values and of the policy's lists: CEL has no side
// effects, and a rule is memoised only when every variable it names is
// `event` under a field selection, a named list or a comprehension's own
// variable. So two events that agree on a rule's fields get the same
// result from it, and the memo answers without evaluating.
//
// Logins differ (IP addresses, counters), but most rules read a few
// fields of few distinct values (country, risk confidence, application);
// a rule whose memo does not pay (more misses than hits once it is full)
// stops being memoised. A Memo belongs to one goroutine.
type Memo struct {
	e     *Evaluator
	rules []memoRule
	key   []byte
}

// memoRule is one rule's memo.
type memoRule struct {
	// paths are the fields the rule reads; nil when it reads the event
	// as a whole (then it is not memoised, and decoded whole).
	paths [][]string
	memo  bool
	seen  map[string]bool
	hits  int
}

// memoSize bounds each rule's memo.
const memoSize = 4096

// NewMemo returns a memoising evaluator for one goroutine.
func (e *Evaluator) NewMemo() *Memo {
	m := &Memo{e: e, rules: make([]memoRule, len(e.p.Rules))}
	for i, r := range e.p.Rules {
		if paths, ok := memoPaths(r); ok {
			m.rules[i] = memoRule{paths: paths, memo: true, seen: map[string]bool{}}
		}
	}
	return m
}

// Decide is Evaluator.Decide on the event f, answered from the memo where
// it can be; a rule the memo cannot answer is evaluated on a decode of
// only the fields it reads.
func (m *Memo) Decide(f Fields) (int, error) {
	for i := range m.rules {
		r := &m.rules[i]
		if r.memo {
			m.key = m.key[:0]
			for _, p := range r.paths {
				m.key = f.AppendKey(m.key, p)
			}
			if v, ok := r.seen[string(m.key)]; ok {
				r.hits++
				if v {
					return i, nil
				}
				continue
			}
		}
		event, ok := f.Tree(r.paths)
		if !ok {
			return i, errUnfaithful
		}
		out, _, err := m.e.programs[i].Eval(m.e.activation(event))
		if err == nil && out != types.True && out != types.False {
			err = notBool(out)
		}
		if err != nil {
			return i, err
		}
		if r.memo {
			r.remember(string(m.key), out == types.True)
		}
		if out == types.True {
			return i, nil
		}
	}
	return len(m.rules), nil
}

// remember keeps a result while the memo has room; a full memo that has
// answered fewer times than it holds entries is given up.
func (r *memoRule) remember(key string, v bool) {
	if len(r.seen) < memoSize {
		r.seen[key] = v
		return
	}
	if r.hits < memoSize {
		r.memo, r.seen = false, nil
	}
}

// memoPaths returns the event fields a rule reads, split at the dots, and
// whether its result depends on nothing else.
func memoPaths(r *Rule) ([][]string, bool) {
	if r.AST == nil {
		return nil, false
	}
	e := r.AST.NativeRep().Expr()
	bound := map[string]bool{}
	collectBound(e, bound)
	if !onlyFieldReads(e, bound) {
		return nil, false
	}
	set := map[string]bool{}
	collectFields(e, set)
	fields := make([]string, 0, len(set))
	for f := range set {
		fields = append(fields, f)
	}
	slices.Sort(fields)
	paths := make([][]string, len(fields))
	for i, f := range fields {
		paths[i] = strings.Split(f, ".")
	}
	return paths, true
}

// collectBound adds the variables comprehensions bind under e.
func collectBound(e ast.Expr, bound map[string]bool) {
	visit(e, func(x ast.Expr) {
		if x.Kind() == ast.ComprehensionKind {
			c := x.AsComprehension()
			bound[c.IterVar()] = true
			if c.HasIterVar2() {
				bound[c.IterVar2()] = true
			}
			bound[c.AccuVar()] = true
		}
	})
}

// onlyFieldReads reports whether every identifier under e is a named list,
// a comprehension's variable, or `event` as the start of a field selection.
func onlyFieldReads(e ast.Expr, bound map[string]bool) bool {
	switch e.Kind() {
	case ast.IdentKind:
		name := e.AsIdent()
		return bound[name] || name == "lists" || strings.HasPrefix(name, "lists.")
	case ast.SelectKind:
		if path, ok := eventPath(e); ok {
			return path != ""
		}
	}
	ok := true
	eachChild(e, func(c ast.Expr) { ok = ok && onlyFieldReads(c, bound) })
	return ok
}

// visit calls f on e and everything under it.
func visit(e ast.Expr, f func(ast.Expr)) {
	f(e)
	eachChild(e, func(c ast.Expr) { visit(c, f) })
}

// eachChild calls f on each direct child of e.
func eachChild(e ast.Expr, f func(ast.Expr)) {
	switch e.Kind() {
	case ast.SelectKind:
		f(e.AsSelect().Operand())
	case ast.CallKind:
		c := e.AsCall()
		if c.IsMemberFunction() {
			f(c.Target())
		}
		for _, a := range c.Args() {
			f(a)
		}
	case ast.ComprehensionKind:
		c := e.AsComprehension()
		for _, x := range []ast.Expr{c.IterRange(), c.AccuInit(), c.LoopCondition(), c.LoopStep(), c.Result()} {
			f(x)
		}
	case ast.ListKind:
		for _, x := range e.AsList().Elements() {
			f(x)
		}
	case ast.MapKind:
		for _, en := range e.AsMap().Entries() {
			me := en.AsMapEntry()
			f(me.Key())
			f(me.Value())
		}
	case ast.StructKind:
		for _, fl := range e.AsStruct().Fields() {
			f(fl.AsStructField().Value())
		}
	}
}
