package policy

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// docsPath is the user documentation of the policy language. Its sections
// between "<!-- generated: NAME -->" and "<!-- end: NAME -->" are written
// from the code by TestDocsUpToDate (-update rewrites them).
var docsPath = filepath.Join("..", "docs", "policy.md")

// TestDocsUpToDate fails when a generated section of docs/policy.md does
// not match the code, so the documentation never drifts from it.
func TestDocsUpToDate(t *testing.T) {
	data, err := os.ReadFile(docsPath)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	sections := map[string]string{
		"fields":    fieldsSection(),
		"factors":   factorsSection(),
		"functions": functionsSection(t),
		"codes":     codesSection(t),
	}
	for _, name := range slices.Sorted(maps.Keys(sections)) {
		var ok bool
		doc, ok = replaceSection(doc, name, sections[name])
		if !ok {
			t.Errorf("%s has no section %q (<!-- generated: %s --> ... <!-- end: %s -->)", docsPath, name, name, name)
		}
	}
	if doc == string(data) {
		return
	}
	if *update {
		if err := os.WriteFile(docsPath, []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("updated %s", docsPath)
		return
	}
	t.Errorf("%s is out of date with the code; run `go test ./policy -update`", docsPath)
}

func replaceSection(doc, name, body string) (string, bool) {
	begin := "<!-- generated: " + name + " -->\n"
	end := "<!-- end: " + name + " -->"
	i := strings.Index(doc, begin)
	j := strings.Index(doc, end)
	if i < 0 || j < i {
		return doc, false
	}
	return doc[:i+len(begin)] + body + doc[j:], true
}

// fieldsSection is the table of typed event fields, walked from the event
// type in schema order.
func fieldsSection() string {
	var b strings.Builder
	b.WriteString("| field | type | when absent or null |\n|---|---|---|\n")
	var walk func(prefix, typeName string)
	walk = func(prefix, typeName string) {
		fields := append([]Field(nil), schema[typeName]...)
		sort.SliceStable(fields, func(i, j int) bool { return fields[i].Name < fields[j].Name })
		for _, f := range fields {
			path := prefix + "." + f.Name
			fmt.Fprintf(&b, "| `%s` | %s | %s%s |\n", path, typeDoc(f), zeroDoc(f), fieldNotes[path])
			switch f.Kind {
			case Message:
				walk(path, f.Elem)
			case MessageList:
				walk(path+"[]", f.Elem)
			}
		}
	}
	walk("event", EventType)
	return b.String()
}

// fieldNotes follow a field's value when absent in the table.
var fieldNotes = map[string]string{
	"event.user.multifactor": "; an event without it gets it as Auth0 fills it on every login, derived from `enrolledFactors` (`[\"guardian\"]` for a user enrolled with a factor other than `email` or `webauthn-platform` alone, else `[]`; [actions.md](actions.md#the-user-eventusermultifactor))",
}

func typeDoc(f Field) string {
	switch f.Kind {
	case Message:
		return "object"
	case MessageList:
		return "list of objects"
	}
	return "`" + f.CELType().String() + "`"
}

func zeroDoc(f Field) string {
	switch f.Kind {
	case String:
		return "`''`"
	case Bool:
		return "`false`"
	case Int:
		return "`0`"
	case Double:
		return "`0.0`"
	case StringList, MessageList:
		return "`[]`"
	case StringMap, DynMap:
		return "`{}`"
	}
	return "an empty object"
}

func factorsSection() string {
	var b strings.Builder
	quote := func(list []string) string {
		q := make([]string, len(list))
		for i, s := range list {
			q[i] = "`" + s + "`"
		}
		return strings.Join(q, ", ")
	}
	fmt.Fprintf(&b, "- `challenge` accepts %s.\n", quote(ChallengeFactors))
	fmt.Fprintf(&b, "- `enroll` accepts %s (not `email`).\n", quote(EnrollFactors))
	fmt.Fprintf(&b, "- A bare `challenge` in `default` or `on_error` offers %s.\n", quote(DefaultChallengeFactors))
	fmt.Fprintf(&b, "- A bare `enroll` offers %s.\n", quote(DefaultEnrollFactors))
	fmt.Fprintf(&b, "- A bare `deny` gives the reason \"%s\".\n", DefaultDenyReason)
	fmt.Fprintf(&b, "- Risk confidences: %s (unordered).\n", quote(Confidences))
	var aliases []string
	for _, k := range slices.Sorted(maps.Keys(factorAliases)) {
		aliases = append(aliases, fmt.Sprintf("`%s` → `%s`", k, factorAliases[k]))
	}
	fmt.Fprintf(&b, "- Names that are not Auth0's, and the hint `check` gives: %s.\n", strings.Join(aliases, ", "))
	return b.String()
}

// fnDoc documents supported overloads that share a form.
type fnDoc struct {
	ids     []string
	form    string
	example string
	note    string
}

// functionDocs lists every supported overload once, grouped for reading.
// Each example is checked, and must resolve to one of its overloads.
var functionDocs = []struct {
	group string
	docs  []fnDoc
}{
	{"Logic", []fnDoc{
		{[]string{"logical_not"}, "`!b`", "!event.user.email_verified", ""},
		{[]string{"logical_and"}, "`a && b`", "event.user.email_verified && event.stats.logins_count > 1", "`false && error` is `false`"},
		{[]string{"logical_or"}, "`a \\|\\| b`", "event.stats.logins_count == 0 || !event.user.email_verified", "`true \\|\\| error` is `true`"},
		{[]string{"conditional"}, "`c ? a : b`", "event.stats.logins_count > 100 ? true : event.user.email_verified", ""},
		{[]string{"not_strictly_false"}, "inside `all` and `exists`", "event.authorization.roles.all(r, r != 'guest')", "how the macros absorb errors"},
		{[]string{"to_dyn"}, "`dyn(x)`", "dyn(event.stats.logins_count) == 3.0", "compare across types at run time"},
		{[]string{"type"}, "`type(x)`", "type(event.stats.logins_count) == int", "of a value whose type is known when checked, not of an event object"},
		{[]string{"@mapInsert_map_key_value"}, "`m.transformMap(k, v, f)`, `m.transformMap(k, v, p, f)`", "event.user.app_metadata.transformMap(k, v, k.startsWith('flag_'), v == true).size() > 0", "over maps; two-variable `all`, `exists`, `existsOne` and `transformList` take lists (index, element) and maps (key, value)"},
		{[]string{"@mapInsert_map_map"}, "`m.transformMapEntry(k, v, {k2: v2})`", "event.user.app_metadata.transformMapEntry(k, v, {k.lowerAscii(): v}).size() > 1", "a key given twice is an error"},
	}},
	{"Arithmetic (int overflow, division and modulo by zero are errors)", []fnDoc{
		{[]string{"negate_int64", "negate_double"}, "`-x`", "-event.request.geoip.longitude > 100.0", ""},
		{[]string{"add_int64", "add_uint64", "add_double"}, "`a + b`", "event.stats.logins_count + 1 > 10", ""},
		{[]string{"add_string"}, "`s + t`", "event.user.given_name + ' ' + event.user.family_name == event.user.name", ""},
		{[]string{"add_list"}, "`l + m`", "'admin' in event.authorization.roles + ['owner']", ""},
		{[]string{"subtract_int64", "subtract_uint64", "subtract_double"}, "`a - b`", "event.stats.logins_count - 1 == 0", ""},
		{[]string{"multiply_int64", "multiply_uint64", "multiply_double"}, "`a * b`", "event.request.geoip.latitude * 2.0 > 90.0", ""},
		{[]string{"divide_int64", "divide_uint64", "divide_double"}, "`a / b`", "event.stats.logins_count / 10 == 0", "integers truncate toward zero"},
		{[]string{"modulo_int64", "modulo_uint64"}, "`a % b`", "event.stats.logins_count % 10 == 0", ""},
	}},
	{"Equality, membership, indexing", []fnDoc{
		{[]string{"equals"}, "`a == b`", "event.connection.strategy == 'auth0'", "both sides of one type (use `dyn` to compare across types)"},
		{[]string{"not_equals"}, "`a != b`", "event.request.geoip.countryCode != 'US'", ""},
		{[]string{"in_list"}, "`x in list`", "event.request.geoip.countryCode in ['US', 'CA']", ""},
		{[]string{"in_map"}, "`key in map`", "'tier' in event.user.app_metadata", ""},
		{[]string{"index_list"}, "`list[i]`", "event.authentication.methods[0].name == 'pwd'", "out of range is an error"},
		{[]string{"index_map"}, "`map[key]`", "event.user.app_metadata['tier'] == 'gold'", "a missing key is an error"},
	}},
	{"Ordering", []fnDoc{
		{[]string{"less_bool", "less_int64", "less_uint64", "less_double", "less_string"}, "`a < b`", "event.stats.logins_count < 5", ""},
		{[]string{"less_equals_bool", "less_equals_int64", "less_equals_uint64", "less_equals_double", "less_equals_string"}, "`a <= b`", "event.stats.logins_count <= 1", ""},
		{[]string{"greater_bool", "greater_int64", "greater_uint64", "greater_double", "greater_string"}, "`a > b`", "event.request.geoip.latitude > 60.0", ""},
		{[]string{"greater_equals_bool", "greater_equals_int64", "greater_equals_uint64", "greater_equals_double", "greater_equals_string"}, "`a >= b`", "event.user.created_at >= '2026-01-01'", "strings compare by code point"},
		{[]string{"less_int64_double", "less_int64_uint64", "less_uint64_double", "less_uint64_int64", "less_double_int64", "less_double_uint64"}, "`a < b` across numeric types", "event.stats.logins_count < 2.5", ""},
		{[]string{"less_equals_int64_double", "less_equals_int64_uint64", "less_equals_uint64_double", "less_equals_uint64_int64", "less_equals_double_int64", "less_equals_double_uint64"}, "`a <= b` across numeric types", "event.request.geoip.latitude <= 45", ""},
		{[]string{"greater_int64_double", "greater_int64_uint64", "greater_uint64_double", "greater_uint64_int64", "greater_double_int64", "greater_double_uint64"}, "`a > b` across numeric types", "event.stats.logins_count > 0.5", ""},
		{[]string{"greater_equals_int64_double", "greater_equals_int64_uint64", "greater_equals_uint64_double", "greater_equals_uint64_int64", "greater_equals_double_int64", "greater_equals_double_uint64"}, "`a >= b` across numeric types", "event.request.geoip.longitude >= -10", ""},
	}},
	{"Strings and sizes (sizes count code points)", []fnDoc{
		{[]string{"size_string", "size_list", "size_map"}, "`size(x)`", "size(event.authorization.roles) == 0", ""},
		{[]string{"string_size", "list_size", "map_size"}, "`x.size()`", "event.user.enrolledFactors.size() > 1", ""},
		{[]string{"contains_string"}, "`s.contains(t)`", "event.request.user_agent.contains('Headless')", ""},
		{[]string{"starts_with_string"}, "`s.startsWith(t)`", "event.request.hostname.startsWith('login.')", ""},
		{[]string{"ends_with_string"}, "`s.endsWith(t)`", "event.user.email.endsWith('@example.com')", ""},
		{[]string{"matches_string"}, "`s.matches(re)`", "event.user.email.matches('^[a-z.]+@example\\\\.com$')", "RE2 syntax; the pattern is checked"},
		{[]string{"matches"}, "`matches(s, re)`", "matches(event.client.name, '(?i)admin')", ""},
		{[]string{"string_lower_ascii"}, "`s.lowerAscii()`", "event.user.email.lowerAscii().endsWith('@example.com')", "ASCII letters only"},
		{[]string{"string_upper_ascii"}, "`s.upperAscii()`", "event.request.geoip.countryCode.upperAscii() == 'US'", ""},
	}},
	{"Conversions (out of range or unparsable is an error)", []fnDoc{
		{[]string{"int64_to_int64", "uint64_to_int64", "double_to_int64", "string_to_int64"}, "`int(x)`", "int(event.request.geoip.latitude) == 47", "doubles truncate toward zero"},
		{[]string{"int64_to_uint64", "uint64_to_uint64", "double_to_uint64", "string_to_uint64"}, "`uint(x)`", "uint(event.stats.logins_count) > 10u", ""},
		{[]string{"int64_to_double", "uint64_to_double", "double_to_double"}, "`double(x)`", "double(event.stats.logins_count) / 2.0 > 1.5", ""},
		{[]string{"int64_to_string", "uint64_to_string", "string_to_string", "bool_to_string", "double_to_string"}, "`string(x)`", "string(event.stats.logins_count) == '1'", "a double as Go's `%g` writes it: `1e+06`, `0.0001`, `+Inf`"},
		{[]string{"bool_to_bool", "string_to_bool"}, "`bool(x)`", "bool(event.request.query.mfa_exempt == 'true')", ""},
	}},
	{"IP addresses and ranges (IPv4 and IPv6; no leading zeros, zones or IPv4-mapped IPv6)", []fnDoc{
		{[]string{"string_to_ip"}, "`ip(s)`", "ip(event.request.ip).isLoopback()", "an invalid address is an error"},
		{[]string{"string_to_cidr"}, "`cidr(s)`", "cidr('10.0.0.0/8').containsIP(event.request.ip)", "literals are checked"},
		{[]string{"is_ip"}, "`isIP(s)`", "!isIP(event.request.ip)", ""},
		{[]string{"is_cidr"}, "`isCIDR(s)`", "isCIDR(event.user.app_metadata.office_range)", ""},
		{[]string{"ip_to_string"}, "`string(ip)`", "string(ip(event.request.ip)) == '2001:db8::1'", "canonical form"},
		{[]string{"cidr_to_string"}, "`string(cidr)`", "string(cidr('10.0.0.0/8')) == '10.0.0.0/8'", ""},
		{[]string{"ip_family"}, "`ip.family()`", "ip(event.request.ip).family() == 6", "4 or 6"},
		{[]string{"ip_is_canonical"}, "`ip.isCanonical(s)`", "ip.isCanonical(event.request.ip)", ""},
		{[]string{"ip_is_loopback"}, "`ip.isLoopback()`", "ip(event.request.ip).isLoopback()", ""},
		{[]string{"ip_is_unspecified"}, "`ip.isUnspecified()`", "ip(event.request.ip).isUnspecified()", ""},
		{[]string{"ip_is_global_unicast"}, "`ip.isGlobalUnicast()`", "!ip(event.request.ip).isGlobalUnicast()", ""},
		{[]string{"ip_is_link_local_multicast"}, "`ip.isLinkLocalMulticast()`", "ip(event.request.ip).isLinkLocalMulticast()", ""},
		{[]string{"ip_is_link_local_unicast"}, "`ip.isLinkLocalUnicast()`", "ip(event.request.ip).isLinkLocalUnicast()", ""},
		{[]string{"cidr_contains_ip_string"}, "`cidr.containsIP(s)`", "cidr('2001:db8::/32').containsIP(event.request.ip)", "an invalid address is an error"},
		{[]string{"cidr_contains_ip_ip"}, "`cidr.containsIP(ip)`", "cidr('192.168.0.0/16').containsIP(ip(event.request.ip))", ""},
		{[]string{"cidr_contains_cidr_string"}, "`cidr.containsCIDR(s)`", "cidr('10.0.0.0/8').containsCIDR('10.1.0.0/16')", ""},
		{[]string{"cidr_contains_cidr"}, "`cidr.containsCIDR(cidr)`", "cidr('10.0.0.0/8').containsCIDR(cidr('10.1.0.0/16'))", ""},
		{[]string{"cidr_ip"}, "`cidr.ip()`", "cidr('10.1.2.3/8').ip() == ip('10.1.2.3')", ""},
		{[]string{"cidr_masked"}, "`cidr.masked()`", "cidr('10.1.2.3/8').masked() == cidr('10.0.0.0/8')", ""},
		{[]string{"cidr_prefix_length"}, "`cidr.prefixLength()`", "cidr('10.0.0.0/8').prefixLength() == 8", ""},
		{[]string{"cidr_is_mask"}, "`cidr.isMask()`", "cidr('10.0.0.0/8').isMask()", "the address has no bits set past the prefix"},
	}},
	{"Bytes", []fnDoc{
		{[]string{"string_to_bytes", "bytes_to_bytes"}, "`bytes(s)`", "size(bytes(event.user.name)) > 64", "the string's UTF-8 bytes"},
		{[]string{"bytes_to_string"}, "`string(b)`", "string(b'\\xc3\\xa9') == 'é'", "invalid UTF-8 is an error"},
		{[]string{"add_bytes"}, "`a + b`", "bytes(event.user.name) + b'!' != b''", ""},
		{[]string{"size_bytes", "bytes_size"}, "`size(b)`, `b.size()`", "bytes(event.user.email).size() > 254", "in bytes"},
		{[]string{"less_bytes", "less_equals_bytes", "greater_bytes", "greater_equals_bytes"}, "`a < b`, `<=`, `>`, `>=`", "bytes(event.user.name) < b'm'", "byte by byte"},
	}},
	{"Time (`now` is the time of the login; nanosecond precision, years 1 to 9999; overflow is an error)", []fnDoc{
		{[]string{"string_to_timestamp", "timestamp_to_timestamp"}, "`timestamp(s)`", "now - timestamp(event.user.created_at) < duration('24h')", "RFC 3339 (`2026-01-02T15:04:05.5+01:00`); keeps the offset for `string()`"},
		{[]string{"int64_to_timestamp"}, "`timestamp(i)`", "now > timestamp(1767225600)", "seconds since 1970-01-01T00:00:00Z"},
		{[]string{"string_to_duration", "duration_to_duration"}, "`duration(s)`", "now - timestamp(event.user.updated_at) > duration('36h')", "Go's form: `1h30m`, `1.5s`, `-90m`, `250ms`, `0`"},
		{[]string{"add_timestamp_duration", "add_duration_timestamp", "add_duration_duration"}, "`t + d`, `d + t`, `d + d`", "timestamp(event.user.created_at) + duration('720h') > now", ""},
		{[]string{"subtract_timestamp_timestamp", "subtract_timestamp_duration", "subtract_duration_duration"}, "`t - t`, `t - d`, `d - d`", "now - duration('12h') > timestamp(event.user.last_password_reset)", "`t - t` is a duration"},
		{[]string{"less_timestamp", "less_duration"}, "`a < b`", "timestamp(event.user.created_at) < timestamp('2024-01-01T00:00:00Z')", "instants compare regardless of offset"},
		{[]string{"less_equals_timestamp", "less_equals_duration"}, "`a <= b`", "now - timestamp(event.user.created_at) <= duration('1h')", ""},
		{[]string{"greater_timestamp", "greater_duration"}, "`a > b`", "now > timestamp('2026-06-30T00:00:00Z')", ""},
		{[]string{"greater_equals_timestamp", "greater_equals_duration"}, "`a >= b`", "now - timestamp(event.user.created_at) >= duration('2160h')", ""},
		{[]string{"timestamp_to_string", "duration_to_string"}, "`string(x)`", "string(now).startsWith('2026-')", "RFC 3339 with the fraction's trailing zeros dropped; durations in seconds (`5400s`)"},
		{[]string{"timestamp_to_int64", "duration_to_int64"}, "`int(x)`", "int(now) % 2 == 0", "seconds since 1970 (rounded down); a duration's nanoseconds"},
		{[]string{"duration_to_hours", "duration_to_minutes", "duration_to_seconds", "duration_to_milliseconds"}, "`d.getHours()`, `getMinutes()`, `getSeconds()`, `getMilliseconds()`", "(now - timestamp(event.user.created_at)).getHours() < 24", "whole units, truncated"},
		{[]string{"timestamp_to_year", "timestamp_to_month", "timestamp_to_day_of_year", "timestamp_to_day_of_month", "timestamp_to_day_of_month_1_based"}, "`t.getFullYear()`, `getMonth()`, `getDayOfYear()`, `getDayOfMonth()`, `getDate()`", "now.getMonth() == 11 && now.getDate() == 25", "in UTC; months, days of the year and `getDayOfMonth` count from 0, `getDate` from 1"},
		{[]string{"timestamp_to_day_of_week", "timestamp_to_hours", "timestamp_to_minutes", "timestamp_to_seconds", "timestamp_to_milliseconds"}, "`t.getDayOfWeek()`, `getHours()`, `getMinutes()`, `getSeconds()`, `getMilliseconds()`", "now.getDayOfWeek() in [0, 6]", "in UTC; Sunday is 0"},
		{[]string{"timestamp_to_year_with_tz", "timestamp_to_month_with_tz", "timestamp_to_day_of_year_with_tz", "timestamp_to_day_of_month_with_tz", "timestamp_to_day_of_month_1_based_with_tz"}, "the same with a zone, `t.getFullYear(zone)`", "now.getDate('+09:00') == 1", "the zone is a literal: `'UTC'` or a fixed offset `'+HH:MM'`/`'-HH:MM'`; named zones are rejected"},
		{[]string{"timestamp_to_day_of_week_with_tz", "timestamp_to_hours_with_tz", "timestamp_to_minutes_with_tz", "timestamp_to_seconds_tz", "timestamp_to_milliseconds_with_tz"}, "`t.getHours(zone)`, ...", "now.getHours('-05:00') < 8 || now.getHours('-05:00') >= 18", "business hours at a fixed offset"},
	}},
}

// functionsSection renders functionDocs after checking that it lists every
// supported overload exactly once and that every example checks and uses
// one of the overloads of its row.
func functionsSection(t *testing.T) string {
	seen := map[string]bool{}
	var b strings.Builder
	for _, g := range functionDocs {
		fmt.Fprintf(&b, "**%s**\n\n| form | example | note |\n|---|---|---|\n", g.group)
		for _, d := range g.docs {
			for _, id := range d.ids {
				if seen[id] {
					t.Errorf("functionDocs lists %s twice", id)
				}
				seen[id] = true
				if !IsSupportedOverload(id) {
					t.Errorf("functionDocs lists %s, which is not supported", id)
				}
			}
			checkExample(t, d)
			fmt.Fprintf(&b, "| %s | `%s` | %s |\n", d.form, strings.ReplaceAll(d.example, "|", "\\|"), d.note)
		}
		b.WriteString("\n")
	}
	for _, id := range SupportedOverloads() {
		if !seen[id] {
			t.Errorf("functionDocs does not document the supported overload %s", id)
		}
	}
	return strings.TrimSuffix(b.String(), "\n")
}

func checkExample(t *testing.T, d fnDoc) {
	t.Helper()
	p, problem := compileCase(t, evalCase{when: d.example})
	if p == nil {
		t.Errorf("the example %q does not check: %s", d.example, problem)
		return
	}
	for _, ref := range p.Rules[0].AST.NativeRep().ReferenceMap() {
		for _, id := range ref.OverloadIDs {
			if slices.Contains(d.ids, id) {
				return
			}
		}
	}
	t.Errorf("the example %q uses none of %v", d.example, d.ids)
}

// codeDocs says what each diagnostic code reports.
var codeDocs = map[string]string{
	codeUnreadable:      "the file cannot be read (exit code 2 in `mfapolicy check`)",
	codeYAML:            "the file is not valid YAML (indentation, tabs, an unquoted `: `)",
	codeTooLarge:        "the file is larger than 1 MiB",
	codeNotMapping:      "the file is empty, or a section that must be a mapping is not",
	codeUnknownKey:      "a key the format does not have; the hint suggests the closest one",
	codeDuplicateKey:    "a key given twice in one mapping",
	codeWrongType:       "a value of the wrong shape (a list where one value belongs, for example)",
	codeMissingKey:      "`name`, `default`, or a rule's `id`, `when` or `then` is missing",
	codeEmptyName:       "`name` is blank",
	codeBadRuntime:      "`runtime` is not a Node.js runtime Auth0 offers",
	codeBadOutcome:      "`then` is not `allow`, `challenge`, `enroll` or `deny`",
	codeDuplicateRule:   "two rules have the same id",
	codeBadRuleID:       "a rule id with characters other than letters, digits, `-`, `_`, `.`",
	codeBadList:         "a list that is not a list, mixes types, holds objects, or has a bad name (empty: warning)",
	codeDuplicateList:   "two lists with one name",
	codeNoRules:         "the policy has no rules (warning)",
	codeCELSyntax:       "the condition is not valid CEL, or is empty",
	codeCELType:         "the condition does not type-check: an operator or function applied to the wrong types",
	codeUnknownField:    "a field the event does not have; the hint suggests the closest one",
	codeUndeclared:      "a name or function that does not exist (only `event` and `lists.NAME` do)",
	codeNotBool:         "the condition is not a boolean",
	codeUnsupported:     "a CEL function the compiled Action cannot run exactly as cel-go does",
	codeMissingFactors:  "`challenge` or `enroll` in a rule without `factors`, or with an empty list",
	codeMissingReason:   "`deny` in a rule without `reason`, or with a blank one",
	codeIgnoredKey:      "`factors` on `allow`/`deny` (error), `reason` on `allow`/`challenge`/`enroll` (warning)",
	codeUnknownFactor:   "a factor name Auth0 does not accept, in `factors` or compared with `enrolledFactors[].type`",
	codeEnrollEmail:     "`enroll` with `email`, which Auth0's `enrollWith` rejects",
	codeDuplicateFactor: "a factor listed twice",
	codeConfidence:      "a confidence literal other than `low`, `medium`, `high`, `neutral`",
	codeConfidenceOrder: "`<`, `<=`, `>`, `>=` on a confidence: the values are unordered",
	codeCountry:         "a country literal (in a condition or a list compared with a country) that is not ISO 3166-1 alpha-2",
	codeAssessmentCode:  "an assessment code Auth0 does not document (warning: logs show more codes)",
	codeUnreachable:     "a rule after one whose condition is `true`",
	codeConstantRule:    "a rule whose condition is `false` (warning)",
	codeBadRegex:        "a `matches` pattern that is not valid RE2",
	codeBadIP:           "an `ip()`/`cidr()` literal that does not parse",
	codeObjectEquality:  "`==`/`!=` between event objects",
	codeFactorDisabled:  "a rule or `default` offers a factor the `tenant:` section disables while others are left, or the `on_error` not written in the file is left with none (warning)",
	codeNoFactorLeft:    "a rule, `default` or `on_error` offers only factors the `tenant:` section disables: Auth0 fails every login it decides",
	codeBadTenant:       "a `tenant:` section value Auth0 does not accept: an unknown `mfa_policy` or phone message type, or `phone_message_types` without `phone`",
}

// codesSection renders codeDocs, after checking it against the code
// constants of messages.go, with the broken-policy cases that show each.
func codesSection(t *testing.T) string {
	codes := messageCodes(t)
	for _, c := range codes {
		if _, ok := codeDocs[c]; !ok {
			t.Errorf("codeDocs does not document the code %s", c)
		}
	}
	for c := range codeDocs {
		if !slices.Contains(codes, c) {
			t.Errorf("codeDocs documents %s, which messages.go does not define", c)
		}
	}
	examples := brokenExamples(t)
	var b strings.Builder
	b.WriteString("| code | reports | example |\n|---|---|---|\n")
	for _, c := range codes {
		ex := ""
		if names := examples[c]; len(names) > 0 {
			ex = fmt.Sprintf("[%s](../policy/testdata/broken/%s.golden)", names[0], names[0])
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s |\n", c, codeDocs[c], ex)
	}
	return b.String()
}

// messageCodes reads the diagnostic codes declared in messages.go, sorted.
func messageCodes(t *testing.T) []string {
	f, err := parser.ParseFile(token.NewFileSet(), "messages.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	ast.Inspect(f, func(n ast.Node) bool {
		vs, ok := n.(*ast.ValueSpec)
		if !ok || len(vs.Names) != 1 || !strings.HasPrefix(vs.Names[0].Name, "code") || len(vs.Values) != 1 {
			return true
		}
		if lit, ok := vs.Values[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
			s, _ := strconv.Unquote(lit.Value)
			codes = append(codes, s)
		}
		return true
	})
	sort.Strings(codes)
	return codes
}

var goldenCode = regexp.MustCompile(`\[([a-z0-9-]+)\]\n`)

// brokenExamples maps each code to the broken cases whose golden shows it.
func brokenExamples(t *testing.T) map[string][]string {
	dir := filepath.Join("testdata", "broken")
	out := map[string][]string{}
	for _, name := range slices.Sorted(maps.Keys(globNames(t, dir, ".golden"))) {
		data, err := os.ReadFile(filepath.Join(dir, name+".golden"))
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range goldenCode.FindAllStringSubmatch(string(data), -1) {
			if !slices.Contains(out[m[1]], name) {
				out[m[1]] = append(out[m[1]], name)
			}
		}
	}
	return out
}
