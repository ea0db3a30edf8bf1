package analyze

import (
	"sort"
	"strconv"
	"strings"

	"github.com/mfapolicy/mfapolicy/policy"
)

// DimKind is what a dimension of the login space stands for.
type DimKind string

// The kinds of dimension. Every dimension but Atom is interpreted exactly;
// an Atom is a condition the analysis does not interpret, taken to be
// independently true, false or (when it can) an error.
const (
	EnumDim     DimKind = "enum"     // a string field compared with constants
	BoolDim     DimKind = "bool"     // a boolean field
	MemberDim   DimKind = "member"   // a constant in a list field
	IntDim      DimKind = "int"      // an int field, or the size of a list, compared with constants
	PresenceDim DimKind = "presence" // has(field)
	IPDim       DimKind = "ip"       // an IP address field tested against CIDR constants
	AtomDim     DimKind = "symbolic" // a condition treated symbolically
)

// Dim is one finite dimension of the login space: a field (or a condition)
// that the rules read, partitioned into classes of values that every rule
// treats alike.
type Dim struct {
	Kind DimKind `json:"kind"`
	// Path is the event field, for example event.request.geoip.countryCode,
	// or size(event.user.enrolledFactors); for an Atom the CEL text.
	Path string `json:"path"`
	// Label names the dimension in reports.
	Label   string  `json:"label"`
	Classes []Class `json:"classes"`

	field    string // the event field path the dimension reads
	literal  string // MemberDim: the constant
	sets     [][]value
	uses     []intUse
	cidrs    []string
	mayErr   bool
	atomCEL  string           // the CEL text of an atom
	atomVars map[string]value // macro variables it uses, bound
	atomPol  int              // the policy it comes from
	atomIDs  []string         // fields an atom reads, for example logins
	atomLits []value          // constants an atom mentions
}

// Class is a set of values of a dimension that no rule tells apart.
type Class struct {
	Label string `json:"label"`
	// Members lists the values of an enumerated class, when finite.
	Members []string `json:"members,omitempty"`
	// Missing marks the class of an absent field (or absent object).
	Missing bool `json:"missing,omitempty"`

	rep   value
	zero  bool // holds what an absent field reads as
	other bool // every value no rule names
}

type intUse struct {
	op  string // field OP literal
	lit int64
}

// confidences is the closed set of risk confidences.
var confidences = []string{"low", "medium", "high", "neutral"}

var pathLabels = map[string]string{
	"event.request.geoip.countryCode":                "country",
	"event.request.geoip":                            "geoip",
	"event.request.ip":                               "IP address",
	"event.authentication.riskAssessment.confidence": "risk confidence",
	"event.authentication.riskAssessment":            "risk assessment",
	"event.client.name":                              "application",
	"event.client.client_id":                         "client id",
	"event.connection.name":                          "connection",
	"event.connection.strategy":                      "connection strategy",
	"event.organization.name":                        "organization",
	"event.organization.id":                          "organization id",
	"event.authorization.roles":                      "roles",
	"event.stats.logins_count":                       "logins count",
	"event.user.email_verified":                      "email verified",
	"event.user.enrolledFactors":                     "enrolled factors",
}

const assessmentsPrefix = "event.authentication.riskAssessment.assessments."

// labelOf names a field path for people.
func labelOf(path string) string {
	if l, ok := pathLabels[path]; ok {
		return l
	}
	if rest, ok := strings.CutPrefix(path, assessmentsPrefix); ok {
		return strings.ReplaceAll(rest, ".", " ")
	}
	if inner, ok := strings.CutPrefix(path, "size("); ok {
		return "number of " + labelOf(strings.TrimSuffix(inner, ")"))
	}
	return strings.TrimPrefix(path, "event.")
}

// closedSet returns the documented values of a closed-set string field.
func closedSet(path string) []string {
	switch {
	case path == "event.request.geoip.countryCode":
		return countries()
	case strings.HasSuffix(path, ".confidence") && strings.HasPrefix(path, "event.authentication.riskAssessment"):
		return confidences
	}
	return nil
}

var countryList []string

// countries lists the ISO 3166-1 alpha-2 codes policy accepts, sorted.
func countries() []string {
	if countryList == nil {
		for a := 'A'; a <= 'Z'; a++ {
			for b := 'A'; b <= 'Z'; b++ {
				if c := string([]rune{a, b}); policy.IsCountry(c) {
					countryList = append(countryList, c)
				}
			}
		}
	}
	return countryList
}

// build partitions every dimension into classes, once all rules have
// registered the constants they compare it with.
func (d *Dim) build() {
	switch d.Kind {
	case EnumDim:
		d.buildEnum()
	case IntDim:
		d.buildInt()
	case IPDim:
		d.buildIP()
	case BoolDim:
		d.Classes = []Class{{Label: "true", rep: vTrue}, {Label: "false", rep: vFalse, zero: true}}
	case MemberDim:
		d.Classes = []Class{
			{Label: "includes " + d.literal, rep: vTrue},
			{Label: "does not include " + d.literal, rep: vFalse, zero: true},
		}
	case PresenceDim:
		d.Classes = []Class{{Label: "present", rep: vTrue}, {Label: "absent", rep: vFalse, zero: true, Missing: true}}
	case AtomDim:
		d.Classes = []Class{{Label: "true", rep: vTrue}, {Label: "false", rep: vFalse}}
		if d.mayErr {
			d.Classes = append(d.Classes, Class{Label: "error", rep: errV})
		}
	}
}

