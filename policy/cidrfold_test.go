package policy

import (
	"fmt"
	"testing"
)

// TestCIDRExistsAgreesWithTheFold evaluates quantifiers over ranges with
// the evaluator's fast path and as cel-go plans them without it, on
// addresses inside and outside the ranges, strings that are not
// addresses, addresses cel-go refuses, wrong types and absent fields: the
// results, and the errors' texts, must be the same.
func TestCIDRExistsAgreesWithTheFold(t *testing.T) {
	const ranges = `ranges: [203.0.113.0/24, 10.0.0.0/8, "2001:db8:100::/48"]`
	cases := []struct {
		when, lists string
		fast        int // quantifiers the fast path takes
	}{
		{"lists.ranges.exists(r, isIP(event.request.ip) && cidr(r).containsIP(event.request.ip))", ranges, 1},
		{"lists.ranges.exists(r, cidr(r).containsIP(event.request.ip) && isIP(event.request.ip))", ranges, 1},
		{"lists.ranges.exists(r, cidr(r).containsIP(event.request.ip))", ranges, 1},
		{"['192.0.2.0/24', '::/0'].exists(c, isIP(event.request.ip) && cidr(c).containsIP(event.request.ip))", "", 1},
		{"[].exists(c, isIP(event.request.ip) && cidr(c).containsIP(event.request.ip))", "", 1},
		{"lists.empty.exists(r, cidr(r).containsIP(event.request.ip))", "empty: []", 1},
		{"!lists.ranges.exists(r, isIP(event.request.ip) && cidr(r).containsIP(event.request.ip)) && event.request.ip != ''", ranges, 1},
		// Not taken: a range that does not parse, the guard on another
		// field, all() and a test that is not containsIP.
		{"lists.bad.exists(r, isIP(event.request.ip) && cidr(r).containsIP(event.request.ip))", `bad: [10.0.0.0/8, "10.0.0.0/33"]`, 0},
		{"lists.ranges.exists(r, isIP(event.user.email) && cidr(r).containsIP(event.request.ip))", ranges, 0},
		{"lists.ranges.all(r, isIP(event.request.ip) && cidr(r).containsIP(event.request.ip))", ranges, 0},
		{"lists.ranges.exists(r, isIP(event.request.ip) && cidr(r).containsCIDR(event.request.ip + '/32'))", ranges, 0},
	}
	events := []string{
		"",
		`{"request": {}}`,
		`{"request": null}`,
		`{"request": {"ip": null}}`,
		`{"request": {"ip": 17}}`,
		`{"request": {"ip": ["10.1.2.3"]}}`,
		`{"request": {"ip": ""}}`,
		`{"request": {"ip": "not an address"}}`,
		`{"request": {"ip": "10.1.2.3"}}`,
		`{"request": {"ip": "11.1.2.3"}}`,
		`{"request": {"ip": "203.0.113.255"}}`,
		`{"request": {"ip": "203.0.114.0"}}`,
		`{"request": {"ip": "2001:db8:100::1"}}`,
		`{"request": {"ip": "2001:db8:101::1"}}`,
		`{"request": {"ip": "::ffff:10.1.2.3"}}`,
		`{"request": {"ip": "fe80::1%eth0"}}`,
		`{"request": {"ip": "010.1.2.3"}}`,
		`{"request": {"ip": " 10.1.2.3"}}`,
	}
	for _, c := range cases {
		p, rejected := compileCase(t, evalCase{when: c.when, lists: c.lists})
		if rejected != "" {
			t.Fatalf("%s: %s", c.when, rejected)
		}
		toCIDR := cidrBinding(p.env)
		if toCIDR == nil {
			t.Fatal("the network library's cidr() is not bound")
		}
		if got := len(findCIDRExists(p.Rules[0].AST.NativeRep(), p.Lists, toCIDR)); got != c.fast {
			t.Errorf("%s: the fast path takes %d quantifiers, want %d", c.when, got, c.fast)
		}
		e, err := p.NewEvaluator()
		if err != nil {
			t.Fatal(err)
		}
		if e.cidrs != c.fast {
			t.Errorf("%s: %d quantifiers planned on the fast path, want %d", c.when, e.cidrs, c.fast)
		}
		plain, err := p.env.Program(p.Rules[0].AST)
		if err != nil {
			t.Fatal(err)
		}
		for _, ev := range events {
			act := e.activation(decodeEvent(t, ev))
			got, _, gotErr := e.programs[0].Eval(act)
			want, _, wantErr := plain.Eval(act)
			if fmt.Sprint(got) != fmt.Sprint(want) || fmt.Sprint(gotErr) != fmt.Sprint(wantErr) {
				t.Errorf("%s on %s: got %v (%v), cel-go's fold gives %v (%v)", c.when, ev, got, gotErr, want, wantErr)
			}
		}
	}
}
