package analyze

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
)

// vkind is the kind of a value the abstract evaluator computes with.
type vkind uint8

const (
	vErr vkind = iota
	vBool
	vString
	vInt
	vList
	vIP
	vCIDR
)

// value is one concrete CEL value of the small subset the analysis
// interprets exactly: the representatives of the classes of each dimension,
// the policy's constants, and what the supported operators make of them.
type value struct {
	k   vkind
	b   bool
	s   string
	i   int64
	l   []value
	ip  netip.Addr
	pfx netip.Prefix
}

var (
	vTrue  = value{k: vBool, b: true}
	vFalse = value{k: vBool}
	errV   = value{k: vErr}
)

func boolV(b bool) value    { return value{k: vBool, b: b} }
func strV(s string) value   { return value{k: vString, s: s} }
func intV(i int64) value    { return value{k: vInt, i: i} }
func listV(l []value) value { return value{k: vList, l: l} }

// key identifies a value within a set.
func (v value) key() string {
	switch v.k {
	case vBool:
		return strconv.FormatBool(v.b)
	case vString:
		return "s" + v.s
	case vInt:
		return "i" + strconv.FormatInt(v.i, 10)
	case vIP:
		return "ip" + v.ip.String()
	case vCIDR:
		return "cidr" + v.pfx.String()
	case vList:
		parts := make([]string, len(v.l))
		for i, e := range v.l {
			parts[i] = e.key()
		}
		return "[" + strings.Join(parts, ",") + "]"
	}
	return "error"
}

func (v value) String() string {
	switch v.k {
	case vString:
		return strconv.Quote(v.s)
	case vBool:
		return strconv.FormatBool(v.b)
	case vInt:
		return strconv.FormatInt(v.i, 10)
	}
	return v.key()
}

// constValue converts a policy list element or a literal's Go value.
func constValue(x any) (value, bool) {
	switch x := x.(type) {
	case string:
		return strV(x), true
	case int64:
		return intV(x), true
	case bool:
		return boolV(x), true
	}
	return value{}, false
}

// equal is CEL's == on the supported kinds, which are always of one type
// after type-checking.
func equal(a, b value) value {
	if a.k == vErr || b.k == vErr {
		return errV
	}
	if a.k != b.k {
		return vFalse
	}
	return boolV(a.key() == b.key())
}

// compare is CEL's ordering on ints and strings (strings by code point,
// which Go's byte order on valid UTF-8 agrees with).
func compare(op string, a, b value) value {
	if a.k == vErr || b.k == vErr {
		return errV
	}
	var c int
	switch {
	case a.k == vInt && b.k == vInt:
		c = cmpInt(a.i, b.i)
	case a.k == vString && b.k == vString:
		c = strings.Compare(a.s, b.s)
	default:
		return errV
	}
	switch op {
	case "_<_":
		return boolV(c < 0)
	case "_<=_":
		return boolV(c <= 0)
	case "_>_":
		return boolV(c > 0)
	case "_>=_":
		return boolV(c >= 0)
	}
	return errV
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// member is CEL's `x in list`: true when an element equals x. Like cel-go,
// an error from comparing one element does not matter when another equals.
func member(x, list value) value {
	if x.k == vErr || list.k != vList {
		return errV
	}
	for _, e := range list.l {
		if eq := equal(x, e); eq.k == vBool && eq.b {
			return vTrue
		}
	}
	return vFalse
}

// parseIP and parseCIDR follow cel-go's network extension exactly: netip's
// parsers, without zones or IPv4-mapped IPv6 addresses.
func parseIP(s string) (netip.Addr, error) {
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Addr{}, err
	}
	if a.Zone() != "" || a.Is4In6() {
		return netip.Addr{}, fmt.Errorf("IP address %q is not allowed", s)
	}
	return a, nil
}

func parseCIDR(s string) (netip.Prefix, error) {
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return netip.Prefix{}, err
	}
	if p.Addr().Zone() != "" || p.Addr().Is4In6() {
		return netip.Prefix{}, fmt.Errorf("CIDR %q is not allowed", s)
	}
	return p, nil
}

// call applies a supported function to concrete arguments.
func call(fn string, args []value) value {
	for _, a := range args {
		if a.k == vErr {
			return errV
		}
	}
	switch fn {
	case "_==_":
		return equal(args[0], args[1])
	case "_!=_":
		eq := equal(args[0], args[1])
		if eq.k == vErr {
			return eq
		}
		return boolV(!eq.b)
	case "_<_", "_<=_", "_>_", "_>=_":
		return compare(fn, args[0], args[1])
	case "@in":
		return member(args[0], args[1])
	case "isIP":
		_, err := parseIP(args[0].s)
		return boolV(err == nil)
	case "ip":
		a, err := parseIP(args[0].s)
		if err != nil {
			return errV
		}
		return value{k: vIP, ip: a}
	case "cidr":
		p, err := parseCIDR(args[0].s)
		if err != nil {
			return errV
		}
		return value{k: vCIDR, pfx: p}
	case "containsIP":
		return containsIP(args[0], args[1])
	}
	return errV
}

func containsIP(c, x value) value {
	if c.k != vCIDR {
		return errV
	}
	switch x.k {
	case vIP:
		return boolV(c.pfx.Contains(x.ip))
	case vString:
		a, err := parseIP(x.s)
		if err != nil {
			return errV
		}
		return boolV(c.pfx.Contains(a))
	}
	return errV
}
