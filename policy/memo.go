package policy

import (
	"errors"
	"net/netip"
	"slices"
	"strings"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
)

// Fields is an event read lazily, as Memo reads it (simulate's
// EventFields): an exact key of the value of a field, and a decode of the
// values at some paths. A field is named by its ref, the number the
// Resolver of the Memo gave its path.
type Fields interface {
	AppendKey(key []byte, ref int) []byte
	Tree(paths [][]string) (event any, ok bool)
}

// Resolver resolves a field's path (split at the dots) into the ref by
// which the Fields of a run look it up (simulate's input.FieldTree): a
// Memo resolves the paths it reads once, when it is made, not on each
// login.
type Resolver interface {
	Resolve(path []string) (ref int)
}

// loginFields is Fields that number their logins: two calls of Decide
// with the same number are for the same login, and a rule that two Memos
// share (NewMemoSharing) answers the second from the first's result
// without reading the event again.
type loginFields interface {
	Login() uint64
}

// plainFields is Fields that hand out a field's string when it needs no
// decoding (transient: for the call's use only), ok false for anything
// else; a quantifier over address ranges is then decided
// from the address without evaluating the rule (cidrfold.go).
type plainFields interface {
	PlainString(ref int) (s string, ok bool)
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
	rules []*memoRule
	login uint64 // the login being decided, 0 when the Fields do not say
	// act and root are the activation of each evaluation, made anew in
	// place: nothing an evaluation makes outlives it.
	act  activation
	root object
	objs objectArena
	// fields numbers the values of the fields the units read; Memos that
	// share units share it, and addr.
	fields *fieldIDs
	// addr is the address the last address-range quantifier read,
	// parsed: the others, of both policies of a pair, read the same.
	addr *parsedAddr
}

// parsedAddr is an address field of one login, parsed.
type parsedAddr struct {
	login uint64 // 0: none
	ref   int
	addr  netip.Addr
	err   error
}

// memoRule is one rule's memo. A rule whose condition is a chain of &&
// (or of ||) is memoised part by part: parts read fewer fields than the
// rule, so their memos answer more often (size(enrolledFactors) == 0 for
// every user with a factor, whatever the login count), and one part that
// is false (true) decides the rule, as CEL's && (||) does even when
// another part errs.
type memoRule struct {
	whole *memoUnit
	parts []*memoUnit
	or    bool
}

// memoUnit is the memo of a rule or of a part of one.
type memoUnit struct {
	// paths are the fields the unit reads; nil when it reads the event
	// as a whole (then it is not memoised, and decoded whole).
	paths [][]string
	// ids are the paths' numbers in the Memo's fieldIDs.
	ids  []int
	prog cel.Program
	cidr *cidrExists // when the unit is a quantifier over address ranges
	// cidrRef is the ref of the field the quantifier reads.
	cidrRef int
	// text is a part's expression as cel-go writes it back (samePart).
	text string
	// sub is the chain of parts a part is when it is a chain of the other
	// operator ((a || b) && c), whose whole is the part: the part is
	// decided from them as a rule from its parts.
	sub  *memoRule
	memo bool
	// seen holds the results by the numbers of the values of the
	// unit's fields (16 bits each), or, for a unit of one field, byID by
	// the number (0: not seen, 1: false, 2: true); n counts them. key is
	// the key of the login being decided.
	seen map[uint64]bool
	byID []uint8
	n    int
	hits int
	key  uint64
	// keyed is set when key holds the key of the login being decided
	// (every value had a number).
	keyed bool
	// login is the login whose value the unit holds in loginTrue (0:
	// none): a unit that two Memos share (NewMemoSharing) answers the
	// second on the same login from it, memoised or not.
	login     uint64
	loginTrue bool
}

// maxKeyFields is how many fields a unit's key holds (16 bits each): a
// unit that reads more is not memoised.
const maxKeyFields = 4

func newMemoUnit(fields *fieldIDs, paths [][]string, prog cel.Program, cidr *cidrExists) *memoUnit {
	u := &memoUnit{paths: paths, prog: prog, cidr: cidr}
	if cidr != nil {
		u.cidrRef = fields.resolver.Resolve(cidr.path)
	}
	if paths != nil && len(paths) <= maxKeyFields {
		u.memo = true
		if len(paths) != 1 {
			u.seen = map[uint64]bool{}
		}
		for _, p := range paths {
			u.ids = append(u.ids, fields.index(p))
		}
	}
	return u
}

