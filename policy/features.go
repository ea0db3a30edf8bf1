package policy

import (
	"maps"
	"slices"
	"strings"
)

// supportedOverloads are the CEL overload ids a policy may use: each has a
// JavaScript helper in the compiled Action that behaves exactly as cel-go
// does. Any other overload is rejected when the policy is checked, with the
// reason from rejectReason; docs/policy.md lists the supported ones.
var supportedOverloads = setOf(
	// logic and control
	"logical_not", "logical_and", "logical_or", "not_strictly_false",
	"conditional", "to_dyn", "type",
	// transformMap and transformMapEntry (ext.TwoVarComprehensions) build
	// their maps with cel.@mapInsert
	"@mapInsert_map_key_value", "@mapInsert_map_map",
	// arithmetic
	"negate_int64", "negate_double",
	"add_int64", "add_uint64", "add_double", "add_string", "add_list",
	"subtract_int64", "subtract_uint64", "subtract_double",
	"multiply_int64", "multiply_uint64", "multiply_double",
	"divide_int64", "divide_uint64", "divide_double",
	"modulo_int64", "modulo_uint64",
	// equality, ordering, membership, indexing
	"equals", "not_equals", "in_list", "in_map", "index_list", "index_map",
	"less_bool", "less_int64", "less_uint64", "less_double", "less_string",
	"less_int64_double", "less_int64_uint64", "less_uint64_double", "less_uint64_int64",
	"less_double_int64", "less_double_uint64",
	"less_equals_bool", "less_equals_int64", "less_equals_uint64", "less_equals_double", "less_equals_string",
	"less_equals_int64_double", "less_equals_int64_uint64", "less_equals_uint64_double",
	"less_equals_uint64_int64", "less_equals_double_int64", "less_equals_double_uint64",
	"greater_bool", "greater_int64", "greater_uint64", "greater_double", "greater_string",
	"greater_int64_double", "greater_int64_uint64", "greater_uint64_double", "greater_uint64_int64",
	"greater_double_int64", "greater_double_uint64",
	"greater_equals_bool", "greater_equals_int64", "greater_equals_uint64", "greater_equals_double",
	"greater_equals_string", "greater_equals_int64_double", "greater_equals_int64_uint64",
	"greater_equals_uint64_double", "greater_equals_uint64_int64", "greater_equals_double_int64",
	"greater_equals_double_uint64",
	// sizes and strings
	"size_string", "string_size", "size_list", "list_size", "size_map", "map_size",
	"contains_string", "starts_with_string", "ends_with_string", "matches", "matches_string",
	"string_lower_ascii", "string_upper_ascii",
	// conversions
	"int64_to_int64", "uint64_to_int64", "double_to_int64", "string_to_int64",
	"int64_to_uint64", "uint64_to_uint64", "double_to_uint64", "string_to_uint64",
	"int64_to_double", "uint64_to_double", "double_to_double",
	"int64_to_string", "uint64_to_string", "string_to_string", "bool_to_string", "double_to_string",
	"bool_to_bool", "string_to_bool",
	// network: ip() and cidr() from cel-go's ext.Network
	"string_to_ip", "string_to_cidr", "is_ip", "is_cidr", "ip_to_string", "cidr_to_string",
	"ip_family", "ip_is_canonical", "ip_is_loopback", "ip_is_unspecified", "ip_is_global_unicast",
	"ip_is_link_local_multicast", "ip_is_link_local_unicast",
	"cidr_contains_ip_ip", "cidr_contains_ip_string", "cidr_contains_cidr", "cidr_contains_cidr_string",
	"cidr_ip", "cidr_masked", "cidr_prefix_length", "cidr_is_mask",
	// bytes
	"string_to_bytes", "bytes_to_string", "bytes_to_bytes", "add_bytes", "size_bytes", "bytes_size",
	"less_bytes", "less_equals_bytes", "greater_bytes", "greater_equals_bytes",
	// timestamps and durations; a getter's time zone must be a literal
	// UTC or fixed offset (ZoneOffset)
	"string_to_timestamp", "int64_to_timestamp", "timestamp_to_timestamp", "string_to_duration",
	"duration_to_duration", "timestamp_to_string", "duration_to_string", "timestamp_to_int64", "duration_to_int64",
	"add_timestamp_duration", "add_duration_timestamp", "add_duration_duration",
	"subtract_timestamp_duration", "subtract_timestamp_timestamp", "subtract_duration_duration",
	"less_timestamp", "less_equals_timestamp", "greater_timestamp", "greater_equals_timestamp",
	"less_duration", "less_equals_duration", "greater_duration", "greater_equals_duration",
	"duration_to_hours", "duration_to_minutes", "duration_to_seconds", "duration_to_milliseconds",
	"timestamp_to_year", "timestamp_to_month", "timestamp_to_day_of_year", "timestamp_to_day_of_month",
	"timestamp_to_day_of_month_1_based", "timestamp_to_day_of_week", "timestamp_to_hours",
	"timestamp_to_minutes", "timestamp_to_seconds", "timestamp_to_milliseconds",
	"timestamp_to_year_with_tz", "timestamp_to_month_with_tz", "timestamp_to_day_of_year_with_tz",
	"timestamp_to_day_of_month_with_tz", "timestamp_to_day_of_month_1_based_with_tz",
	"timestamp_to_day_of_week_with_tz", "timestamp_to_hours_with_tz", "timestamp_to_minutes_with_tz",
	"timestamp_to_seconds_tz", "timestamp_to_milliseconds_with_tz",
)

// zonedOverloads are the timestamp getters with a time zone argument.
var zonedOverloads = setOf(
	"timestamp_to_year_with_tz", "timestamp_to_month_with_tz", "timestamp_to_day_of_year_with_tz",
	"timestamp_to_day_of_month_with_tz", "timestamp_to_day_of_month_1_based_with_tz",
	"timestamp_to_day_of_week_with_tz", "timestamp_to_hours_with_tz", "timestamp_to_minutes_with_tz",
	"timestamp_to_seconds_tz", "timestamp_to_milliseconds_with_tz",
)

// SupportedOverloads lists the CEL overload ids a policy may use, sorted.
// The compiler has a JavaScript helper for each.
func SupportedOverloads() []string {
	return slices.Sorted(maps.Keys(supportedOverloads))
}

// IsSupportedOverload reports whether a policy may use a CEL overload.
func IsSupportedOverload(id string) bool { return supportedOverloads[id] }

// rejectReason explains why an unsupported overload is not offered.
func rejectReason(id string) string {
	switch {
	case id == "string_to_double":
		return "double() of a string is not supported: Go's strconv.ParseFloat accepts forms (hexadecimal, inf, nan) that JavaScript's Number() does not"
	case strings.HasPrefix(id, "string_") || strings.HasPrefix(id, "list_"):
		return "of the string functions, policies offer size, contains, startsWith, endsWith, matches, lowerAscii and upperAscii (docs/policy.md)"
	}
	return "this function is not supported in policies; docs/policy.md lists the functions they can use"
}

func setOf(ids ...string) map[string]bool {
	m := make(map[string]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}
	return m
}
