package engine

import (
	"reflect"
	"strings"

	"github.com/dop251/goja"
	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/parser"
	"github.com/dop251/goja/token"
)

// A hand-written Action has no list of the fields it reads, but most read
// the event only through fixed paths: event.request.geoip.countryCode,
// event.authorization?.roles, event.user["app_metadata"]. HandlerPlan
// finds those paths in the handler's own source and makes a ReadPlan of
// them (readplan.go), so that the decoder builds only what the handler can
// observe, as it does for a compiled policy:
//
//   - the value a path reads (its last member) is built whole: it can be
//     used in any way;
//   - an object a path only walks through is observed through the members
//     paths name, and is built with those alone;
//   - a method called on a path, event.user.app_metadata.hasOwnProperty(k),
//     receives the object before it as `this`, which is then built whole;
//   - any other use of the event parameter (passed to a function, spread,
//     destructured, returned, assigned, read with a computed key, or a
//     name that shadows it) means the whole event, and so does `arguments`,
//     `eval` or `with` anywhere in the handler.
//
// Nothing outside the handler can reach the event except through a value
// the handler hands out, which then is built whole, so a partial object is
// observable only through the members the plan gives it. The one other
// way to observe an object, an accessor a script defines on
// Object.prototype that a read of a missing member runs with the object as
// `this`, is watched for after every login (ProtoWatch).
//
// HandlerPlan returns nil (the whole event) when a source is not a
// function whose first parameter is a plain name, or uses the event in a
// way the rules above do not cover. extra are paths the simulator itself
// reads or writes on the event (its api methods, the glue of bundled
// Actions).
func HandlerPlan(sources []string, extra []string) *ReadPlan {
	root := &ReadPlan{Keys: map[string]*ReadPlan{}}
	for _, src := range sources {
		fn := parseFunction(src)
		if fn == nil {
			return nil
		}
		leaves, tests, ok := eventPaths(fn)
		if !ok {
			return nil
		}
		for _, p := range leaves {
			root.add(p, true)
		}
		for _, p := range tests {
			root.add(p, false)
		}
	}
	for _, p := range extra {
		root.add(strings.Split(p, "."), true)
	}
	if root.Whole {
		return nil
	}
	return root
}

// add adds a path whose value is built whole (leaf) or only as far as
// other paths reach; a leaf of no members is the whole event.
func (p *ReadPlan) add(path []string, leaf bool) {
	node := p
	for _, seg := range path {
		if node.Whole {
			return
		}
		next := node.Keys[seg]
		if next == nil {
			next = &ReadPlan{Keys: map[string]*ReadPlan{}}
			node.Keys[seg] = next
		}
		node = next
	}
	if leaf {
		node.Whole = true
		node.Keys = nil
	}
}

// parseFunction parses the source text Function.prototype.toString gives
// for a function: an expression (function, arrow, async either) or a
// method of an object literal ("async onExecutePostLogin(event, api)
// {...}"). It returns the function's parameters and body as one node.
func parseFunction(src string) *handlerFunc {
	if prg, err := parser.ParseFile(nil, "", "("+src+"\n)", 0); err == nil && len(prg.Body) == 1 {
		if st, ok := prg.Body[0].(*ast.ExpressionStatement); ok {
			switch f := st.Expression.(type) {
			case *ast.FunctionLiteral:
				return &handlerFunc{params: f.ParameterList, node: f}
			case *ast.ArrowFunctionLiteral:
				return &handlerFunc{params: f.ParameterList, node: f}
			}
		}
		return nil
	}
	prg, err := parser.ParseFile(nil, "", "({"+src+"\n})", 0)
	if err != nil || len(prg.Body) != 1 {
		return nil
	}
	st, ok := prg.Body[0].(*ast.ExpressionStatement)
	if !ok {
		return nil
	}
	obj, ok := st.Expression.(*ast.ObjectLiteral)
	if !ok || len(obj.Value) != 1 {
		return nil
	}
	prop, ok := obj.Value[0].(*ast.PropertyKeyed)
	if !ok || prop.Kind != ast.PropertyKindMethod {
		return nil
	}
	f, ok := prop.Value.(*ast.FunctionLiteral)
	if !ok {
		return nil
	}
	return &handlerFunc{params: f.ParameterList, node: f}
}

