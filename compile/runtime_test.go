package compile

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"
)

func exprCases(exprs ...string) []diffCase {
	out := make([]diffCase, len(exprs))
	for i, e := range exprs {
		out[i] = diffCase{expr: e, vars: map[string]any{"s": "", "t": "", "d": nil}}
	}
	return out
}

func TestOperatorsAgreeWithCEL(t *testing.T) {
	checkAgainstCEL(t, exprCases(
		"1 + 2", "9223372036854775807 + 1", "-9223372036854775808 - 1", "-(-9223372036854775808)",
		"9223372036854775807 * 2", "7 / 2", "-7 / 2", "7 % -3", "-7 % 3", "1 / 0", "1 % 0",
		"-9223372036854775808 / -1", "-9223372036854775808 % -1",
		"1u + 2u", "0u - 1u", "18446744073709551615u + 1u", "18446744073709551615u * 2u", "7u / 0u", "7u % 0u", "7u % 2u",
		"1.5 + 2.25", "1.0 / 0.0", "-1.0 / 0.0", "0.0 / 0.0", "-(0.0)", "0.1 + 0.2",
		"1 < 2", "2 <= 2", "3 > 2.5", "9007199254740993 > 9007199254740992.0", "1 < 1u", "-1 < 1u",
		"18446744073709551615u > 9223372036854775807", "1.0 < 2u", "-1.0 < 0u", "0.0/0.0 < 1", "0.0/0.0 >= 1.0",
		"'a' < 'b'", "'\\uffff' < '\\U00010000'", "'\\U00010000' < '\\uffff'", "'ab' < 'a'", "false < true", "true >= true",
		"dyn(1) == 1.0", "dyn(1u) == 1", "dyn(1.5) == 1", "dyn(0.0/0.0) == dyn(0.0/0.0)", "[1, 2] == [1, 2]",
		"[dyn(1), 2.0] == [1u, dyn(2)]", "{'a': 1} == {'a': 1}", "{'a': 1} != {'a': 2}", "{'a': [1]} == {'a': [dyn(1.0)]}",
		"null == null", "dyn(null) == 1", "'a' == 'a'", "dyn('1') == 1",
		"size('héllo')", "size('\\U0001F600')", "size([1, 2, 3])", "size({'a': 1})", "'abc'.size()",
		"2 in [1, 2]", "dyn(2.0) in [1, 2]", "'a' in {'a': 1}", "'b' in {'a': 1}", "'__proto__' in {'a': 1}",
		"'constructor' in {'a': 1}", "{'__proto__': 1}['__proto__']", "{'a': 1}['b']", "[1, 2][2]", "[1, 2][-1]", "[1, 2][1]",
		"'hello'.contains('ell')", "'hello'.startsWith('he')", "'hello'.endsWith('lo')", "''.contains('')",
		"int('42')", "int('-9223372036854775808')", "int('9223372036854775808')", "int('+5')", "int(' 5')", "int('0x10')",
		"uint('5')", "uint('+5')", "uint('-1')", "int(2.9)", "int(-2.9)", "int(9223372036854775807.0)", "int(-9223372036854775808.0)",
		"uint(-1)", "uint(1.5)", "uint(-0.5)", "uint(18446744073709551615.0)", "int(18446744073709551615u)", "double(5)", "double(5u)",
		"double(9007199254740993)", "string(5)", "string(-5)", "string(5u)", "string(true)", "bool('t')", "bool('TRUE')", "bool('yes')",
		"true || 1/0 == 1", "1/0 == 1 || true", "1/0 == 1 || false", "false && 1/0 == 1", "1/0 == 1 && false", "1/0 == 1 && true",
		"!true", "true ? 1 : 1/0", "false ? 1/0 : 2", "1/0 == 1 ? 1 : 2",
		"[1, 2, 3].exists(x, x > 2)", "[1, 2, 3].all(x, x > 0)", "[0, 1].exists(x, 1/x == 1)", "[0, 1].all(x, 1/x == 1)",
		"[1, 0].all(x, 1/x == 5)", "[1, 2].exists_one(x, x > 1)", "[0, 2].exists_one(x, 1/x > 1)", "[1, 2].map(x, x * 2)",
		"[1, 2, 3].filter(x, x % 2 == 1)", "[1, 2, 3].map(x, x > 1, x * 10)", "{'a': 1, 'b': 2}.exists(k, k == 'b')",
		"{'a': 1}.map(k, k)", "[[1], [2, 3]].exists(l, l.exists(x, x == 3))", "[1, 2] + [3]", "'ab' + 'cd'",
		"dyn(1) + 2", "dyn(1.5) + 2.0", "dyn('a') + 'b'", "dyn(1) + 2.0", "dyn([1]) + [2]", "-dyn(5)", "dyn(5) % 2",
		"dyn(2) < 3", "dyn('a') < 'b'", "dyn(1.5) < 2", "dyn(true) < 1", "size(dyn('ab'))", "dyn({'a': 1}).a", "dyn({'a': 1}).b",
		"has({'a': 1}.a)", "has({'a': 1}.b)", "has(dyn({'a': null}).a)", "!dyn(true)", "dyn(1) ? 1 : 2",
		"[1, 2, 3][dyn(1.0)]", "[1, 2, 3][dyn(1u)]", "{'a': 1}[dyn('a')]",
		"'abc'.matches('b')", "'abc'.matches('^b')", "matches('ABC', '(?i)abc')", "'a\\nb'.matches('^b$')",
		"'x'.matches('.')", "'\\n'.matches('.')", "'\\n'.matches('(?s).')",
		"'\\U0001F600'.matches('^.$')", "'é'.matches('\\\\w')", "'K'.matches('(?i)\\u212a')", "'ſ'.matches('(?i)s')",
		"'日本'.matches('\\\\p{Han}+')", "'abc'.matches('a.c$')", "'abc\\n'.matches('c$')",
	))
}

