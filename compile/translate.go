package compile

import (
	"cmp"
	"encoding/hex"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/types"
)

// A translateError is a CEL construct the compiler cannot translate
// faithfully, at the CEL node with the given id.
type translateError struct {
	id  int64
	msg string
}

func (e *translateError) Error() string { return e.msg }

// module collects what the rules of one Action share: hoisted constants
// (translated regular expressions) with generated names.
type module struct {
	fields  map[string]bool   // event paths read, such as "event.request.ip"
	consts  []string          // "const re0 = /.../u; // pattern" lines
	regexes map[string]string // pattern → constant name
	lists   map[string]string // list literal's JavaScript → constant name
	// ranges finds the quantifiers over constant address ranges the
	// evaluator decides from the address alone (policy.AddressRanges);
	// nil: none are looked for.
	ranges func(a *ast.AST, x ast.Expr) ([]string, bool)
	// late are constants made from the named lists, declared after them:
	// the parsed ranges of cidr_exists (cidrsN).
	late      []string
	rangeSets map[string]string // list constant → its ranges' constant
}

func newModule() *module {
	return &module{regexes: map[string]string{}, lists: map[string]string{}, fields: map[string]bool{}, rangeSets: map[string]string{}}
}

// rootVar says how a top-level CEL variable reads in JavaScript.
type rootVar struct {
	js   jsExpr
	path string // the name used in field-type error messages
	// event, when set, is the JavaScript variable holding the event, which
	// path reads take as is and check themselves.
	event string
}

// translator turns one checked CEL expression into JavaScript: the body
// of one function, and the functions lifted out of it (function.go).
// Generated identifiers are v0, v1... for comprehension variables, m0,
// m1... for repeated field reads, fv for inline reads, re0, re1... for
// regular expressions, lit0, lit1... for list literals and the name of
// the function with a suffix for lifted functions (rule2_exists0); no
// identifier comes from policy text.
type translator struct {
	ast   *ast.AST
	mod   *module
	roots map[string]rootVar
	scope []scopeVar
	next  int
	// params are the declared argument types of each overload id.
	params map[string][]*types.Type
	// fields collects the event paths the expression reads.
	fields map[string]bool
	// fn is the function being written; name and args are the outermost
	// function's name and parameters, which every lifted function takes
	// too, before the macro variables in scope.
	fn   *jsFunc
	name string
	args []string
	// lifted are the lifted functions' texts, in the order of their names.
	lifted []string
	// reads counts the typed reads from the event itself, by function,
	// helper and path; memo names the local (m0, m1...) that keeps the
	// value of each read made more than once in a function, and locals
	// lists them by function.
	reads  map[readKey]int
	memo   map[readKey]string
	locals map[int64][]string
	// quick allows the inline fast path of typed reads (quickRead).
	quick bool
}

// jsFunc is one JavaScript function the translator writes: the function
// of the expression with the given AST id (0 for none).
type jsFunc struct {
	root int64
	// quickUsed records the use of quickRead's temporary fv, which the
	// function declares.
	quickUsed bool
	// vars are the locals its statements use (left, right, right1, ok...),
	// nested the number of right1, right2...
	vars   []string
	nested int
}

// readKey names a typed read of the event in one function.
type readKey struct {
	fn  int64
	key string // helper and path
}

type scopeVar struct {
	cel, js, path string
}

func newTranslator(env *cel.Env, checked *cel.Ast, mod *module, roots map[string]rootVar, name string, args []string) *translator {
	return &translator{ast: checked.NativeRep(), mod: mod, roots: roots, params: overloadParams(env), fields: mod.fields,
		name: name, args: args, fn: &jsFunc{}}
}

// translate returns the JavaScript expression for a checked CEL
// expression, in a function whose parameters are args, and the functions
// lifted out of it, named name_....
func translate(env *cel.Env, checked *cel.Ast, mod *module, roots map[string]rootVar, name string, args ...string) (jsExpr, []string, error) {
	t := newTranslator(env, checked, mod, roots, name, args)
	js, err := t.expr(t.ast.Expr())
	return js, t.lifted, err
}