// fieldIDs numbers the distinct values of each field the units of one or
// more Memos read, by the exact key of the value (Fields.AppendKey): two
// values with the same number have the same key, so a unit's key is the
// numbers of its fields' values, made of one lookup per field and login
// however many units read the field, and compared as two integers. A
// field numbers at most maxFieldValues values; a value past them has none,
// and a unit that reads it is evaluated.
type fieldIDs struct {
	paths [][]string
	// refs are the paths resolved by resolver.
	refs     []int
	resolver Resolver
	values   []map[string]uint16
	// last holds, per field, the login whose value's number it holds.
	last    []fieldID
	scratch []byte
}

type fieldID struct {
	login uint64
	id    uint16
	ok    bool
}

// maxFieldValues bounds the values a field numbers (and the memory of
// their keys).
const maxFieldValues = 8192

// index returns the number of the field at path, adding it.
func (x *fieldIDs) index(path []string) int {
	for i, p := range x.paths {
		if slices.Equal(p, path) {
			return i
		}
	}
	x.paths = append(x.paths, path)
	x.refs = append(x.refs, x.resolver.Resolve(path))
	x.values = append(x.values, map[string]uint16{})
	x.last = append(x.last, fieldID{})
	return len(x.paths) - 1
}

// id returns the number of the value of field i in f; ok is false when it
// has none. login (0: unknown) lets a second call for the login answer
// from the first.
func (x *fieldIDs) id(f Fields, i int, login uint64) (uint16, bool) {
	if l := &x.last[i]; login != 0 && l.login == login {
		return l.id, l.ok
	}
	x.scratch = f.AppendKey(x.scratch[:0], x.refs[i])
	m := x.values[i]
	id, ok := m[string(x.scratch)]
	if !ok && len(m) < maxFieldValues {
		id, ok = uint16(len(m)), true
		m[string(x.scratch)] = id
	}
	x.last[i] = fieldID{login: login, id: id, ok: ok}
	return id, ok
}

// memoSize bounds each rule's memo.
const memoSize = 4096

// NewMemo returns a memoising evaluator for one goroutine. It resolves
// the paths of the fields its rules read (Evaluator.Fields) with r, once,
// and decides Fields that look a field up by the ref r gave its path.
func (e *Evaluator) NewMemo(r Resolver) *Memo { return e.newMemo(nil, r) }

// NewMemoSharing returns a memoising evaluator for the goroutine that owns
// other, sharing other's memo of every rule that is the same in both
// policies (the same condition text over the same named lists), and, in
// the rules that differ, of every part of a chain of && or || that is the
// same. diff decides each login by two policies that mostly share their
// rules; the second policy then evaluates only the rules, and the parts of
// rules, that changed, and a part the first evaluated on the login answers
// the second from the same result. Its paths resolve with other's
// Resolver, whose Fields must have the fields of both.
func (e *Evaluator) NewMemoSharing(other *Memo) *Memo { return e.newMemo(other, nil) }

func (e *Evaluator) newMemo(other *Memo, r Resolver) *Memo {
	m := &Memo{e: e, rules: make([]*memoRule, len(e.p.Rules)), fields: &fieldIDs{resolver: r}, addr: &parsedAddr{}}
	if other != nil {
		m.fields, m.addr = other.fields, other.addr
	}
	for i, r := range e.p.Rules {
		if other != nil {
			if j := other.e.sameRule(e.p, r); j >= 0 {
				m.rules[i] = other.rules[j]
				continue
			}
		}
		mr := &memoRule{whole: newMemoUnit(m.fields, e.paths[i], e.programs[i], e.whole[i]), or: e.parts[i].or}
		mr.parts = m.partUnits(e.p, e.parts[i], other)
		m.rules[i] = mr
	}
	return m
}

// partUnits returns the units of a chain's parts, other's (nil: none)
// where it has the same part.
func (m *Memo) partUnits(p *Policy, rp ruleParts, other *Memo) []*memoUnit {
	var out []*memoUnit
	for _, part := range rp.parts {
		u := other.samePart(p, part)
		if u == nil {
			u = newMemoUnit(m.fields, part.paths, part.prog, part.cidr)
			u.text = part.text
			if len(part.sub.parts) > 0 {
				u.sub = &memoRule{whole: u, parts: m.partUnits(p, part.sub, other), or: part.sub.or}
			}
		}
		out = append(out, u)
	}
	return out
}

// samePart returns m's unit of a part that is part of policy p, nil when
// m (which may be nil) has none: a part with the same text that names the
// same lists with the same values, and reads only event fields and lists,
// has the same value on every event.
func (m *Memo) samePart(p *Policy, part partProgram) *memoUnit {
	if m == nil || part.text == "" || part.paths == nil {
		return nil
	}
	var find func(units []*memoUnit) *memoUnit
	find = func(units []*memoUnit) *memoUnit {
		for _, u := range units {
			if u.text == part.text && u.paths != nil && sameLists(m.e.p, p, part.expr) {
				return u
			}
			if u.sub != nil {
				if same := find(u.sub.parts); same != nil {
					return same
				}
			}
		}
		return nil
	}
	for _, r := range m.rules {
		if u := find(r.parts); u != nil {
			return u
		}
	}
	return nil
}

