package policy

import (
	"encoding/binary"
	"math"
	"slices"
	"strings"

	"cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/types"
)

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
	paths [][]string // nil: the rule is not memoised
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
			m.rules[i] = memoRule{paths: paths, seen: map[string]bool{}}
		}
	}
	return m
}

// Decide is Evaluator.Decide, answered from the memo where it can be.
func (m *Memo) Decide(event any) (int, error) {
	var act *activation
	for i := range m.rules {
		r := &m.rules[i]
		memo := false
		if r.paths != nil {
			m.key, memo = appendFields(m.key[:0], event, r.paths)
		}
		if memo {
			if v, ok := r.seen[string(m.key)]; ok {
				r.hits++
				if v {
					return i, nil
				}
				continue
			}
		}
		if act == nil {
			act = m.e.activation(event)
		}
		out, _, err := m.e.programs[i].Eval(act)
		if err == nil && out != types.True && out != types.False {
			err = notBool(out)
		}
		if err != nil {
			return i, err
		}
		if memo {
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
		r.paths, r.seen = nil, nil
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

// appendFields appends the memo key of the event's values at paths: for
// each path, what a read finds there, exactly (type and value), including
// where the walk stops at an absent member or at a value that is not an
// object. ok is false when a value is not a decoded JSON value.
func appendFields(key []byte, event any, paths [][]string) (_ []byte, ok bool) {
	ok = true
	for _, path := range paths {
		v := event
		for depth, seg := range path {
			m, ok := v.(map[string]any)
			if !ok {
				key = append(key, 'x', byte(depth))
				break
			}
			if v, ok = m[seg]; !ok {
				key = append(key, 'a', byte(depth))
				break
			}
		}
		key = appendValue(key, v, &ok)
	}
	return key, ok
}

// appendValue appends an exact encoding of a decoded JSON value: a type
// tag, then the value, strings and containers length-prefixed, object
// members sorted by key.
func appendValue(key []byte, v any, ok *bool) []byte {
	switch x := v.(type) {
	case nil:
		return append(key, 'n')
	case bool:
		if x {
			return append(key, 't')
		}
		return append(key, 'f')
	case float64:
		return binary.LittleEndian.AppendUint64(append(key, 'd'), math.Float64bits(x))
	case string:
		return append(binary.AppendUvarint(append(key, 's'), uint64(len(x))), x...)
	case []any:
		key = binary.AppendUvarint(append(key, 'l'), uint64(len(x)))
		for _, e := range x {
			key = appendValue(key, e, ok)
		}
		return key
	case map[string]any:
		key = binary.AppendUvarint(append(key, 'm'), uint64(len(x)))
		var small [8]string
		names := small[:0]
		for k := range x {
			names = append(names, k)
		}
		slices.Sort(names)
		for _, k := range names {
			key = append(binary.AppendUvarint(key, uint64(len(k))), k...)
			key = appendValue(key, x[k], ok)
		}
		return key
	}
	*ok = false
	return key
}
