package compile

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"
)

// timestampStrings generates timestamp texts around the edges of what
// cel-go's timestamp() accepts: the whole range of years, fractions of 0 to
// 12 digits, offsets, and near misses (lower-case t and z, a leap second,
// days that do not exist, a comma, out-of-range offsets).
func timestampStrings(r *rand.Rand, n int) []string {
	out := []string{
		"0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z", "0000-12-31T23:59:59Z",
		"0001-01-01T00:00:00+00:01", "9999-12-31T23:59:59-00:01", "1970-01-01T00:00:00Z",
		"1969-12-31T23:59:59.999999999Z", "2024-02-29T12:00:00Z", "2023-02-29T12:00:00Z",
		"2000-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2024-04-31T00:00:00Z", "2024-01-01t00:00:00Z",
		"2024-01-01T00:00:00z", "2024-06-30T23:59:60Z", "2024-01-01T00:00:00,5Z", "2024-01-01T00:00:00.Z",
		"2024-01-01T00:00:00+24:00", "2024-01-01T00:00:00+23:59", "2024-01-01T00:00:00-00:00",
		"2024-01-01T00:00:00+00:00", "2024-01-01T00:00:00.1234567891234Z", "2024-01-01 00:00:00Z",
		"2024-1-01T00:00:00Z", "+024-01-01T00:00:00Z", "2024-01-01T00:00:00", "", "2024-01-01T24:00:00Z",
		"2024-13-01T00:00:00Z", "2024-00-10T00:00:00Z", "2024-01-00T00:00:00Z", "2024-01-01T00:60:00Z",
	}
	for len(out) < n {
		y := r.Intn(10000)
		if r.Intn(3) == 0 {
			y = 1960 + r.Intn(100)
		}
		mo, d := 1+r.Intn(12), 1+r.Intn(31)
		var b strings.Builder
		fmt.Fprintf(&b, "%04d-%02d-%02dT%02d:%02d:%02d", y, mo, d, r.Intn(24), r.Intn(60), r.Intn(60))
		if r.Intn(2) == 0 {
			b.WriteByte('.')
			for range 1 + r.Intn(12) {
				b.WriteByte(byte('0' + r.Intn(10)))
			}
		}
		switch r.Intn(3) {
		case 0:
			b.WriteByte('Z')
		default:
			sign := "+-"[r.Intn(2)]
			fmt.Fprintf(&b, "%c%02d:%02d", sign, r.Intn(24), r.Intn(60))
		}
		out = append(out, b.String())
	}
	return out
}

// durationStrings generates texts around the edges of Go's
// time.ParseDuration: every unit, fractions, signs, several terms, the
// int64 limits and near misses.
func durationStrings(r *rand.Rand, n int) []string {
	out := []string{
		"0", "-0", "+0", "", "-", "+", "s", ".s", "1.s", ".5h", "1h1h", "1µs", "1μs", "1us", "1e3s",
		"9223372036s", "9223372037s", "2562047h47m16.854775807s", "2562047h47m16.854775808s",
		"-2562047h47m16.854775808s", "-2562047h47m16.854775809s", "9223372036854775807ns",
		"9223372036854775808ns", "-9223372036854775808ns", "0.000000001s", "0.0000000001s", "1.0000000001s",
		"3723s", "-90m", "1h30m", "1.5h", "12h", "1d", "1H", "1 s", "01s", "00000000000000000000001s",
		"0.99999999999999999999999h", "2562047.7880152155h", "2562048h", "-1ns", "1.123456789123456789s",
	}
	units := []string{"ns", "us", "µs", "ms", "s", "m", "h"}
	for len(out) < n {
		var b strings.Builder
		if r.Intn(3) == 0 {
			b.WriteByte("+-"[r.Intn(2)])
		}
		for range 1 + r.Intn(3) {
			switch r.Intn(4) {
			case 0:
				fmt.Fprintf(&b, "%d", r.Int63n(1<<uint(1+r.Intn(62))))
			default:
				fmt.Fprintf(&b, "%d", r.Intn(1000))
			}
			if r.Intn(3) == 0 {
				b.WriteByte('.')
				for range r.Intn(12) {
					b.WriteByte(byte('0' + r.Intn(10)))
				}
			}
			b.WriteString(units[r.Intn(len(units))])
		}
		out = append(out, b.String())
	}
	return out
}