// sameRule returns the index of e's rule that is r of policy p, -1 when
// there is none: a rule whose condition has the same text and names the
// same lists with the same values decides every event the same way.
func (e *Evaluator) sameRule(p *Policy, r *Rule) int {
	for i, mine := range e.p.Rules {
		if mine.When == r.When && mine.AST != nil && r.AST != nil && sameLists(e.p, p, r.AST.NativeRep().Expr()) {
			return i
		}
	}
	return -1
}

// sameLists tells whether the lists the expression x names have the same
// type and values in both policies.
func sameLists(a, b *Policy, x ast.Expr) bool {
	names := map[string]bool{}
	visit(x, func(x ast.Expr) {
		switch x.Kind() {
		case ast.IdentKind:
			names[strings.TrimPrefix(x.AsIdent(), "lists.")] = true
		case ast.SelectKind:
			if op := x.AsSelect().Operand(); op.Kind() == ast.IdentKind && op.AsIdent() == "lists" {
				names[x.AsSelect().FieldName()] = true
			}
		}
	})
	for name := range names {
		la, oka := a.list(name)
		lb, okb := b.list(name)
		if oka != okb || (oka && (!la.Type.IsExactType(lb.Type) || !slices.Equal(la.Values, lb.Values))) {
			return false
		}
	}
	return true
}

// list returns the named list.
func (p *Policy) list(name string) (List, bool) {
	for _, l := range p.Lists {
		if l.Name == name {
			return l, true
		}
	}
	return List{}, false
}

// Decide is Evaluator.Decide on the event f, answered from the memo where
// it can be; a rule the memo cannot answer is evaluated on a decode of
// only the fields it reads.
func (m *Memo) Decide(f Fields) (int, error) {
	m.login = 0
	if lf, ok := f.(loginFields); ok {
		m.login = lf.Login()
	}
	for i, r := range m.rules {
		var v bool
		var err error
		if r.parts == nil {
			v, err = m.unit(r.whole, f)
		} else {
			v, err = m.parts(r, f)
		}
		switch {
		case err != nil:
			return i, err
		case v:
			return i, nil
		}
	}
	return len(m.rules), nil
}

// parts decides a rule from its parts: one part that is false (for ||,
// true) decides it; when none does and one errs, the rule is evaluated
// whole, for CEL's own answer. Parts the memo answers are looked at
// first.
func (m *Memo) parts(r *memoRule, f Fields) (bool, error) {
	decisive := r.or // the part value that decides the rule
	var buf [8]bool
	known := buf[:0]
	for _, p := range r.parts {
		v, ok := m.lookup(p, f)
		if ok && v == decisive {
			return decisive, nil
		}
		known = append(known, ok)
	}
	erred := false
	for j, p := range r.parts {
		if known[j] {
			continue // not decisive
		}
		v, err := m.evalPart(p, f)
		switch {
		case err == errUnfaithful:
			return false, err
		case err != nil:
			erred = true
		case v == decisive:
			return decisive, nil
		}
	}
	if erred {
		return m.unit(r.whole, f)
	}
	return !decisive, nil
}

// evalPart evaluates a part the memo did not answer: from its own parts
// when it is a chain of them.
func (m *Memo) evalPart(u *memoUnit, f Fields) (bool, error) {
	if u.sub == nil {
		return m.eval(u, f)
	}
	v, err := m.parts(u.sub, f)
	if err == nil && (m.login == 0 || u.login != m.login) { // not kept by an evaluation of the part whole
		m.keep(u, v)
	}
	return v, err
}

// unit answers a memo unit from its memo, or evaluates it.
func (m *Memo) unit(u *memoUnit, f Fields) (bool, error) {
	if v, ok := m.lookup(u, f); ok {
		return v, nil
	}
	return m.eval(u, f)
}

// lookup computes the unit's key of the event into u.key and answers from
// the memo when it holds the key.
func (m *Memo) lookup(u *memoUnit, f Fields) (v, ok bool) {
	if m.login != 0 && u.login == m.login {
		return u.loginTrue, true
	}
	u.keyed = false
	if !u.memo {
		return false, false
	}
	u.key = 0
	for j, i := range u.ids {
		id, ok := m.fields.id(f, i, m.login)
		if !ok {
			return false, false
		}
		u.key |= uint64(id) << (16 * j)
	}
	u.keyed = true
	if u.seen != nil {
		v, ok = u.seen[u.key]
	} else if u.key < uint64(len(u.byID)) && u.byID[u.key] != 0 {
		v, ok = u.byID[u.key] == 2, true
	}
	if ok {
		u.hits++
		u.login, u.loginTrue = m.login, v
	}
	return v, ok
}

