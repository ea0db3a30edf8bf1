package compile

import "sort"

// How one cel-go overload id becomes JavaScript. The translator picks the
// form from the checked overload id alone; an id missing here is a compile
// error at the call's position.
type overloadForm struct {
	kind formKind
	op   string // infix/prefix operator, method name, or runtime helper name
	prec int    // precedence of an inline operator
	// logic marks CEL's && and ||, which absorb errors: the translator
	// writes them as statements (body), in a function of their own when
	// they are not a function's result (liftLogic).
	logic bool
}

type formKind int

const (
	formHelper   formKind = iota // rt.op(args...)
	formInfix                    // a op b
	formPrefix                   // op a
	formMethod                   // a.op(b)
	formIdentity                 // a
)

func helper(name string) overloadForm { return overloadForm{kind: formHelper, op: name} }
func infix(op string, prec int) overloadForm {
	return overloadForm{kind: formInfix, op: op, prec: prec}
}

// overloadForms are the supported overload ids. Inline operators are used
// only where JavaScript computes exactly CEL's result for the checked types.
var overloadForms = map[string]overloadForm{
	"logical_and": {kind: formHelper, op: "logical_and", logic: true},
	"logical_or":  {kind: formHelper, op: "logical_or", logic: true},
	"logical_not": {kind: formPrefix, op: "!", prec: precUnary},
	"conditional": helper("conditional"), // handled by the translator
	"equals":      helper("equals"),      // inline === for same-typed primitives
	"not_equals":  helper("not_equals"),

	"add_int64": helper("add_int64"), "subtract_int64": helper("subtract_int64"),
	"multiply_int64": helper("multiply_int64"), "divide_int64": helper("divide_int64"),
	"modulo_int64": helper("modulo_int64"), "negate_int64": helper("negate_int64"),
	"add_uint64": helper("add_uint64"), "subtract_uint64": helper("subtract_uint64"),
	"multiply_uint64": helper("multiply_uint64"), "divide_uint64": helper("divide_uint64"),
	"modulo_uint64": helper("modulo_uint64"),
	"add_double":    infix("+", precAdd), "subtract_double": infix("-", precAdd),
	"multiply_double": infix("*", precMul), "divide_double": infix("/", precMul),
	"negate_double": {kind: formPrefix, op: "-", prec: precUnary},
	"add_string":    infix("+", precAdd),
	"add_list":      helper("add_list"),

	"less_bool": infix("<", precRel), "less_equals_bool": infix("<=", precRel),
	"greater_bool": infix(">", precRel), "greater_equals_bool": infix(">=", precRel),
	"less_int64": infix("<", precRel), "less_equals_int64": infix("<=", precRel),
	"greater_int64": infix(">", precRel), "greater_equals_int64": infix(">=", precRel),
	"less_double": infix("<", precRel), "less_equals_double": infix("<=", precRel),
	"greater_double": infix(">", precRel), "greater_equals_double": infix(">=", precRel),
	"less_string": helper("less_string"), "less_equals_string": helper("less_equals_string"),
	"greater_string": helper("greater_string"), "greater_equals_string": helper("greater_equals_string"),
	"less_uint64": helper("less_uint64"), "less_equals_uint64": helper("less_equals_uint64"),
	"greater_uint64": helper("greater_uint64"), "greater_equals_uint64": helper("greater_equals_uint64"),

	"in_list": helper("in_list"), "in_map": helper("in_map"),
	"index_list": helper("index_list"), "index_map": helper("index_map"),
	"size_string": helper("size_string"), "string_size": helper("size_string"),
	"size_list": helper("size_list"), "list_size": helper("size_list"),
	"size_map": helper("size_map"), "map_size": helper("size_map"),

	"contains_string":    {kind: formMethod, op: "includes"},
	"starts_with_string": {kind: formMethod, op: "startsWith"},
	"ends_with_string":   {kind: formMethod, op: "endsWith"},
	"matches":            helper("matches_string"), // pattern must be a literal
	"matches_string":     helper("matches_string"),
	"string_lower_ascii": helper("string_lower_ascii"),
	"string_upper_ascii": helper("string_upper_ascii"),

	"int64_to_int64": {kind: formIdentity}, "uint64_to_uint64": {kind: formIdentity},
	"double_to_double": {kind: formIdentity}, "string_to_string": {kind: formIdentity},
	"bool_to_bool": {kind: formIdentity}, "to_dyn": {kind: formIdentity},
	"int64_to_uint64": helper("int64_to_uint64"), "uint64_to_int64": helper("uint64_to_int64"),
	"double_to_int64": helper("double_to_int64"), "double_to_uint64": helper("double_to_uint64"),
	"int64_to_double": helper("int64_to_double"), "uint64_to_double": helper("uint64_to_double"),
	"string_to_int64": helper("string_to_int64"), "string_to_uint64": helper("string_to_uint64"),
	"string_to_bool":  helper("string_to_bool"),
	"int64_to_string": helper("int64_to_string"), "uint64_to_string": helper("uint64_to_string"),
	"bool_to_string": helper("bool_to_string"), "double_to_string": helper("double_to_string"),

	"string_to_ip": helper("string_to_ip"), "string_to_cidr": helper("string_to_cidr"),
	"is_ip": helper("is_ip"), "is_cidr": helper("is_cidr"),
	"ip_is_canonical": helper("ip_is_canonical"), "ip_to_string": helper("ip_to_string"),
	"cidr_to_string": helper("cidr_to_string"), "ip_family": helper("ip_family"),
	"ip_is_unspecified": helper("ip_is_unspecified"), "ip_is_loopback": helper("ip_is_loopback"),
	"ip_is_global_unicast":       helper("ip_is_global_unicast"),
	"ip_is_link_local_multicast": helper("ip_is_link_local_multicast"),
	"ip_is_link_local_unicast":   helper("ip_is_link_local_unicast"),
	"cidr_contains_ip_ip":        helper("cidr_contains_ip_ip"),
	"cidr_contains_ip_string":    helper("cidr_contains_ip_string"),
	"cidr_contains_cidr":         helper("cidr_contains_cidr"),
	"cidr_contains_cidr_string":  helper("cidr_contains_cidr_string"),
	"cidr_ip":                    helper("cidr_ip"), "cidr_masked": helper("cidr_masked"),
	"cidr_prefix_length": helper("cidr_prefix_length"), "cidr_is_mask": helper("cidr_is_mask"),

	"type": helper("type_of"),

	// Bytes (templates/runtime/bytes.js).
	"bytes_to_bytes": {kind: formIdentity}, "string_to_bytes": helper("string_to_bytes"),
	"bytes_to_string": helper("bytes_to_string"), "add_bytes": helper("add_bytes"),
	"size_bytes": helper("size_bytes"), "bytes_size": helper("size_bytes"),
	"less_bytes": helper("less_bytes"), "less_equals_bytes": helper("less_equals_bytes"),
	"greater_bytes": helper("greater_bytes"), "greater_equals_bytes": helper("greater_equals_bytes"),

	// Timestamps and durations (templates/runtime/time.js).
	"timestamp_to_timestamp": {kind: formIdentity}, "duration_to_duration": {kind: formIdentity},
	"string_to_timestamp": helper("string_to_timestamp"), "int64_to_timestamp": helper("int64_to_timestamp"),
	"string_to_duration":  helper("string_to_duration"),
	"timestamp_to_string": helper("timestamp_to_string"), "duration_to_string": helper("duration_to_string"),
	"timestamp_to_int64": helper("timestamp_to_int64"), "duration_to_int64": helper("duration_to_int64"),
	"add_timestamp_duration": helper("add_timestamp_duration"), "add_duration_timestamp": helper("add_duration_timestamp"),
	"add_duration_duration": helper("add_duration_duration"), "subtract_duration_duration": helper("subtract_duration_duration"),
	"subtract_timestamp_duration":  helper("subtract_timestamp_duration"),
	"subtract_timestamp_timestamp": helper("subtract_timestamp_timestamp"),
	"duration_to_hours":            helper("duration_to_hours"), "duration_to_minutes": helper("duration_to_minutes"),
	"duration_to_seconds": helper("duration_to_seconds"), "duration_to_milliseconds": helper("duration_to_milliseconds"),
}