// buildEnum groups the constants by the comparisons they appear in: two
// constants that are in exactly the same sets are alike for every rule.
// Every other value forms one class, and the absent field ("") another.
func (d *Dim) buildEnum() {
	sig := map[string]string{}
	var order []string
	for i, set := range d.sets {
		for _, v := range set {
			if v.k != vString || v.s == "" {
				continue
			}
			if _, seen := sig[v.s]; !seen {
				order = append(order, v.s)
			}
			sig[v.s] += "," + strconv.Itoa(i)
		}
	}
	groups := map[string][]string{}
	var sigs []string
	for _, s := range order {
		if _, ok := groups[sig[s]]; !ok {
			sigs = append(sigs, sig[s])
		}
		groups[sig[s]] = append(groups[sig[s]], s)
	}
	for _, g := range sigs {
		members := groups[g]
		d.Classes = append(d.Classes, Class{Label: strings.Join(members, ", "), Members: members, rep: strV(members[0])})
	}
	if other, ok := d.otherClass(sig); ok {
		d.Classes = append(d.Classes, other)
	}
	d.Classes = append(d.Classes, Class{Label: "absent", Members: []string{""}, Missing: true, zero: true, rep: strV("")})
}

// otherClass is the class of every value no rule names.
func (d *Dim) otherClass(named map[string]string) (Class, bool) {
	if closed := closedSet(d.field); closed != nil {
		var rest []string
		for _, c := range closed {
			if _, ok := named[c]; !ok {
				rest = append(rest, c)
			}
		}
		if len(rest) == 0 {
			return Class{}, false
		}
		label := "any other " + d.Label
		if d.field == "event.request.geoip.countryCode" {
			label = "any other country"
		}
		if len(rest) <= 4 {
			label = strings.Join(rest, ", ")
		}
		c := Class{Label: label, rep: strV(rest[0]), other: true}
		if len(rest) <= 4 {
			c.Members = rest
		}
		return c, true
	}
	rep := "other"
	for _, ok := named[rep]; ok; _, ok = named[rep] {
		rep += "-x"
	}
	return Class{Label: "any other value", rep: strV(rep), other: true}, true
}

// buildInt cuts the integers at every constant compared with the field,
// then merges the intervals on which every comparison agrees.
func (d *Dim) buildInt() {
	lits := map[int64]bool{}
	for _, u := range d.uses {
		lits[u.lit] = true
	}
	var cuts []int64
	for l := range lits {
		cuts = append(cuts, l)
	}
	sort.Slice(cuts, func(i, j int) bool { return cuts[i] < cuts[j] })
	type interval struct{ lo, hi int64 } // inclusive; math bounds for open ends
	const minI, maxI = -1 << 63, 1<<63 - 1
	var ivs []interval
	lo := int64(minI)
	if strings.HasPrefix(d.Path, "size(") {
		lo = 0 // sizes are never negative
	}
	for _, c := range cuts {
		if c < lo {
			continue
		}
		if c > lo {
			ivs = append(ivs, interval{lo, c - 1})
		}
		ivs = append(ivs, interval{c, c})
		if c == maxI {
			lo = maxI
			break
		}
		lo = c + 1
	}
	if len(cuts) == 0 || cuts[len(cuts)-1] < maxI {
		ivs = append(ivs, interval{lo, maxI})
	}
	sigOf := func(iv interval) string {
		s := ""
		for _, u := range d.uses {
			s += call(u.op, []value{intV(repInt(iv.lo, iv.hi)), intV(u.lit)}).key()
		}
		return s
	}
	// Adjacent intervals that every comparison treats alike are one.
	var merged []interval
	var sigs []string
	for _, iv := range ivs {
		s := sigOf(iv)
		if n := len(merged); n > 0 && sigs[n-1] == s {
			merged[n-1].hi = iv.hi
			continue
		}
		merged, sigs = append(merged, iv), append(sigs, s)
	}
	bySig := map[string]int{}
	var parts [][]interval
	for i, iv := range merged {
		if j, ok := bySig[sigs[i]]; ok {
			parts[j] = append(parts[j], iv)
			continue
		}
		bySig[sigs[i]] = len(parts)
		parts = append(parts, []interval{iv})
	}
	for _, p := range parts {
		var labels []string
		c := Class{}
		best := int64(maxI)
		for _, iv := range p {
			labels = append(labels, intervalLabel(iv.lo, iv.hi, minI, maxI))
			r := repInt(iv.lo, iv.hi)
			if abs(r) < abs(best) || (abs(r) == abs(best) && r > best) {
				best = r
			}
			if iv.lo <= 0 && 0 <= iv.hi {
				c.zero = true
			}
		}
		c.Label = strings.Join(labels, " or ")
		c.rep = intV(best)
		d.Classes = append(d.Classes, c)
	}
}

func abs(i int64) int64 {
	if i < 0 {
		return -i
	}
	return i
}

// repInt picks the value of [lo, hi] nearest 0.
func repInt(lo, hi int64) int64 {
	switch {
	case lo <= 0 && 0 <= hi:
		return 0
	case lo > 0:
		return lo
	}
	return hi
}

func intervalLabel(lo, hi, minI, maxI int64) string {
	switch {
	case lo == hi:
		return "= " + i64(lo)
	case lo == minI:
		return "≤ " + i64(hi)
	case hi == maxI:
		return "≥ " + i64(lo)
	}
	return i64(lo) + " to " + i64(hi)
}

func i64(i int64) string { return value{k: vInt, i: i}.String() }