// eval evaluates the unit on a decode of its fields and remembers the
// result by the key lookup computed.
func (m *Memo) eval(u *memoUnit, f Fields) (bool, error) {
	var out ref.Val
	if u.cidr != nil {
		if pf, ok := f.(plainFields); ok {
			if addr, err, ok := m.address(pf, u.cidrRef); ok {
				out, _ = u.cidr.decideAddr(addr, err)
			}
		}
	}
	var err error
	if out == nil {
		event, ok := f.Tree(u.paths)
		if !ok {
			return false, errUnfaithful
		}
		out, _, err = u.prog.Eval(m.activation(event))
	}
	if err == nil && out != types.True && out != types.False {
		err = notBool(out)
	}
	if err != nil {
		return false, err
	}
	v := out == types.True
	m.keep(u, v)
	return v, nil
}

// address parses the address text of the field at ref (ok: the field is
// a string), once per login when the Fields number their logins.
func (m *Memo) address(pf plainFields, ref int) (addr netip.Addr, err error, ok bool) {
	if a := m.addr; m.login != 0 && a.login == m.login && a.ref == ref {
		return a.addr, a.err, true
	}
	s, ok := pf.PlainString(ref)
	if !ok {
		return netip.Addr{}, nil, false
	}
	addr, err = netip.ParseAddr(s)
	if m.login != 0 {
		*m.addr = parsedAddr{login: m.login, ref: ref, addr: addr, err: err}
	}
	return addr, err, true
}

// keep remembers the unit's value on the login being decided.
func (m *Memo) keep(u *memoUnit, v bool) {
	u.login, u.loginTrue = m.login, v
	if u.memo && u.keyed {
		u.remember(u.key, v)
	}
}

// activation is Evaluator.activation, in the memo's own storage.
func (m *Memo) activation(event any) *activation {
	m.act = activation{e: m.e}
	if ev, ok := event.(map[string]any); ok {
		m.objs.reset()
		m.root = eventObject(ev, m.e.adapter)
		m.root.arena = &m.objs
		m.act.event = &m.root
	} else {
		m.act.event = eventValue(event, m.e.adapter)
	}
	return &m.act
}

// remember keeps a result while the memo has room; a full memo that has
// answered fewer times than it holds entries is given up.
func (r *memoUnit) remember(key uint64, v bool) {
	if r.n < memoSize {
		r.n++
		if r.seen != nil {
			r.seen[key] = v
			return
		}
		if key >= uint64(len(r.byID)) {
			r.byID = append(r.byID, make([]uint8, int(key)+1-len(r.byID))...)
		}
		r.byID[key] = 1
		if v {
			r.byID[key] = 2
		}
		return
	}
	if r.hits < memoSize {
		r.memo, r.seen, r.byID = false, nil, nil
	}
}

// memoPaths returns the event fields a rule reads, split at the dots
// (non-nil, perhaps empty), or nil when its result depends on more than
// them.
func memoPaths(r *Rule) [][]string {
	if r.AST == nil {
		return nil
	}
	return memoPathsOf(r.AST.NativeRep().Expr())
}

// memoPathsOf is memoPaths of an expression.
func memoPathsOf(e ast.Expr) [][]string {
	bound := map[string]bool{}
	collectBound(e, bound)
	if !onlyFieldReads(e, bound) {
		return nil
	}
	set := map[string]bool{}
	collectFields(e, set)
	fields := make([]string, 0, len(set))
	for f := range set {
		fields = append(fields, f)
	}
	slices.Sort(fields)
	paths := make([][]string, 0, len(fields))
	for _, f := range fields {
		p := valuePath(strings.Split(f, "."))
		if !slices.ContainsFunc(paths, func(q []string) bool { return slices.Equal(p, q) }) {
			paths = append(paths, p)
		}
	}
	return paths
}

// valuePath cuts a field path at the value a read of it depends on
// whole: a member of a map(string, string) field (client.metadata.tier)
// is read by checking every value of the map, so its result depends on
// the whole map, not on the member alone.
func valuePath(path []string) []string {
	typ := EventType
	for i, seg := range path {
		f, ok := LookupField(typ, seg)
		if !ok {
			return path
		}
		switch f.Kind {
		case StringMap:
			return path[:i+1]
		case Message:
			typ = f.Elem
		default:
			return path
		}
	}
	return path
}

// Fields lists the event fields the memo reads as values (dotted paths,
// members of map(string, string) fields cut at the map): what an
// implementation of Fields must locate.
func (e *Evaluator) Fields() []string {
	var out []string
	for _, paths := range e.paths {
		for _, p := range paths {
			out = append(out, strings.Join(p, "."))
		}
	}
	return out
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