// TestLiftedAgreeWithCEL covers the functions lifted out of a condition:
// macros nested in macros, reading the variables of the enclosing ones,
// and && and || whose values other expressions use, with errors that
// must be absorbed or must propagate.
func TestLiftedAgreeWithCEL(t *testing.T) {
	checkAgainstCEL(t, exprCases(
		"!(1/0 == 1 && false)", "!(1/0 == 1 || false)", "(true || 1/0 == 1) == true", "(1/0 == 1 && true) == false",
		"[true, false].map(x, x || 1/0 == 1)", "[false].map(x, x || 1/0 == 1)", "[1/0 == 1 || true, false && 1/0 == 1]",
		"(1/0 == 1 || true) ? 1 : 2", "true ? (false || 1/0 == 1) : true",
		"[1, 2].exists(x, [3, 4].all(y, x < y && y > 2))", "[1, 5].all(x, [3, 4].exists(y, x < y || 1/0 == 1))",
		"[0, 1].filter(x, x > 0 && 1/x == 1)", "[0, 1].filter(x, 1/x == 1 && x > 0)", "[1, 0].filter(x, x > 0 || 1/x == 1)",
		"[0, 1].exists_one(x, 1/x == 1 || x == 0)", "[1, 2].exists_one(x, x == 1 || 1/0 == 1)", "[2, 1].exists_one(x, x == 1 && x > 0)",
		"[0, 1].map(x, x > 0 && 1/x == 1, x)", "[0, 1].map(x, 1/x == 1 && x > 0, x)", "[1, 2].map(x, x > 1, x == 2 && true)",
		"[[0], [1]].map(l, l.exists(x, 1/x == 1 || x == 0) && true)", "[[0], [1]].exists(l, l.all(x, 1/x == 1))",
		"[[[1]]].exists(a, a.exists(b, b.exists(c, c == 1 && size(a) == 1 && size(b) == 1)))",
		"[[1, 2], [3]].all(a, a.exists(b, [b].exists(c, c == b && a.exists(d, d == c))))",
		"[1, 2].exists(x, (x == 1 && 1/0 == 1) || (x == 2 && true))", "[1, 2].all(x, (x == 1 || 1/0 == 1) && (x > 0 || false))",
		"[1, 0].exists(x, 1/x == 2) || [1].exists(x, x == 1)", "[0].exists(x, 1/x == 2) && [1].exists(x, x == 1)",
		"[0].exists(x, 1/x == 2) && [1].exists(x, x == 2)", "dyn([1, 'a']).exists(x, x == 'a')", "dyn([1, 'a']).all(x, x == 1)",
		"dyn(['a', 1]).exists(x, x)", "dyn([true, 1]).all(x, x)", "dyn([false, 1]).all(x, x)", "dyn([1]).filter(x, x)",
		"dyn([1]).exists_one(x, x)", "dyn([true, 1]).exists_one(x, x)", "dyn([1, true]).exists(x, x)",
		"dyn(1).exists(x, true)", "dyn({'a': 1, 'b': 2}).all(k, k != 'c')",
		"true && dyn('a')", "dyn('a') && false", "dyn('a') || true", "false || dyn('a')", "dyn(1) && dyn('a')",
		"(true && dyn('a')) || false", "false || (true && dyn('a'))", "(dyn('a') || false) && true",
	))
}