type handlerFunc struct {
	params *ast.ParameterList
	node   ast.Node
}

// eventPaths returns the member paths the function reads from its first
// parameter, as leaves and tests (pathWalk), or false when it uses the
// parameter in any other way.
func eventPaths(fn *handlerFunc) (leaves, tests [][]string, ok bool) {
	if fn.params == nil || len(fn.params.List) == 0 {
		return nil, nil, true // the event is not even named
	}
	param, isName := fn.params.List[0].Target.(*ast.Identifier)
	if !isName {
		return nil, nil, false // destructured
	}
	w := &pathWalk{name: string(param.Name), param: param, seen: map[uintptr]bool{}}
	w.findAliases(fn.node)
	w.visit(fn.node, false)
	return w.leaves, w.tests, !w.whole
}

// findAliases finds the constants that stand for a path: const geo =
// (event.request && event.request.geoip) || {}, the usual way to read a
// part of the event that may be absent. The constant's value is the
// path's value, or a value that is not the event's (an empty literal, or
// the falsy left side of &&, which is not an object and so is built
// whole): its uses are the path's uses. A name declared as such a
// constant more than once is no alias.
func (w *pathWalk) findAliases(root ast.Node) {
	var decls []*ast.Binding
	count := map[string]int{}
	eachNode(reflect.ValueOf(root), map[uintptr]bool{}, func(n any) {
		d, ok := n.(*ast.LexicalDeclaration)
		if !ok || d.Token != token.CONST {
			return
		}
		for _, b := range d.List {
			if id, ok := b.Target.(*ast.Identifier); ok && b.Initializer != nil {
				decls = append(decls, b)
				count[string(id.Name)]++
			}
		}
	})
	w.aliases = map[string][]string{}
	w.aliasDecl = map[*ast.Binding]bool{}
	for _, b := range decls {
		name := string(b.Target.(*ast.Identifier).Name)
		if count[name] != 1 || name == w.name || name == "arguments" || name == "eval" {
			continue
		}
		if p, ok := w.source(b.Initializer); ok {
			w.aliases[name] = p
			w.aliasDecl[b] = true
		}
	}
}

// source returns the path whose value e has, if it has no other value
// from the event.
func (w *pathWalk) source(e ast.Expression) ([]string, bool) {
	if p, ok := w.path(e); ok {
		return p, true
	}
	b, ok := e.(*ast.BinaryExpression)
	if !ok {
		return nil, false
	}
	switch b.Operator {
	case token.LOGICAL_AND:
		return w.source(b.Right)
	case token.LOGICAL_OR, token.COALESCE:
		if fallback(b.Right) {
			return w.source(b.Left)
		}
	}
	return nil, false
}

// fallback reports whether e is a literal that holds nothing of the
// event: an empty object or array, a string, number, boolean, null or
// undefined.
func fallback(e ast.Expression) bool {
	switch x := e.(type) {
	case *ast.ObjectLiteral:
		return len(x.Value) == 0
	case *ast.ArrayLiteral:
		return len(x.Value) == 0
	case *ast.StringLiteral, *ast.NumberLiteral, *ast.BooleanLiteral, *ast.NullLiteral:
		return true
	case *ast.Identifier:
		return x.Name == "undefined"
	}
	return false
}

// eachNode calls fn for every node under v, parents first.
func eachNode(v reflect.Value, seen map[uintptr]bool, fn func(any)) {
	switch v.Kind() {
	case reflect.Interface:
		if !v.IsNil() {
			eachNode(v.Elem(), seen, fn)
		}
	case reflect.Pointer:
		if v.IsNil() || seen[v.Pointer()] {
			return
		}
		seen[v.Pointer()] = true
		fn(v.Interface())
		eachNode(v.Elem(), seen, fn)
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			eachNode(v.Field(i), seen, fn)
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			eachNode(v.Index(i), seen, fn)
		}
	}
}

