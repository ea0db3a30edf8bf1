package compile

import (
	"math"
	"math/rand"
	"strconv"
	"testing"
)

// TestTwoVarComprehensionsAgreeWithCEL runs cel-go's two-variable macros
// (all, exists, existsOne, transformList, transformMap, transformMapEntry)
// over lists and maps, with errors in predicates and transforms, through
// cel-go, goja and Node.js.
func TestTwoVarComprehensionsAgreeWithCEL(t *testing.T) {
	exprs := []string{
		"[1, 2, 3].all(i, v, i < v)", "[1, 2, 3].exists(i, v, i == 1 && v == 2)", "[1, 2, 3].existsOne(i, v, v > i + 1)",
		"[1, 2, 0].all(i, v, 10 / v > i)", "[1, 2, 0].exists(i, v, 10 / v > 5 || i == 2)", "[0, 2].exists(i, v, 10 / v > 5)",
		"[1, 2, 0].exists_one(i, v, 10 / v > i)", "['a', 'b'].transformList(i, v, v + string(i))",
		"['a', 'b', 'c'].transformList(i, v, i % 2 == 0, v)", "['a', 'b', 'c'].transformList(i, v, i % 2 == 0, i)",
		"[1, 0].transformList(i, v, 10 / v)", "[1, 0].transformList(i, v, 10 / v > 1, v)",
		"{'a': 1, 'b': 2}.all(k, v, k != 'c' && v > 0)", "{'a': 1, 'b': 2}.exists(k, v, k == 'b' && v == 2)",
		"{'a': 1, 'b': 2}.existsOne(k, v, v >= 1)", "{'a': 1, 'b': 2}.transformMap(k, v, v * 10) == {'a': 10, 'b': 20}",
		"{'a': 1, 'b': 2}.transformMap(k, v, v > 1, k + 'x') == {'b': 'bx'}",
		"{'a': 1, 'b': 0}.transformMap(k, v, 10 / v)", "{'a': 1, 'b': 2}.transformMapEntry(k, v, {k + k: v}) == {'aa': 1, 'bb': 2}",
		"{'a': 1, 'b': 2}.transformMapEntry(k, v, {'same': v})", "{'a': 1, 'b': 2}.transformMapEntry(k, v, v == 2, {k: v}) == {'b': 2}",
		"{'a': 1}.transformMapEntry(k, v, {k: v, k + '2': v}) == {'a': 1, 'a2': 1}",
		"dyn(d).exists(k, v, v == 2)", "dyn(d).all(k, v, k != 'x')", "d.transformList(k, v, [k, v]).size()",
		"[[1, 2], [3]].all(i, l, l.all(j, x, x > i + j))", "[1, 2].exists(i, v, [3].exists(j, w, v + w == 5 && i == 1))",
		"s.size() > 0 && ['x', s].exists(i, v, v == s && i == 1)",
	}
	var cases []diffCase
	for _, d := range []any{[]any{1.0, 2.0}, map[string]any{"x": 2.0, "y": "z"}, map[string]any{}, "str", nil} {
		for _, s := range []string{"", "x"} {
			for _, e := range exprs {
				cases = append(cases, diffCase{expr: e, vars: map[string]any{"s": s, "t": "", "d": d}})
			}
		}
	}
	checkAgainstCEL(t, cases)
	t.Logf("%d two-variable comprehension cases", len(cases))
}

// TestMapKeysAgreeWithCEL runs maps with int, uint and bool keys (CelMap
// in the runtime) through cel-go, goja and Node.js: lookups across numeric
// types, membership, size, equality with other maps, repeated keys,
// iteration and the macros.
func TestMapKeysAgreeWithCEL(t *testing.T) {
	exprs := []string{
		"{1: 'a', 2: 'b'}[1] == 'a'", "dyn({1: 'a'})[1u] == 'a'", "dyn({1u: 'a'})[1] == 'a'", "{1: 'a'}[dyn(1.0)] == 'a'",
		"{1: 'a'}[dyn(1.5)] == 'a'", "{1: 'a'}[2] == 'a'", "{true: 1, false: 0}[true] == 1", "1 in {1: 'a'}",
		"dyn(1.0) in {1: 'a'}", "dyn(1u) in {1: 'a'}", "'1' in dyn({1: 'a'})", "size({1: 'a', 2: 'b'}) == 2",
		"{1: 'a', 2: 'b'} == {2: 'b', 1: 'a'}", "dyn({1: 'a'}) == dyn({1u: 'a'})", "dyn({1: 'a'}) == dyn({'1': 'a'})",
		"dyn({1: 'a'}) == dyn({1: 'b'})", "{1: 'a', 1: 'b'}.size() == 1", "dyn({1: 'a', dyn(1.0): 'b', dyn(null): 'c'}).size() == 3", "{1: 'a', dyn(1.0): 'b'}[1.0] == 'b'", "dyn({1: 'a', dyn(1u): 'b'}).size() == 1",
		"{1: 'a', 2: 'b'}.all(k, k > 0)", "{1: 'a', 2: 'b'}.exists(k, v, k == 2 && v == 'b')",
		"{1: 'a', 2: 'b'}.map(k, k * 2).size() == 2", "{1: 'a', 2: 'b'}.filter(k, k > 1) == [2]",
		"{1: 'a', 2: 'b'}.transformList(k, v, v + string(k)).size() == 2", "{-1: 'a'}[-1] == 'a'",
		"{1: {2: 'x'}}[1][2] == 'x'", "{true: 'y'}[d] == 'y'", "d in {true: 1}", "{1: 2}[d]",
		"{'a': 1, d: 2}.size() == 2", "[{1: 'a'}] == [{1: 'a'}]", "{1: 'a'} in [{1: 'a'}]",
	}
	var cases []diffCase
	for _, d := range []any{true, 1.0, "a", nil} {
		for _, e := range exprs {
			cases = append(cases, diffCase{expr: e, vars: map[string]any{"s": "", "t": "", "d": d}})
		}
	}
	checkAgainstCEL(t, cases)
}