// translateBody returns the statements of the body of a function, named
// name with parameters args, that computes a checked CEL expression, and
// the functions lifted out of it. An event field read more than once in
// one function is read once per call into a local, m0, m1..., declared
// first and assigned at its first use (??=: no typed read returns null,
// and a read that throws leaves the local unset, so the next use throws
// the same error). Reads are pure, so this changes no result and no error.
func translateBody(env *cel.Env, checked *cel.Ast, mod *module, roots map[string]rootVar, name string, args ...string) (string, []string, error) {
	t := newTranslator(env, checked, mod, roots, name, args)
	t.quick = true
	t.reads = map[readKey]int{}
	if _, err := t.function(t.ast.Expr()); err != nil {
		return "", nil, err
	}
	t.memo, t.locals = map[readKey]string{}, map[int64][]string{}
	var twice []readKey
	for k, n := range t.reads {
		if n > 1 {
			twice = append(twice, k)
		}
	}
	slices.SortFunc(twice, func(a, b readKey) int {
		return cmp.Or(cmp.Compare(a.fn, b.fn), strings.Compare(a.key, b.key))
	})
	for _, k := range twice {
		local := fmt.Sprintf("m%d", len(t.locals[k.fn]))
		t.memo[k] = local
		t.locals[k.fn] = append(t.locals[k.fn], local)
	}
	t.next, t.lifted = 0, nil
	body, err := t.function(t.ast.Expr())
	return body, t.lifted, err
}

func (t *translator) fail(e ast.Expr, format string, args ...any) error {
	return &translateError{id: e.ID(), msg: fmt.Sprintf(format, args...)}
}

func (t *translator) typeOf(e ast.Expr) *types.Type { return t.ast.GetType(e.ID()) }

func (t *translator) expr(e ast.Expr) (jsExpr, error) {
	if ref, ok := t.ast.ReferenceMap()[e.ID()]; ok && ref.Value != nil {
		return t.literal(e, ref.Value)
	}
	switch e.Kind() {
	case ast.LiteralKind:
		return t.literal(e, e.AsLiteral())
	case ast.IdentKind:
		return t.ident(e)
	case ast.SelectKind:
		return t.selectExpr(e)
	case ast.CallKind:
		return t.call(e)
	case ast.ListKind:
		return t.list(e)
	case ast.MapKind:
		return t.mapLit(e)
	case ast.ComprehensionKind:
		return t.comprehension(e)
	}
	return jsExpr{}, t.fail(e, "this kind of CEL expression (%v) is not supported", e.Kind())
}

func (t *translator) literal(e ast.Expr, v any) (jsExpr, error) {
	switch v := v.(type) {
	case types.Bool:
		if v {
			return primary("true"), nil
		}
		return primary("false"), nil
	case types.Int:
		if v < 0 {
			return jsExpr{text: jsInt(int64(v)), prec: precUnary}, nil
		}
		return primary(jsInt(int64(v))), nil
	case types.Uint:
		return call("rt.uint", primary(fmt.Sprintf("%dn", uint64(v)))), nil
	case types.Double:
		s := jsDouble(float64(v))
		if s[0] == '-' {
			return jsExpr{text: s, prec: precUnary}, nil
		}
		return primary(s), nil
	case types.String:
		s, err := jsString(string(v))
		if err != nil {
			return jsExpr{}, t.fail(e, "%v", err)
		}
		return primary(s), nil
	case types.Null:
		return primary("null"), nil
	case types.Bytes:
		return call("rt.bytes_of", primary(`"`+hex.EncodeToString(v)+`"`)), nil
	}
	return jsExpr{}, t.fail(e, "literals of type %T are not supported", v)
}

func (t *translator) lookup(name string) (scopeVar, bool) {
	for i := len(t.scope) - 1; i >= 0; i-- {
		if t.scope[i].cel == name {
			return t.scope[i], true
		}
	}
	return scopeVar{}, false
}

func (t *translator) ident(e ast.Expr) (jsExpr, error) {
	name := e.AsIdent()
	if v, ok := t.lookup(name); ok {
		return primary(v.js), nil
	}
	if ref, ok := t.ast.ReferenceMap()[e.ID()]; ok && ref.Name != "" {
		name = ref.Name
	}
	if r, ok := t.roots[name]; ok {
		return r.js, nil
	}
	if t.typeOf(e).Kind() == types.TypeKind {
		// A type denotation: int, list, type...
		s, err := jsString(name)
		if err != nil {
			return jsExpr{}, t.fail(e, "%v", err)
		}
		return call("rt.type_value", primary(s)), nil
	}
	return jsExpr{}, t.fail(e, "variable %s is not supported", name)
}