// pathWalk visits every node of a function, recording the paths read from
// the parameter called name: leaves, whose values are built whole, and
// tests, whose objects are built with the members other paths name. A
// path is a test where its value is observed only by truthiness, type or
// identity (if (P), P && …, !P, typeof P, P === Q, P == null, a discarded
// result): none of those reads a member of an object, and any value that
// is not an object is built whole wherever it is planned.
type pathWalk struct {
	name   string
	param  *ast.Identifier
	leaves [][]string
	tests  [][]string
	whole  bool
	seen   map[uintptr]bool
	// aliases are the constants that stand for a path (findAliases),
	// declared by the bindings in aliasDecl.
	aliases   map[string][]string
	aliasDecl map[*ast.Binding]bool
}

var (
	exprType       = reflect.TypeOf((*ast.Expression)(nil)).Elem()
	identifierType = reflect.TypeOf(ast.Identifier{})
	withType       = reflect.TypeOf(ast.WithStatement{})
	shortType      = reflect.TypeOf(ast.PropertyShort{})
)

// walk visits v; test says that v, an expression, is in a test position.
func (w *pathWalk) walk(v reflect.Value, test bool) {
	if w.whole || !v.IsValid() {
		return
	}
	switch v.Kind() {
	case reflect.Interface:
		if !v.IsNil() {
			w.walk(v.Elem(), test)
		}
		return
	case reflect.Pointer:
		if v.IsNil() || w.seen[v.Pointer()] {
			return
		}
		w.seen[v.Pointer()] = true
		if v.Type().Implements(exprType) && w.expression(v.Interface().(ast.Expression), test) {
			return
		}
		if w.statement(v.Interface()) {
			return
		}
		w.walk(v.Elem(), false)
	case reflect.Struct:
		switch {
		case v.Type() == withType:
			w.whole = true
			return
		case v.Type() == identifierType:
			// A member's name (a.event) or a label; a reference is an
			// *ast.Identifier expression, except in {event} (below).
			return
		case v.Type() == shortType && v.FieldByName("Name").FieldByName("Name").String() == w.name:
			w.whole = true
			return
		}
		for i := 0; i < v.NumField(); i++ {
			w.walk(v.Field(i), false)
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			w.walk(v.Index(i), false)
		}
	}
}

func (w *pathWalk) visit(n any, test bool) { w.walk(reflect.ValueOf(n), test) }

// statement visits the statements whose parts are in test positions; it
// reports whether it has dealt with n.
func (w *pathWalk) statement(n any) bool {
	switch s := n.(type) {
	case *ast.ExpressionStatement:
		w.visit(s.Expression, true)
	case *ast.IfStatement:
		w.visit(s.Test, true)
		w.visit(s.Consequent, false)
		w.visit(s.Alternate, false)
	case *ast.WhileStatement:
		w.visit(s.Test, true)
		w.visit(s.Body, false)
	case *ast.DoWhileStatement:
		w.visit(s.Test, true)
		w.visit(s.Body, false)
	case *ast.ForStatement:
		w.visit(s.Initializer, false)
		w.visit(s.Test, true)
		w.visit(s.Update, true)
		w.visit(s.Body, false)
	default:
		return false
	}
	return true
}