// TestBytesAgreeWithCEL runs bytes through cel-go, goja and Node.js:
// literals with every escape, UTF-8 both ways (invalid sequences,
// overlong forms, surrogates, the largest code point), +, size, ordering
// and equality.
func TestBytesAgreeWithCEL(t *testing.T) {
	exprs := []string{
		"bytes(s)", "string(bytes(s))", "size(bytes(s))", "bytes(s).size()", "bytes(s) + b'\\x00\\xff'",
		"bytes(s) < bytes(t)", "bytes(s) <= bytes(t)", "bytes(s) > bytes(t)", "bytes(s) >= bytes(t)",
		"bytes(s) == bytes(t)", "bytes(s) in [b'', b'a', b'\\xc3\\xa9']", "string(b'\\xc3\\xa9')", "string(b'\\xc3')",
		"string(b'\\xc0\\x80')", "string(b'\\xed\\xa0\\x80')", "string(b'\\xf4\\x8f\\xbf\\xbf')", "string(b'\\xf4\\x90\\x80\\x80')",
		"string(b'\\xe2\\x82')", "string(b'a\\x80b')", "b'\\377\\000' == b'\\xff\\x00'", "b'é' == bytes('é')",
		"dyn(b'ab') + dyn(b'c') == b'abc'", "size(dyn(b'abc')) == 3", "dyn(b'a') < dyn(b'b')", "dyn(b'a') == dyn('a')",
		"[b'x'] == [b'x']", "{'k': b'v'}['k'] == b'v'", "bytes(bytes(s)) == bytes(s)",
		// type() of every kind of value, and type denotations
		"[type(s), type(1), type(1u), type(1.5), type(true), type(null), type(bytes(s)), type([s]), type({s: 1}), type({1: s})] == [string, int, uint, double, bool, null_type, bytes, list, map, map]",
		"type(type(s)) == type && type(dyn(s)) == string && type(d) == null_type && type(int) == type",
		"type(timestamp('2020-01-01T00:00:00Z')) == google.protobuf.Timestamp && type(duration('1s')) == google.protobuf.Duration",
		"type(1) == type(1u)", "dyn(type(1)) == dyn(1)", "[int, uint] == [int, uint]", "type in [int, type]",
	}
	strs := []string{"", "a", "é", "😀", "\u2028", "ab", "a\x00b", "\uffff", "z", "\u00ff"}
	var cases []diffCase
	for _, s := range strs {
		for _, u := range strs[:4] {
			for _, e := range exprs {
				cases = append(cases, diffCase{expr: e, vars: map[string]any{"s": s, "t": u, "d": nil}})
			}
		}
	}
	checkAgainstCEL(t, cases)
}

// TestDoubleToStringAgreesWithCEL formats doubles of every magnitude
// (random bit patterns, powers of ten at the switch to exponent form,
// subnormals, signed zeros, infinities, NaN) as cel-go's string(double)
// does, in goja and Node.js.
func TestDoubleToStringAgreesWithCEL(t *testing.T) {
	r := rand.New(rand.NewSource(5))
	vals := []float64{0, math.Copysign(0, -1), math.Inf(1), math.Inf(-1), math.NaN(), 5e-324, math.MaxFloat64,
		1e-5, 1e-4, 0.00012345, 1e5, 999999, 1e6, 123456.7, 1234567, 1e20, 1e21, 1e22, 0.1, 0.3, 1.0 / 3, 100, -4.5e-3}
	for range 3000 {
		vals = append(vals, math.Float64frombits(r.Uint64()))
		vals = append(vals, (r.Float64()-0.5)*math.Pow(10, float64(r.Intn(30)-15)))
	}
	var cases []diffCase
	for _, v := range vals {
		lit := strconv.FormatFloat(v, 'e', -1, 64)
		switch {
		case math.IsNaN(v):
			lit = "(0.0 / 0.0)"
		case math.IsInf(v, 0):
			lit = "(" + strconv.FormatFloat(math.Copysign(1, v), 'f', 1, 64) + " / 0.0)"
		case v == 0 && math.Signbit(v):
			lit = "-0.0"
		}
		cases = append(cases, diffCase{expr: "string(" + lit + ")", vars: map[string]any{"s": "", "t": "", "d": nil}})
	}
	checkAgainstCEL(t, cases)
}