// path names a value for error messages and Result.Fields from the event
// schema only: event.request.geoip, event.user.enrolledFactors[] for an
// element, "value" for anything else.
func (t *translator) path(e ast.Expr) string {
	switch e.Kind() {
	case ast.IdentKind:
		if v, ok := t.lookup(e.AsIdent()); ok {
			return v.path
		}
		if r, ok := t.roots[e.AsIdent()]; ok {
			return r.path
		}
	case ast.SelectKind:
		if t.typeOf(e.AsSelect().Operand()).Kind() == types.StructKind {
			return t.path(e.AsSelect().Operand()) + "." + e.AsSelect().FieldName()
		}
	case ast.CallKind:
		c := e.AsCall()
		if c.FunctionName() == "_[_]" && len(c.Args()) == 2 && t.typeOf(c.Args()[0]).Kind() == types.ListKind {
			return t.path(c.Args()[0]) + "[]"
		}
	}
	return "value"
}

func (t *translator) selectExpr(e ast.Expr) (jsExpr, error) {
	if ref, ok := t.ast.ReferenceMap()[e.ID()]; ok && ref.Name != "" {
		// A qualified variable name such as lists.home_countries.
		if r, ok := t.roots[ref.Name]; ok {
			return r.js, nil
		}
		return jsExpr{}, t.fail(e, "variable %s is not supported", ref.Name)
	}
	sel := e.AsSelect()
	opType := t.typeOf(sel.Operand())
	if opType.Kind() == types.StructKind {
		return t.fieldRead(e)
	}
	operand, err := t.expr(sel.Operand())
	if err != nil {
		return jsExpr{}, err
	}
	field, err := jsString(sel.FieldName())
	if err != nil {
		return jsExpr{}, t.fail(e, "%v", err)
	}
	key := primary(field)
	if sel.IsTestOnly() {
		return call("rt.has_key", operand, key), nil
	}
	switch opType.Kind() {
	case types.MapKind:
		return call("rt.index_map", operand, key), nil
	case types.DynKind:
		return call("rt.select", operand, key), nil
	}
	return jsExpr{}, t.fail(e, "field selection on %v is not supported", opType)
}

// fieldRead reads a typed field of an event object following
// docs/semantics.md, as one path read from the outermost object of a chain
// of selections: event.request.geoip.countryCode becomes
// rt.read_string(event, "request.geoip.countryCode"), and has() of it
// rt.has_field(event, "request.geoip.countryCode"). A chain that starts
// elsewhere (a macro variable, a list element) passes the start's name for
// error messages: rt.read_string(v0, "type", "event.user.enrolledFactors[]").
func (t *translator) fieldRead(e ast.Expr) (jsExpr, error) {
	sel := e.AsSelect()
	base, names := t.fieldChain(e)
	for _, n := range names {
		if !schemaName.MatchString(n) {
			return jsExpr{}, t.fail(e, "event field %q is not a schema field name", n)
		}
	}
	fn := "has_field"
	if !sel.IsTestOnly() {
		var err error
		if fn, err = t.fieldHelper(e, t.typeOf(e)); err != nil {
			return jsExpr{}, err
		}
	}
	path, err := jsString(strings.Join(names, "."))
	if err != nil {
		return jsExpr{}, t.fail(e, "%v", err)
	}
	if r, ok := t.eventRoot(base); ok {
		read := t.quickRead(fn, r, names, path, call("rt."+fn, primary(r), primary(path)))
		key := readKey{t.fn.root, fn + " " + path}
		if t.reads != nil {
			t.reads[key]++
		}
		if m, ok := t.memo[key]; ok {
			return primary("(" + m + " ??= " + read.text + ")"), nil
		}
		return read, nil
	}
	start, err := t.expr(base)
	if err != nil {
		return jsExpr{}, err
	}
	name, err := jsString(t.path(base))
	if err != nil {
		return jsExpr{}, t.fail(e, "%v", err)
	}
	return call("rt."+fn, start, primary(path), primary(name)), nil
}

