package analyze

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/types"

	"github.com/mfapolicy/mfapolicy/policy"
)

// node is a rule condition lowered to the operations the analysis
// interprets exactly. Whatever else a condition does sits in an atom: a
// dimension of its own, read by a dim node.
type node struct {
	op   nodeOp
	v    value // opConst
	dim  int   // opDim
	fn   string
	kids []*node
}

type nodeOp uint8

const (
	opConst nodeOp = iota
	opDim
	opNot
	opAnd
	opOr
	opCond
	opCall
)

// lowerer turns one rule's checked CEL AST into a node, registering the
// dimensions the rule reads in the shared space.
type lowerer struct {
	sp   *space
	p    *policy.Policy
	pol  int // index of the policy in the model
	ast  *ast.AST
	info *ast.SourceInfo
	bind map[string]value
	dims map[int]bool // dimensions this rule reads
}

func (l *lowerer) constant(v value) *node { return &node{op: opConst, v: v} }

func (l *lowerer) dimNode(d int) *node {
	l.dims[d] = true
	return &node{op: opDim, dim: d}
}

// boolean lowers a boolean sub-expression, falling back to an atom.
func (l *lowerer) boolean(e ast.Expr) *node {
	if n, ok := l.lower(e); ok {
		return n
	}
	return l.atom(e)
}

func (l *lowerer) lower(e ast.Expr) (*node, bool) {
	switch e.Kind() {
	case ast.LiteralKind:
		v, ok := literal(e)
		return l.constant(v), ok
	case ast.IdentKind:
		return l.ident(e.AsIdent())
	case ast.ListKind:
		var elems []value
		for _, x := range e.AsList().Elements() {
			n, ok := l.lower(x)
			if !ok || n.op != opConst {
				return nil, false
			}
			elems = append(elems, n.v)
		}
		return l.constant(listV(elems)), true
	case ast.SelectKind:
		return l.selectExpr(e)
	case ast.CallKind:
		return l.call(e)
	case ast.ComprehensionKind:
		return l.comprehension(e.AsComprehension())
	}
	return nil, false
}

func literal(e ast.Expr) (value, bool) {
	switch v := e.AsLiteral().(type) {
	case types.String:
		return strV(string(v)), true
	case types.Int:
		return intV(int64(v)), true
	case types.Bool:
		return boolV(bool(v)), true
	}
	return value{}, false
}

func (l *lowerer) ident(name string) (*node, bool) {
	if v, ok := l.bind[name]; ok {
		return l.constant(v), true
	}
	for _, list := range l.p.Lists {
		if "lists."+list.Name != name {
			continue
		}
		var elems []value
		for _, x := range list.Values {
			v, ok := constValue(x)
			if !ok {
				return nil, false
			}
			elems = append(elems, v)
		}
		return l.constant(listV(elems)), true
	}
	return nil, false
}

// selectExpr handles has(field) and boolean fields read directly.
func (l *lowerer) selectExpr(e ast.Expr) (*node, bool) {
	sel := e.AsSelect()
	if sel.IsTestOnly() {
		path, f, ok := fieldPath(sel.Operand())
		if !ok || (f != nil && f.Kind != policy.Message) {
			return nil, false
		}
		typ := policy.EventType
		if f != nil {
			typ = f.Elem
		}
		if _, ok := policy.LookupField(typ, sel.FieldName()); !ok {
			return nil, false
		}
		d, ok := l.sp.fieldDim(PresenceDim, path+"."+sel.FieldName(), "")
		if !ok {
			return nil, false
		}
		return l.dimNode(d), true
	}
	path, f, ok := fieldPath(e)
	if !ok || f == nil || f.Kind != policy.Bool {
		return nil, false
	}
	d, ok := l.sp.fieldDim(BoolDim, path, "")
	if !ok {
		return nil, false
	}
	return l.dimNode(d), true
}

// fieldPath resolves a chain of field selections from `event` to its path
// and typed field; f is nil for `event` itself.
func fieldPath(e ast.Expr) (string, *policy.Field, bool) {
	var names []string
	for e.Kind() == ast.SelectKind && !e.AsSelect().IsTestOnly() {
		names = append(names, e.AsSelect().FieldName())
		e = e.AsSelect().Operand()
	}
	if e.Kind() != ast.IdentKind || e.AsIdent() != "event" {
		return "", nil, false
	}
	typ, path := policy.EventType, "event"
	var field *policy.Field
	for i := len(names) - 1; i >= 0; i-- {
		if field != nil && field.Kind != policy.Message {
			return "", nil, false
		}
		f, ok := policy.LookupField(typ, names[i])
		if !ok {
			return "", nil, false
		}
		field, typ, path = &f, f.Elem, path+"."+names[i]
	}
	return path, field, true
}

