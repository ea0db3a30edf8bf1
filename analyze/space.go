package analyze

import (
	"fmt"
	"math/big"
	"strings"

	"cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/types"

	"github.com/mfapolicy/mfapolicy/policy"
)

// maxClasses bounds the classes of one dimension (they are bit sets).
const maxClasses = 64

// space is the finite abstraction of the login space: the dimensions the
// rules of one or more policies read.
type space struct {
	Dims  []*Dim
	byKey map[string]int

	// under[d] are the presence dimensions whose object holds d's field;
	// below[p] the dimensions inside presence dimension p.
	under [][]int
	below [][]int

	pols  []*policy.Policy
	progs map[int]policy.ExprProgram
}

func newSpace(pols []*policy.Policy) *space {
	return &space{byKey: map[string]int{}, pols: pols, progs: map[int]policy.ExprProgram{}}
}

func (s *space) add(key string, d *Dim) int {
	s.byKey[key] = len(s.Dims)
	s.Dims = append(s.Dims, d)
	return len(s.Dims) - 1
}

// fieldDim returns the dimension of kind for the field key, creating it; a
// field already taken by a dimension of another kind is refused, and the
// caller treats that use symbolically.
func (s *space) fieldDim(kind DimKind, key, field string) (int, bool) {
	if field == "" {
		field = key
	}
	k := string(kind) + ":" + key
	if kind != PresenceDim {
		k = "field:" + key
	}
	if i, ok := s.byKey[k]; ok {
		return i, s.Dims[i].Kind == kind
	}
	return s.add(k, &Dim{Kind: kind, Path: key, Label: labelOf(key), field: field}), true
}

func (s *space) memberDim(path, lit string) (int, bool) {
	k := "member:" + path + "\x00" + lit
	if i, ok := s.byKey[k]; ok {
		return i, true
	}
	return s.add(k, &Dim{Kind: MemberDim, Path: path, Label: labelOf(path), field: path, literal: lit}), true
}

func (s *space) atomDim(key, label string, mayErr bool, fields []string, lits []value) int {
	k := "atom:" + key
	if i, ok := s.byKey[k]; ok {
		s.Dims[i].mayErr = s.Dims[i].mayErr || mayErr
		return i
	}
	return s.add(k, &Dim{Kind: AtomDim, Path: label, Label: label, mayErr: mayErr, atomIDs: fields, atomLits: lits})
}

// finish builds the classes of every dimension and the presence links.
func (s *space) finish() error {
	for _, d := range s.Dims {
		d.build()
		if len(d.Classes) > maxClasses {
			return fmt.Errorf("%s is compared with %d groups of values; the analysis handles at most %d", d.Label, len(d.Classes), maxClasses)
		}
	}
	s.under = make([][]int, len(s.Dims))
	s.below = make([][]int, len(s.Dims))
	for p, pd := range s.Dims {
		if pd.Kind != PresenceDim {
			continue
		}
		for d, dd := range s.Dims {
			if d == p || dd.Kind == AtomDim {
				continue
			}
			if dd.field == pd.field || strings.HasPrefix(dd.field, pd.field+".") {
				s.under[d] = append(s.under[d], p)
				s.below[p] = append(s.below[p], d)
			}
		}
	}
	return nil
}

// size is the number of points of the abstraction: the product of the
// number of classes of every dimension.
func (s *space) size() *big.Int {
	n := big.NewInt(1)
	for _, d := range s.Dims {
		n.Mul(n, big.NewInt(int64(len(d.Classes))))
	}
	return n
}

// safeCalls never error on a well-formed event.
var safeCalls = map[string]bool{
	"_==_": true, "_!=_": true, "_<_": true, "_<=_": true, "_>_": true, "_>=_": true,
	"@in": true, "size": true, "startsWith": true, "endsWith": true, "contains": true,
	"lowerAscii": true, "upperAscii": true, "isIP": true, "isCIDR": true,
	"!_": true, "_&&_": true, "_||_": true, "_?_:_": true, "@not_strictly_false": true,
}