// quickRead puts an inline fast path before a typed read of a scalar or
// list field of the event:
//
//	(fv = event?.request?.geoip?.countryCode, typeof fv === "string" ? fv : rt.read_string(event, "request.geoip.countryCode"))
//
// Reading a path through the objects of JSON data with ?. gives the
// value the typed read returns whenever it has the type read: the path's
// names are all schema names that no JSON value inherits (quickName), so
// each name is an object's own member or is absent, and a string, number,
// boolean or array on the way has none of them and ends the chain in
// undefined. Anything else (an absent or null field, a value of the wrong
// type, a wrong type on the way) takes the typed read, which decides it as
// before. An interpreter runs the inline path about ten times faster than
// the call. has() is (event?.a?.b != null || rt.has_field(event, "a.b")),
// and a list is (fv = event?.a?.b, Array.isArray(fv) ? rt.list_string(fv,
// "a.b") : rt.read_list_string(event, "a.b")), the elements checked as the
// typed read checks them.
func (t *translator) quickRead(fn, root string, names []string, path string, read jsExpr) jsExpr {
	if !t.quick {
		return read
	}
	for _, n := range names {
		if !quickName(n) {
			return read
		}
	}
	chain := root + "?." + strings.Join(names, "?.")
	var test, value string
	switch fn {
	case "has_field":
		return primary("(" + chain + " != null || " + read.text + ")")
	case "read_string":
		test, value = `typeof fv === "string"`, "fv"
	case "read_bool":
		test, value = `typeof fv === "boolean"`, "fv"
	case "read_double":
		test, value = `typeof fv === "number"`, "fv"
	case "read_int":
		test, value = `typeof fv === "number" && Number.isSafeInteger(fv)`, "BigInt(fv)"
	case "read_list_string", "read_list_object":
		// An array found so can only be the field's own value; its
		// elements are checked as the typed read checks them.
		elems := "rt.list_" + strings.TrimPrefix(fn, "read_list_")
		test, value = "Array.isArray(fv)", call(elems, primary("fv"), primary(path)).text
	default:
		return read
	}
	t.fn.quickUsed = true
	return primary("(fv = " + chain + ", " + test + " ? " + value + " : " + read.text + ")")
}

// inheritedNames are the properties JSON values inherit in Node.js: those
// of Object.prototype, Array.prototype, String.prototype, Number.prototype
// and Boolean.prototype (Node.js 20; TestInheritedNames checks them against
// the installed Node.js and goja). A name read through ?. that one of
// them holds could find an inherited value, so such a name takes the
// typed read alone. Functions, whose name and length are primitives too,
// are reached only through these names.
var inheritedNames = map[string]bool{}

func init() {
	for _, n := range strings.Fields(`__defineGetter__ __defineSetter__ __lookupGetter__ __lookupSetter__
		__proto__ anchor at big blink bold charAt charCodeAt codePointAt concat constructor copyWithin
		endsWith entries every fill filter find findIndex findLast findLastIndex fixed flat flatMap
		fontcolor fontsize forEach hasOwnProperty includes indexOf isPrototypeOf isWellFormed italics
		join keys lastIndexOf length link localeCompare map match matchAll normalize padEnd padStart
		pop propertyIsEnumerable push reduce reduceRight repeat replace replaceAll reverse search
		shift slice small some sort splice split startsWith strike sub substr substring sup
		toExponential toFixed toLocaleLowerCase toLocaleString toLocaleUpperCase toLowerCase
		toPrecision toReversed toSorted toSpliced toString toUpperCase toWellFormed trim trimEnd
		trimLeft trimRight trimStart unshift valueOf values with`) {
		inheritedNames[n] = true
	}
}

// quickName reports whether a schema name may be read through ?.: no JSON
// value inherits it. (Schema names are identifiers, never array indexes.)
func quickName(n string) bool { return schemaName.MatchString(n) && !inheritedNames[n] }

// fieldChain splits a chain of event field selections ending at e into
// where it starts and the field names from there, and records each path
// read in t.fields.
func (t *translator) fieldChain(e ast.Expr) (ast.Expr, []string) {
	t.fields[t.path(e)] = true
	names := []string{e.AsSelect().FieldName()}
	base := e.AsSelect().Operand()
	for t.isFieldSelect(base) {
		t.fields[t.path(base)] = true
		names = append(names, base.AsSelect().FieldName())
		base = base.AsSelect().Operand()
	}
	slices.Reverse(names)
	return base, names
}

// schemaName is the shape of the event schema's field names, which path
// reads join with dots.
var schemaName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// isFieldSelect reports whether e reads a field of an event object.
func (t *translator) isFieldSelect(e ast.Expr) bool {
	if e.Kind() != ast.SelectKind || e.AsSelect().IsTestOnly() {
		return false
	}
	if ref, ok := t.ast.ReferenceMap()[e.ID()]; ok && (ref.Name != "" || ref.Value != nil) {
		return false
	}
	return t.typeOf(e.AsSelect().Operand()).Kind() == types.StructKind
}