// expression handles the expressions that involve the parameter or put
// their parts in test positions; it reports whether it has dealt with e
// (and its parts) entirely.
func (w *pathWalk) expression(e ast.Expression, test bool) bool {
	switch e := e.(type) {
	case *ast.Identifier:
		switch {
		case e == w.param:
			return true
		case e.Name == "arguments", e.Name == "eval":
			w.whole = true
			return true
		}
		if _, ok := w.path(e); !ok {
			return true // another name
		}
	case *ast.Binding:
		if w.aliasDecl[e] {
			// The constant's value is observed through its uses.
			w.visit(e.Initializer, true)
			return true
		}
	case *ast.CallExpression:
		// A method called on a path gets the object before it as this.
		if path, ok := w.path(e.Callee); ok {
			if len(path) < 2 {
				w.whole = true
				return true
			}
			w.leaves = append(w.leaves, path[:len(path)-1])
			w.visit(e.ArgumentList, false)
			return true
		}
	case *ast.TemplateLiteral:
		if e.Tag == nil {
			break
		}
		if path, ok := w.path(e.Tag); ok {
			if len(path) < 2 {
				w.whole = true
				return true
			}
			w.leaves = append(w.leaves, path[:len(path)-1])
			w.visit(e.Expressions, false)
			return true
		}
	case *ast.BinaryExpression:
		switch e.Operator {
		case token.LOGICAL_AND:
			w.visit(e.Left, true)
			w.visit(e.Right, test)
			return true
		case token.LOGICAL_OR, token.COALESCE:
			w.visit(e.Left, test)
			w.visit(e.Right, test)
			return true
		case token.STRICT_EQUAL, token.STRICT_NOT_EQUAL:
			w.visit(e.Left, true)
			w.visit(e.Right, true)
			return true
		case token.EQUAL, token.NOT_EQUAL:
			// Loose equality converts an object to a primitive, through
			// its members, unless the other side is null or undefined.
			if nullish(e.Left) || nullish(e.Right) {
				w.visit(e.Left, true)
				w.visit(e.Right, true)
				return true
			}
		}
	case *ast.UnaryExpression:
		switch e.Operator {
		case token.NOT, token.TYPEOF, token.VOID:
			w.visit(e.Operand, true)
			return true
		}
	case *ast.ConditionalExpression:
		w.visit(e.Test, true)
		w.visit(e.Consequent, test)
		w.visit(e.Alternate, test)
		return true
	case *ast.SequenceExpression:
		for i, x := range e.Sequence {
			w.visit(x, test || i < len(e.Sequence)-1)
		}
		return true
	}
	if path, ok := w.path(e); ok {
		switch {
		case test:
			w.tests = append(w.tests, path)
		case len(path) == 0:
			w.whole = true
		default:
			w.leaves = append(w.leaves, path)
		}
		return true
	}
	return false
}

// nullish reports whether e is the literal null or undefined.
func nullish(e ast.Expression) bool {
	switch x := e.(type) {
	case *ast.NullLiteral:
		return true
	case *ast.Identifier:
		return x.Name == "undefined"
	}
	return false
}

// path returns the members e reads from the parameter, when e is the
// parameter followed by members of fixed names (a.b, a?.b, a["b"]).
func (w *pathWalk) path(e ast.Expression) ([]string, bool) {
	switch x := e.(type) {
	case *ast.Identifier:
		if p, ok := w.aliases[string(x.Name)]; ok {
			return p[:len(p):len(p)], true
		}
		return nil, string(x.Name) == w.name
	case *ast.DotExpression:
		p, ok := w.path(x.Left)
		if !ok {
			return nil, false
		}
		return append(p[:len(p):len(p)], string(x.Identifier.Name)), true
	case *ast.BracketExpression:
		key, isString := x.Member.(*ast.StringLiteral)
		if !isString {
			return nil, false
		}
		p, ok := w.path(x.Left)
		if !ok {
			return nil, false
		}
		return append(p[:len(p):len(p)], string(key.Value)), true
	case *ast.Optional:
		return w.path(x.Expression)
	case *ast.OptionalChain:
		return w.path(x.Expression)
	}
	return nil, false
}