// mayError reports whether e can be an error on a well-formed event (one
// whose present fields have their documented JSON types). It errs on the
// side of yes: a yes only adds possibilities to the analysis.
func mayError(e ast.Expr, a *ast.AST) bool {
	switch e.Kind() {
	case ast.LiteralKind, ast.IdentKind:
		return false
	case ast.ListKind:
		for _, x := range e.AsList().Elements() {
			if mayError(x, a) {
				return true
			}
		}
		return false
	case ast.SelectKind:
		op := e.AsSelect().Operand()
		if t := a.GetType(op.ID()); t == nil || t.Kind() != types.StructKind {
			return !e.AsSelect().IsTestOnly() // a map key that may be missing
		}
		return mayError(op, a)
	case ast.CallKind:
		c := e.AsCall()
		fn := c.FunctionName()
		if fn == "matches" {
			fn = matchesSafety(c)
		}
		if !safeCalls[fn] {
			return true
		}
		if c.IsMemberFunction() && mayError(c.Target(), a) {
			return true
		}
		for _, x := range c.Args() {
			if mayError(x, a) {
				return true
			}
		}
		return false
	case ast.ComprehensionKind:
		c := e.AsComprehension()
		for _, x := range []ast.Expr{c.IterRange(), c.AccuInit(), c.LoopCondition(), c.LoopStep(), c.Result()} {
			if mayError(x, a) {
				return true
			}
		}
		return false
	}
	return true
}

// matchesSafety: matches with a constant pattern (checked by policy) cannot
// error.
func matchesSafety(c ast.CallExpr) string {
	args := c.Args()
	if len(args) > 0 && args[len(args)-1].Kind() == ast.LiteralKind {
		return "contains"
	}
	return "matches"
}

// atomLiterals lists the constants a symbolic condition mentions.
func atomLiterals(e ast.Expr) []value {
	var out []value
	var walk func(ast.Expr)
	walk = func(e ast.Expr) {
		switch e.Kind() {
		case ast.LiteralKind:
			if v, ok := literal(e); ok {
				out = append(out, v)
			}
		case ast.SelectKind:
			walk(e.AsSelect().Operand())
		case ast.CallKind:
			c := e.AsCall()
			if c.IsMemberFunction() {
				walk(c.Target())
			}
			for _, a := range c.Args() {
				walk(a)
			}
		case ast.ListKind:
			for _, x := range e.AsList().Elements() {
				walk(x)
			}
		case ast.ComprehensionKind:
			walk(e.AsComprehension().IterRange())
			walk(e.AsComprehension().LoopStep())
		}
	}
	walk(e)
	return out
}

// atomFields lists the event fields (and map keys) a symbolic condition
// reads, so that example logins can try values for them.
func atomFields(e ast.Expr) []string {
	seen := map[string]bool{}
	var out []string
	var walk func(ast.Expr)
	walk = func(e ast.Expr) {
		switch e.Kind() {
		case ast.SelectKind:
			if p, _, ok := fieldPath(e); ok {
				if !seen[p] {
					seen[p] = true
					out = append(out, p)
				}
				return
			}
			op := e.AsSelect().Operand()
			if p, f, ok := fieldPath(op); ok && f != nil && (f.Kind == policy.DynMap || f.Kind == policy.StringMap) {
				k := p + "[" + e.AsSelect().FieldName() + "]"
				if !seen[k] {
					seen[k] = true
					out = append(out, k)
				}
				return
			}
			walk(op)
		case ast.CallKind:
			c := e.AsCall()
			if c.IsMemberFunction() {
				walk(c.Target())
			}
			for _, a := range c.Args() {
				walk(a)
			}
		case ast.ListKind:
			for _, x := range e.AsList().Elements() {
				walk(x)
			}
		case ast.ComprehensionKind:
			c := e.AsComprehension()
			walk(c.IterRange())
			walk(c.LoopStep())
		}
	}
	walk(e)
	return out
}