func (l *lowerer) call(e ast.Expr) (*node, bool) {
	c := e.AsCall()
	args := c.Args()
	switch fn := c.FunctionName(); fn {
	case "_&&_", "_||_":
		op := opAnd
		if fn == "_||_" {
			op = opOr
		}
		return &node{op: op, kids: []*node{l.boolean(args[0]), l.boolean(args[1])}}, true
	case "!_":
		return &node{op: opNot, kids: []*node{l.boolean(args[0])}}, true
	case "_?_:_":
		if !isBool(l, args[1]) || !isBool(l, args[2]) {
			return nil, false
		}
		return &node{op: opCond, kids: []*node{l.boolean(args[0]), l.boolean(args[1]), l.boolean(args[2])}}, true
	case "_==_", "_!=_", "_<_", "_<=_", "_>_", "_>=_":
		return l.comparison(fn, args[0], args[1])
	case "@in":
		return l.in(args[0], args[1])
	case "isIP":
		return l.ipTest(fn, nil, args[0])
	case "containsIP":
		if !c.IsMemberFunction() {
			return nil, false
		}
		return l.ipTest(fn, c.Target(), args[0])
	}
	return nil, false
}

// isBool reports whether e is typed bool. Inside an unrolled macro the
// type of e is that of the original expression, which is the same.
func isBool(l *lowerer, e ast.Expr) bool {
	t := l.ast.GetType(e.ID())
	return t != nil && t.Kind() == types.BoolKind
}

// ref is a field read that a dimension can stand for, and its kind.
func (l *lowerer) fieldRef(e ast.Expr) (path string, kind policy.Kind, size bool, ok bool) {
	if e.Kind() == ast.CallKind && e.AsCall().FunctionName() == "size" {
		c := e.AsCall()
		arg := c.Target()
		if !c.IsMemberFunction() {
			if len(c.Args()) != 1 {
				return "", 0, false, false
			}
			arg = c.Args()[0]
		}
		p, f, ok := fieldPath(arg)
		if !ok || f == nil || (f.Kind != policy.StringList && f.Kind != policy.MessageList) {
			return "", 0, false, false
		}
		return p, policy.Int, true, true
	}
	p, f, ok := fieldPath(e)
	if !ok || f == nil {
		return "", 0, false, false
	}
	return p, f.Kind, false, true
}

// comparison lowers `field OP constant` (either way round) and constant
// folding.
func (l *lowerer) comparison(fn string, a, b ast.Expr) (*node, bool) {
	na, aok := l.lower(a)
	nb, bok := l.lower(b)
	if aok && bok && na.op == opConst && nb.op == opConst {
		return &node{op: opCall, fn: fn, kids: []*node{na, nb}}, true
	}
	fieldSide, k, swap := a, nb, false
	if !(bok && nb.op == opConst) {
		if !(aok && na.op == opConst) {
			return nil, false
		}
		fieldSide, k, swap = b, na, true
	}
	d, ok := l.register(fieldSide, fn, swap, []value{k.v})
	if !ok {
		return nil, false
	}
	kids := []*node{l.dimNode(d), k}
	if swap {
		kids[0], kids[1] = kids[1], kids[0]
	}
	return &node{op: opCall, fn: fn, kids: kids}, true
}

// register records that field e is compared by fn with the constants, and
// returns its dimension.
// flipped turns `constant OP field` into `field OP' constant`.
var flipped = map[string]string{"_<_": "_>_", "_<=_": "_>=_", "_>_": "_<_", "_>=_": "_<=_"}

func (l *lowerer) register(e ast.Expr, fn string, isFlipped bool, consts []value) (int, bool) {
	path, kind, size, ok := l.fieldRef(e)
	if !ok {
		return 0, false
	}
	switch {
	case kind == policy.String && allKind(consts, vString) && (fn == "_==_" || fn == "_!=_" || fn == "@in"):
		d, ok := l.sp.fieldDim(EnumDim, path, "")
		if ok {
			l.sp.Dims[d].sets = append(l.sp.Dims[d].sets, consts)
		}
		return d, ok
	case kind == policy.Int && allKind(consts, vInt):
		key := path
		if size {
			key = "size(" + path + ")"
		}
		d, ok := l.sp.fieldDim(IntDim, key, path)
		if !ok {
			return 0, false
		}
		op := fn
		if fn == "@in" {
			op = "_==_"
		}
		if f, ok := flipped[op]; ok && isFlipped {
			op = f
		}
		for _, c := range consts {
			l.sp.Dims[d].uses = append(l.sp.Dims[d].uses, intUse{op: op, lit: c.i})
		}
		return d, true
	case kind == policy.Bool && allKind(consts, vBool) && (fn == "_==_" || fn == "_!=_" || fn == "@in"):
		return l.sp.fieldDim(BoolDim, path, "")
	}
	return 0, false
}

func allKind(vs []value, k vkind) bool {
	for _, v := range vs {
		if v.k != k {
			return false
		}
	}
	return true
}

// in lowers `field in constants` and `constant in listField`.
func (l *lowerer) in(x, list ast.Expr) (*node, bool) {
	nx, xok := l.lower(x)
	nl, lok := l.lower(list)
	switch {
	case xok && lok && nx.op == opConst && nl.op == opConst:
		return &node{op: opCall, fn: "@in", kids: []*node{nx, nl}}, true
	case lok && nl.op == opConst && nl.v.k == vList:
		d, ok := l.register(x, "@in", false, nl.v.l)
		if !ok {
			return nil, false
		}
		return &node{op: opCall, fn: "@in", kids: []*node{l.dimNode(d), nl}}, true
	case xok && nx.op == opConst && nx.v.k == vString:
		path, f, ok := fieldPath(list)
		if !ok || f == nil || f.Kind != policy.StringList {
			return nil, false
		}
		d, ok := l.sp.memberDim(path, nx.v.s)
		if !ok {
			return nil, false
		}
		return l.dimNode(d), true
	}
	return nil, false
}