// dynamicForms name the runtime helper that dispatches on runtime types,
// used when the checker left several candidate overloads (dyn operands).
var dynamicForms = map[string]string{
	"_+_": "add", "_-_": "subtract", "_*_": "multiply", "_/_": "divide", "_%_": "modulo",
	"-_": "negate", "_<_": "less", "_<=_": "less_equals", "_>_": "greater",
	"_>=_": "greater_equals", "@in": "in_", "_[_]": "index", "size": "size",
	"!_": "logical_not",
}

// rejectedOverloads explain why an overload that cel-go offers is refused.
var rejectedOverloads = map[string]string{
	"string_to_double": "double() of a string is not supported: Go's strconv.ParseFloat accepts forms JavaScript's Number() does not",
}

// macroOverloads occur only inside the expansions of CEL's macros, which
// the compiler translates as a whole (comprehension.go): cel-go's
// @not_strictly_false is the loop condition of all() and exists().
var macroOverloads = []string{"not_strictly_false", "@mapInsert_map_key_value", "@mapInsert_map_map"}

// SupportedOverloads lists the cel-go overload ids the compiler translates,
// sorted.
func SupportedOverloads() []string {
	ids := append(make([]string, 0, len(overloadForms)+len(macroOverloads)), macroOverloads...)
	for id := range overloadForms {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// zonedOverloads are the timestamp getters; those ending in a zone
// argument (zoned) take it as a literal the compiler resolves to an offset.
var zonedOverloads = map[string]bool{}

func init() {
	for _, g := range []string{"year", "month", "day_of_year", "day_of_month", "day_of_month_1_based",
		"day_of_week", "hours", "minutes", "seconds", "milliseconds"} {
		id := "timestamp_to_" + g
		overloadForms[id] = helper(id)
		tz := id + "_with_tz"
		if g == "seconds" {
			tz = id + "_tz" // cel-go's id
		}
		overloadForms[tz] = helper(tz)
		zonedOverloads[tz] = true
	}
	for _, op := range []string{"less", "less_equals", "greater", "greater_equals"} {
		for _, ty := range []string{"timestamp", "duration"} {
			overloadForms[op+"_"+ty] = helper(op + "_" + ty)
		}
	}
	// Cross-type numeric comparisons (cel.CrossTypeNumericComparisons).
	for _, op := range []string{"less", "less_equals", "greater", "greater_equals"} {
		for _, pair := range []string{"int64_double", "int64_uint64", "uint64_double", "uint64_int64", "double_int64", "double_uint64"} {
			id := op + "_" + pair
			overloadForms[id] = helper(id)
		}
	}
}