// ProtoWatch holds what the runner needs to read a function's source and
// to watch Object.prototype, captured before the Action runs so that
// nothing it redefines can mislead them. Two things there matter to the
// decoder: an accessor whose name the plan reads on a partially built
// object (then the plan is dropped), and any accessor or read-only
// property, through which assigning a member would differ from defining
// it as JSON.parse does (then the decoder defines every member). Looking
// at every descriptor after every login would cost more than the plan
// saves, so the watch counts Object.prototype's own properties (a new
// accessor is a new property) and looks at descriptors only when the
// count has changed, or every time once a name the plan reads is a
// property of Object.prototype (which could become an accessor in place).
type ProtoWatch struct {
	vm       *goja.Runtime
	proto    *goja.Object
	toString goja.Callable
	inspect  goja.Callable
	names    map[*ReadPlan]goja.Value
	// count is the number of Object.prototype's own properties when its
	// descriptors were last looked at; shadowed that a name the plan reads
	// was one of them.
	count    int
	shadowed bool
}

// What ProtoWatch.inspect finds on Object.prototype.
const (
	ProtoShadows  = 1 << iota // a name the plan reads is a property
	ProtoAccessor             // a name the plan reads is an accessor
	ProtoUnusual              // some property is an accessor or read-only
)

func NewProtoWatch(vm *goja.Runtime) *ProtoWatch {
	v, err := vm.RunString(`(function (apply, toString, gopd, ownKeys, P) {
  const proto = gopd(P, "__proto__");
  const builtin = (k, d) => k === "__proto__" && proto !== undefined && d.get === proto.get && d.set === proto.set;
  const accessor = (d) => d.get !== undefined || d.set !== undefined;
  return [
    function (f) { return apply(toString, f, []); },
    function (names) {
      let found = 0;
      for (let i = 0; i < names.length; i++) {
        const d = gopd(P, names[i]);
        if (d === undefined) continue;
        found |= 1;
        if (accessor(d) && !builtin(names[i], d)) found |= 2;
      }
      const keys = ownKeys(P);
      for (let i = 0; i < keys.length; i++) {
        const d = gopd(P, keys[i]);
        if ((accessor(d) && !builtin(keys[i], d)) || d.writable === false) found |= 4;
      }
      return found;
    },
    P,
  ];
})(Reflect.apply, Function.prototype.toString, Object.getOwnPropertyDescriptor, Reflect.ownKeys, Object.prototype)`)
	if err != nil {
		panic(err) // a fresh runtime has every built-in named
	}
	fns := v.ToObject(vm)
	w := &ProtoWatch{vm: vm, names: map[*ReadPlan]goja.Value{}}
	w.toString, _ = goja.AssertFunction(fns.Get("0"))
	w.inspect, _ = goja.AssertFunction(fns.Get("1"))
	w.proto = fns.Get("2").ToObject(vm)
	w.count = len(w.proto.GetOwnPropertyNames())
	return w
}

// Source is the Source text of a function.
func (w *ProtoWatch) Source(fn goja.Value) (string, error) {
	v, err := w.toString(goja.Undefined(), fn)
	if err != nil {
		return "", err
	}
	return v.String(), nil
}

// Look returns what inspect finds for plan (nil: none), or false when
// nothing can have changed since the last Look.
func (w *ProtoWatch) Look(plan *ReadPlan) (int64, bool) {
	n := len(w.proto.GetOwnPropertyNames())
	if n == w.count && !w.shadowed {
		return 0, false
	}
	names, ok := w.names[plan]
	if !ok {
		var list []any
		if plan != nil {
			seen := map[string]bool{}
			var walk func(p *ReadPlan)
			walk = func(p *ReadPlan) {
				for k, sub := range p.Keys {
					if !seen[k] {
						seen[k] = true
						list = append(list, k)
					}
					if !sub.Whole {
						walk(sub)
					}
				}
			}
			walk(plan)
		}
		names = w.vm.NewArray(list...)
		w.names[plan] = names
	}
	v, err := w.inspect(goja.Undefined(), names)
	if err != nil {
		return ProtoAccessor | ProtoUnusual, true
	}
	found := v.ToInteger()
	w.count, w.shadowed = n, found&ProtoShadows != 0
	return found, true
}