// TestStringSizeCountsCodePoints runs size_string in goja and Node.js on
// every string of up to three UTF-16 code units drawn from ASCII, a BMP
// letter and each kind of surrogate (pairs, lone ones, reversed pairs),
// and compares it with the count of runes Go decodes from those units,
// which is what cel-go sees (a lone surrogate becomes one U+FFFD).
func TestStringSizeCountsCodePoints(t *testing.T) {
	alphabet := []uint16{'a', 0xe9, 0xd83d, 0xde00, 0xd800, 0xdbff, 0xdc00, 0xdfff}
	strs := [][]uint16{{}, []uint16(utf16.Encode([]rune(strings.Repeat("héllo😀", 5))))}
	for _, a := range alphabet {
		strs = append(strs, []uint16{a})
		for _, b := range alphabet {
			strs = append(strs, []uint16{a, b})
			for _, c := range alphabet {
				strs = append(strs, []uint16{a, b, c})
			}
		}
	}
	code := mustBundle(t, "import { size_string } from \"mfapolicy:runtime\";\n"+
		"export function size(units) { return size_string(String.fromCharCode(...units)).toString(); }\n")
	calls := make([]jsCall, len(strs))
	for i, s := range strs {
		units := make([]any, len(s))
		for j, u := range s {
			units[j] = u
		}
		calls[i] = jsCall{Fn: "size", Args: []any{units}}
	}
	got := runBoth(t, code, calls)
	for i, s := range strs {
		if want := fmt.Sprintf("%q", strconv.Itoa(len(utf16.Decode(s)))); got[i].String() != want {
			t.Errorf("size_string of %x: %s, want %s", s, got[i], want)
		}
	}
}

// TestConstantListMembershipAgreesWithCEL covers x in L for a list L of
// constants, which the translator writes as L.includes(x) when x is a
// string or a bool: equal and unequal strings, the empty string, bools,
// and operands that are not strings or bools, which keep rt.in_list.
func TestConstantListMembershipAgreesWithCEL(t *testing.T) {
	exprs := []string{
		"s in ['', 'a']", "s in ['b']", "s + 'x' in ['ax', 'x']", "(s == '') in [false]", "(s == 'a') in [true, false]",
		"s in ['a', 'A', 'é', '\\U0001F600']", "dyn(s) in ['a']", "1 in [1, 2]", "1.0 in [dyn(1)]",
	}
	var cases []diffCase
	for _, s := range []string{"", "a", "A", "b", "é", "😀"} {
		for _, e := range exprs {
			cases = append(cases, diffCase{expr: e, vars: map[string]any{"s": s, "t": "", "d": nil}})
		}
	}
	checkAgainstCEL(t, cases)
}
