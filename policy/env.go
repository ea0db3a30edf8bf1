package policy

import (
	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/ext"
)

// Limits on CEL expressions, so a hostile policy cannot exhaust the checker.
const (
	maxExprSize  = 10000 // code points in one condition
	maxExprDepth = 64    // parser recursion
)

// NewEnv returns the typed CEL environment in which rule conditions are
// checked: the variable `event` of type auth0.PostLoginEvent, `now` (the
// time of the login, a timestamp), one variable
// `lists.NAME` per named list, CEL's standard library, the network library
// (ip, cidr) and the ASCII string helpers. Which functions a policy may call
// is narrowed further by the supported-overload list (features.go).
func NewEnv(lists []List) (*cel.Env, error) {
	p, err := newProvider()
	if err != nil {
		return nil, err
	}
	opts := []cel.EnvOption{
		cel.CustomTypeProvider(p),
		cel.Variable("event", cel.ObjectType(EventType)),
		cel.Variable("now", cel.TimestampType),
		ext.Network(),
		ext.Strings(),
		ext.TwoVarComprehensions(),
		cel.CrossTypeNumericComparisons(true),
		cel.EnableMacroCallTracking(),
		cel.ParserExpressionSizeLimit(maxExprSize),
		cel.ParserRecursionLimit(maxExprDepth),
	}
	for _, l := range lists {
		opts = append(opts, cel.Variable("lists."+l.Name, l.Type))
	}
	return cel.NewEnv(opts...)
}