// TestTimeAgreesWithCEL runs timestamps and durations through cel-go,
// goja and Node.js: parsing, formatting, arithmetic with its overflow
// errors, ordering, equality and the getters in UTC and at fixed offsets.
func TestTimeAgreesWithCEL(t *testing.T) {
	getters := func(recv, arg string) string {
		var parts []string
		for _, g := range []string{"getFullYear", "getMonth", "getDayOfYear", "getDate", "getDayOfMonth",
			"getDayOfWeek", "getHours", "getMinutes", "getSeconds", "getMilliseconds"} {
			parts = append(parts, recv+"."+g+"("+arg+")")
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	exprs := []string{
		"string(timestamp(s))", "int(timestamp(s))", getters("timestamp(s)", ""),
		getters("timestamp(s)", "'+05:30'"), getters("timestamp(s)", "'-23:59'"), getters("timestamp(s)", "'UTC'"),
		getters("timestamp(s)", "'-00:30'"), getters("timestamp(s)", "'+1:05'"), getters("timestamp(s)", "''"),
		"string(duration(t))", "int(duration(t))",
		"[duration(t).getHours(), duration(t).getMinutes(), duration(t).getSeconds(), duration(t).getMilliseconds()]",
		"string(timestamp(s) + duration(t))", "string(duration(t) + timestamp(s))", "string(timestamp(s) - duration(t))",
		"string(timestamp(s) - timestamp('0001-01-01T00:00:00Z'))",
		"string(timestamp('9999-12-31T23:59:59.999999999Z') - timestamp(s))",
		"string(timestamp(s) - timestamp('1970-01-01T00:00:00.5+01:00'))",
		"string(duration(t) + duration(t))", "string(duration(t) - duration('-1.5s'))",
		"string(duration(t) - duration('2562047h'))",
		"[timestamp(s) < timestamp('2020-01-01T00:00:00Z'), timestamp(s) <= timestamp(s), timestamp(s) > timestamp('1970-01-01T00:00:00Z'), timestamp(s) >= timestamp('3000-01-01T00:00:00+01:00')]",
		"[duration(t) < duration('1h'), duration(t) <= duration(t), duration(t) > duration('-1ns'), duration(t) >= duration('0')]",
		"timestamp(s) == timestamp('2024-01-01T00:00:00Z')", "[timestamp(s)] == [timestamp(s)]",
		"duration(t) in [duration('1h'), duration('90m'), duration('0')]",
		"string(timestamp(int(timestamp(s))))", "string(timestamp(int(duration(t))))",
		"dyn(timestamp(s)) + dyn(duration(t)) == timestamp(s) + duration(t)",
		"dyn(duration(t)) - dyn(duration(t)) == duration('0')",
		"dyn(timestamp(s)) - dyn(timestamp('2000-01-01T00:00:00Z')) == timestamp(s) - timestamp('2000-01-01T00:00:00Z')",
		"-dyn(duration(t)) == duration('0') - duration(t)",
		"dyn(timestamp(s)) < dyn(timestamp('2000-01-01T00:00:00Z'))", "dyn(duration(t)) == duration('1h')",
		"dyn(timestamp(s)) == dyn(duration(t))", "{'a': timestamp(s)} == {'a': timestamp(s)}",
		"string(timestamp(s) + duration(t) - duration(t))",
	}
	r := rand.New(rand.NewSource(21))
	ts := timestampStrings(r, 300)
	ds := durationStrings(r, 600)
	var cases []diffCase
	for i := range ts {
		for _, e := range exprs {
			cases = append(cases, diffCase{expr: e, vars: map[string]any{"s": ts[i], "t": ds[r.Intn(len(ds))], "d": nil}})
		}
	}
	for _, d := range ds {
		cases = append(cases, diffCase{expr: "string(duration(t))", vars: map[string]any{"s": "", "t": d, "d": nil}})
	}
	checkAgainstCEL(t, cases)
	t.Logf("%d time cases", len(cases))
}

// timeCases put every timestamp and duration overload on event values in
// the operator table: $S holds a timestamp's text, $T a duration's.
func timeCases() []opCase {
	ts := "2024-03-10T06:30:15.250+01:00" // 2024-03-10T05:30:15.25Z, a Sunday
	return []opCase{
		c("timestamp($S) == timestamp('2024-03-10T05:30:15.25Z')", isTrue, "$S", ts),
		c("timestamp($S) == timestamp(timestamp($S))", isTrue, "$S", ts),
		c("timestamp($S) < timestamp('2024-01-01T00:00:00Z')", isError, "$S", "2024-02-30T00:00:00Z"),
		c("string(timestamp($S)) == $S", isTrue, "$S", "2024-03-10T06:30:15.25+01:00"),
		c("int(timestamp($S)) == 1710048615", isTrue, "$S", ts),
		c("timestamp($N) == timestamp('1970-01-01T00:00:03Z')", isTrue, "$N", 3),
		c("timestamp($N) > timestamp('1970-01-01T00:00:03Z')", isError, "$N", 253402300800),
		c("duration($T) == duration(duration('90m'))", isTrue, "$T", "1h30m"),
		c("string(duration($T)) == '-0.000000001s'", isTrue, "$T", "-1ns"),
		c("int(duration($T)) == 1500000000", isTrue, "$T", "1.5s"),
		c("duration($T) > duration('1h')", isError, "$T", "1d"),
		c("timestamp($S) + duration($T) == timestamp('2024-03-10T07:00:15.25Z')", isTrue, "$S", ts, "$T", "1.5h"),
		c("duration($T) + timestamp($S) > timestamp('9999-12-31T00:00:00Z')", isError, "$S", "9999-12-31T23:00:00Z", "$T", "2h"),
		c("duration($T) + duration($T) == duration('3h')", isTrue, "$T", "1.5h"),
		c("duration($T) + duration($T) > duration('0')", isError, "$T", "2562047h"),
		c("timestamp($S) - duration($T) < timestamp('0001-01-01T00:00:01Z')", isError, "$S", "0001-01-01T00:00:00Z", "$T", "1s"),
		c("timestamp($S) - timestamp('2024-03-10T00:00:00Z') == duration('5h30m15.25s')", isTrue, "$S", ts),
		c("timestamp($S) - timestamp('0001-01-01T00:00:00Z') > duration('1h')", isError, "$S", ts),
		c("duration($T) - duration('1h') == duration('30m')", isTrue, "$T", "90m"),
		c("timestamp($S) <= timestamp($S) && timestamp($S) >= timestamp($S)", isTrue, "$S", ts),
		c("timestamp($S) > timestamp('2030-01-01T00:00:00Z')", isFalse, "$S", ts),
		c("duration($T) < duration('1h') || duration($T) <= duration('1h')", isFalse, "$T", "2h"),
		c("duration($T) > duration('1h') && duration($T) >= duration('2h')", isTrue, "$T", "2h"),
		c("[duration($T).getHours(), duration($T).getMinutes(), duration($T).getSeconds(), duration($T).getMilliseconds()] == [1, 90, 5415, 5415250]",
			isTrue, "$T", "1h30m15.25s"),
		c("[timestamp($S).getFullYear(), timestamp($S).getMonth(), timestamp($S).getDayOfYear(), timestamp($S).getDate(), timestamp($S).getDayOfMonth()] == [2024, 2, 69, 10, 9]",
			isTrue, "$S", ts),
		c("[timestamp($S).getDayOfWeek(), timestamp($S).getHours(), timestamp($S).getMinutes(), timestamp($S).getSeconds(), timestamp($S).getMilliseconds()] == [0, 5, 30, 15, 250]",
			isTrue, "$S", ts),
		c("[timestamp($S).getFullYear('-06:00'), timestamp($S).getMonth('-06:00'), timestamp($S).getDayOfYear('-06:00'), timestamp($S).getDate('-06:00'), timestamp($S).getDayOfMonth('-06:00')] == [2024, 2, 68, 9, 8]",
			isTrue, "$S", ts),
		c("[timestamp($S).getDayOfWeek('-06:00'), timestamp($S).getHours('-06:00'), timestamp($S).getMinutes('+00:45'), timestamp($S).getSeconds('UTC'), timestamp($S).getMilliseconds('+01:00')] == [6, 23, 15, 15, 250]",
			isTrue, "$S", ts),
		c("now > timestamp($S)", isTrue, "$S", ts),
		// string(double) as Go's %g
		c("string($D) == '1.5' && string($D * 1e6) == '1.5e+06' && string($D / 1e5) == '1.5e-05'", isTrue, "$D", 1.5),
		// type()
		c("type($N) == int && type(dyn($S)) == string && type(type($B)) == type && type($L) == list", isTrue, "$N", 1, "$S", "a", "$B", true),
		// bytes
		c("bytes($S) == b'\\xc3\\xa9' && bytes(bytes($S)).size() == 2 && size(bytes($S)) == 2", isTrue, "$S", "é"),
		c("string(bytes($S) + b'\\xff') == ''", isError, "$S", "é"),
		c("bytes($S) < b'b' && bytes($S) <= b'a' && bytes($S) > b'' && bytes($S) >= b'a'", isTrue, "$S", "a"),
		// two-variable comprehensions build maps with cel.@mapInsert
		c("$A.transformMap(k, v, k != 'x', v) == {'a': 1.0}", isTrue, "$A", map[string]any{"a": 1, "x": 2}),
		c("$A.transformMapEntry(k, v, {'k': v}).size() == 1", isError, "$A", map[string]any{"a": 1, "x": 2}),
		c("$A.transformMapEntry(k, v, {k + k: v}) == {'aa': 1.0}", isTrue, "$A", map[string]any{"a": 1}),
	}
}
