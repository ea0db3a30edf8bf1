package simulate

import (
	"fmt"
	"strings"
	"testing"

	"github.com/mfapolicy/mfapolicy/simulate/input"
)

// A player keeps the sets of absent fields and the missing-field lists it
// made, by the absent fields as bits: on events lacking every combination
// of the rules' fields, with and without assumed factors filled in and
// with event.user.multifactor derived, they are what the fields' absence
// and missingFor give, for every deciding rule, the first time and from
// what was kept.
func TestPlayerKeepsMissingFields(t *testing.T) {
	ruleFields := map[string][]string{
		"a": {"request.geoip.countryCode", "request.ip"},
		"b": {"user.enrolledFactors", "request.ip", "stats.logins_count"},
		"m": {multifactorField, "stats.logins_count"},
	}
	var fields []string
	for _, fs := range ruleFields {
		fields = append(fields, fs...)
	}
	members := []string{`"request":{"geoip":{"countryCode":"US"},"ip":"1"}`, `"stats":{"logins_count":1}`,
		`"user":{"enrolledFactors":[],"multifactor":["guardian"]}`, `"user":{"multifactor":null}`}
	for _, rules := range [][]string{{"a", "b", "m"}, nil} {
		tree := input.NewFieldTree(fields)
		pl := &player{paths: fieldPaths(ruleFields, tree), opts: Options{Rules: rules, RuleFields: ruleFields}}
		loc := input.NewLocated(tree)
		for round := range 2 {
			for bits := 0; bits < 1<<len(members); bits++ {
				var parts []string
				for i, m := range members {
					if bits&(1<<i) != 0 {
						parts = append(parts, m)
					}
				}
				event := "{" + strings.Join(parts, ",") + "}"
				if !loc.Locate([]byte(event)) { // two "user" members: the last wins
					t.Fatalf("%s: not located", event)
				}
				parsed, err := tokenValue([]byte(event))
				if err != nil {
					t.Fatal(err)
				}
				for _, filled := range []bool{false, true} {
					k := known{}
					if filled {
						k.fill = []string{"otp"}
					}
					at := fmt.Sprintf("round %d, rules %v, %s filled=%v", round+1, rules, event, filled)
					want := map[string]bool{}
					for _, f := range pl.paths {
						if (!filled || f.name != assumedField) && input.IsAbsent(parsed, strings.Split(f.name, ".")) {
							want[f.name] = true
						}
					}
					a := pl.absent(loc, true, k)
					if absentList(a.set) != absentList(want) {
						t.Fatalf("%s: absent %q, want %q", at, absentList(a.set), absentList(want))
					}
					d := pl.derivedPresent(a)
					if absentList(d.set) != absentList(derivedPresent(want)) {
						t.Fatalf("%s: derived %q, want %q", at, absentList(d.set), absentList(derivedPresent(want)))
					}
					for _, rule := range []string{"a", "b", "m", ""} {
						if got, w := strings.Join(pl.missing(rule, a), " "), strings.Join(missingFor(rules, ruleFields, rule, want), " "); got != w {
							t.Fatalf("%s, rule %q: missing %q, want %q", at, rule, got, w)
						}
						if got, w := strings.Join(pl.missing(rule, d), " "), strings.Join(missingFor(rules, ruleFields, rule, derivedPresent(want)), " "); got != w {
							t.Fatalf("%s, rule %q, derived: missing %q, want %q", at, rule, got, w)
						}
					}
				}
			}
		}
	}
}