// ipTest lowers isIP(field), cidr(C).containsIP(field) and
// cidr(C).containsIP(ip(field)) for a string field and constant C.
func (l *lowerer) ipTest(fn string, target, arg ast.Expr) (*node, bool) {
	wrapIP := false
	if arg.Kind() == ast.CallKind && arg.AsCall().FunctionName() == "ip" && len(arg.AsCall().Args()) == 1 && fn == "containsIP" {
		arg, wrapIP = arg.AsCall().Args()[0], true
	}
	path, f, ok := fieldPath(arg)
	if !ok || f == nil || f.Kind != policy.String {
		return nil, false
	}
	d, ok := l.sp.fieldDim(IPDim, path, "")
	if !ok {
		return nil, false
	}
	var cidr *node
	if target != nil {
		if target.Kind() != ast.CallKind || target.AsCall().FunctionName() != "cidr" || len(target.AsCall().Args()) != 1 {
			return nil, false
		}
		k, ok := l.lower(target.AsCall().Args()[0])
		if !ok || k.op != opConst || k.v.k != vString {
			return nil, false
		}
		cidr = &node{op: opCall, fn: "cidr", kids: []*node{k}}
		l.sp.Dims[d].cidrs = append(l.sp.Dims[d].cidrs, k.v.s)
	}
	field := l.dimNode(d)
	if wrapIP {
		field = &node{op: opCall, fn: "ip", kids: []*node{field}}
	}
	if cidr == nil {
		return &node{op: opCall, fn: fn, kids: []*node{field}}, true
	}
	return &node{op: opCall, fn: fn, kids: []*node{cidr, field}}, true
}

// comprehension unrolls exists and all over a constant list: exists is
// the || of the body on each element and all the &&, with the same error
// absorption as CEL's macros.
func (l *lowerer) comprehension(c ast.ComprehensionExpr) (*node, bool) {
	if c.HasIterVar2() {
		return nil, false
	}
	rng, ok := l.lower(c.IterRange())
	if !ok || rng.op != opConst || rng.v.k != vList {
		return nil, false
	}
	step := c.LoopStep()
	if step.Kind() != ast.CallKind || c.Result().Kind() != ast.IdentKind || c.Result().AsIdent() != c.AccuVar() {
		return nil, false
	}
	sc := step.AsCall()
	op := map[string]nodeOp{"_||_": opOr, "_&&_": opAnd}[sc.FunctionName()]
	if op != opOr && op != opAnd || len(sc.Args()) != 2 || sc.Args()[0].Kind() != ast.IdentKind || sc.Args()[0].AsIdent() != c.AccuVar() {
		return nil, false
	}
	init, ok := literal(c.AccuInit())
	if !ok || init.k != vBool || init.b != (op == opAnd) {
		return nil, false
	}
	body := sc.Args()[1]
	n := &node{op: op}
	prev, had := l.bind[c.IterVar()]
	for _, elem := range rng.v.l {
		l.bind[c.IterVar()] = elem
		n.kids = append(n.kids, l.boolean(body))
	}
	if had {
		l.bind[c.IterVar()] = prev
	} else {
		delete(l.bind, c.IterVar())
	}
	if len(n.kids) == 0 {
		return l.constant(init), true
	}
	return n, true
}

// atom makes e a symbolic dimension of its own, shared by every rule that
// has the same expression with the same bound variables (and, when it
// names a list, by the rules of the same policy only).
func (l *lowerer) atom(e ast.Expr) *node {
	text, err := cel.ExprToString(e, l.info)
	if err != nil {
		text = fmt.Sprintf("<expression %d>", e.ID())
	}
	text = strings.Join(strings.Fields(text), " ")
	label := text
	vars := map[string]value{}
	var binds []string
	for _, k := range slices.Sorted(maps.Keys(l.bind)) {
		if strings.Contains(text, k) {
			vars[k] = l.bind[k]
			binds = append(binds, k+" = "+l.bind[k].String())
		}
	}
	if len(binds) > 0 {
		label += " (with " + strings.Join(binds, ", ") + ")"
	}
	key := label
	if strings.Contains(text, "lists.") {
		key = fmt.Sprintf("%d:%s", l.pol, label)
	}
	lits := atomLiterals(e)
	for _, k := range slices.Sorted(maps.Keys(vars)) {
		lits = append(lits, vars[k])
	}
	d := l.sp.atomDim(key, label, mayError(e, l.ast), atomFields(e), lits)
	dim := l.sp.Dims[d]
	if dim.atomCEL == "" {
		dim.atomCEL, dim.atomVars, dim.atomPol = text, vars, l.pol
	}
	return l.dimNode(d)
}