// eventRoot returns the JavaScript variable holding the event when e is the
// event itself, whose path reads check it as they start.
func (t *translator) eventRoot(e ast.Expr) (string, bool) {
	if e.Kind() != ast.IdentKind {
		return "", false
	}
	if _, ok := t.lookup(e.AsIdent()); ok {
		return "", false
	}
	name := e.AsIdent()
	if ref, ok := t.ast.ReferenceMap()[e.ID()]; ok && ref.Name != "" {
		name = ref.Name
	}
	r, ok := t.roots[name]
	return r.event, ok && r.event != ""
}

func (t *translator) fieldHelper(e ast.Expr, ft *types.Type) (string, error) {
	switch ft.Kind() {
	case types.StringKind:
		return "read_string", nil
	case types.BoolKind:
		return "read_bool", nil
	case types.IntKind:
		return "read_int", nil
	case types.DoubleKind:
		return "read_double", nil
	case types.StructKind:
		return "read_object", nil
	case types.ListKind:
		switch ft.Parameters()[0].Kind() {
		case types.StringKind:
			return "read_list_string", nil
		case types.StructKind:
			return "read_list_object", nil
		}
	case types.MapKind:
		k, v := ft.Parameters()[0], ft.Parameters()[1]
		if k.Kind() == types.StringKind && v.Kind() == types.StringKind {
			return "read_map_string", nil
		}
		if k.Kind() == types.StringKind && v.Kind() == types.DynKind {
			return "read_map_dyn", nil
		}
	}
	return "", t.fail(e, "event fields of type %v are not supported", ft)
}

func (t *translator) list(e ast.Expr) (jsExpr, error) {
	l := e.AsList()
	if len(l.OptionalIndices()) > 0 {
		return jsExpr{}, t.fail(e, "optional list elements are not supported")
	}
	args, err := t.exprs(l.Elements())
	if err != nil {
		return jsExpr{}, err
	}
	parts := make([]string, len(args))
	for i, a := range args {
		parts[i] = a.at(precArrow)
	}
	text := "[" + join(parts) + "]"
	if len(parts) > 0 && t.allScalarLiterals(l.Elements()) {
		return primary(t.mod.constList(text)), nil
	}
	return primary(text), nil
}

// allScalarLiterals reports whether every expression is a string, int,
// bool or double literal, whose JavaScript is a primitive value.
func (t *translator) allScalarLiterals(es []ast.Expr) bool {
	for _, e := range es {
		if e.Kind() != ast.LiteralKind {
			return false
		}
		switch e.AsLiteral().(type) {
		case types.String, types.Int, types.Bool, types.Double:
		default:
			return false
		}
	}
	return true
}

func (t *translator) mapLit(e ast.Expr) (jsExpr, error) {
	var kv []jsExpr
	for _, entry := range e.AsMap().Entries() {
		me := entry.AsMapEntry()
		if me.IsOptional() {
			return jsExpr{}, t.fail(e, "optional map entries are not supported")
		}
		switch t.typeOf(me.Key()).Kind() {
		case types.StringKind, types.DynKind, types.IntKind, types.UintKind, types.BoolKind:
		default:
			// CEL allows no other key type; cel-go accepts doubles and null.
			return jsExpr{}, t.fail(me.Key(), "map keys must be strings, ints, uints or bools, not %v", t.typeOf(me.Key()))
		}
		k, err := t.expr(me.Key())
		if err != nil {
			return jsExpr{}, err
		}
		v, err := t.expr(me.Value())
		if err != nil {
			return jsExpr{}, err
		}
		kv = append(kv, k, v)
	}
	parts := make([]string, len(kv))
	for i, a := range kv {
		parts[i] = a.at(precArrow)
	}
	return call("rt.map_of", primary("["+join(parts)+"]")), nil
}

func (t *translator) exprs(es []ast.Expr) ([]jsExpr, error) {
	out := make([]jsExpr, len(es))
	for i, a := range es {
		x, err := t.expr(a)
		if err != nil {
			return nil, err
		}
		out[i] = x
	}
	return out, nil
}

func join(parts []string) string {
	s := ""
	for i, p := range parts {
		if i > 0 {
			s += ", "
		}
		s += p
	}
	return s
}

// overloadParams maps each overload id of env to its argument types.
func overloadParams(env *cel.Env) map[string][]*types.Type {
	out := map[string][]*types.Type{}
	for _, fn := range env.Functions() {
		for _, o := range fn.OverloadDecls() {
			out[o.ID()] = o.ArgTypes()
		}
	}
	return out
}
