package fidelity

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// rangeConditions are quantifiers over constant address ranges, which
// cel-go (policy/cidrfold.go) and the compiled Action (rt.cidr_exists)
// both decide from the address alone when it is one, and otherwise as
// written: guarded on either side, unguarded, over a literal, over a list
// with a range that does not parse, negated, and inside another
// quantifier.
var rangeConditions = []string{
	`lists.ranges.exists(r, isIP(event.request.ip) && cidr(r).containsIP(event.request.ip))`,
	`lists.ranges.exists(r, cidr(r).containsIP(event.request.ip) && isIP(event.request.ip))`,
	`lists.ranges.exists(r, cidr(r).containsIP(event.request.ip))`,
	`['10.0.0.0/9', '2001:db8::/121', '203.0.113.7/32'].exists(r, isIP(event.request.ip) && cidr(r).containsIP(event.request.ip))`,
	`lists.broken.exists(r, isIP(event.request.ip) && cidr(r).containsIP(event.request.ip))`,
	`lists.broken.exists(r, cidr(r).containsIP(event.request.ip))`,
	`!lists.ranges.exists(r, cidr(r).containsIP(event.request.ip)) || event.request.geoip.countryCode == 'US'`,
	`event.authorization.roles.exists(x, x == 'admin' && lists.ranges.exists(r, isIP(event.request.ip) && cidr(r).containsIP(event.request.ip)))`,
	`lists.empty.exists(r, cidr(r).containsIP(event.request.ip))`,
	`lists.wide.exists(r, isIP(event.request.ip) && cidr(r).containsIP(event.request.ip))`,
	`lists.all.exists(r, cidr(r).containsIP(event.request.ip))`,
	`isIP(event.request.ip)`,
	`lists.wide.exists(r, cidr(r).containsIP(event.request.ip)) != (ip('10.0.0.1') == ip(event.request.ip)) || lists.ranges.exists(r, cidr(r).containsIP(event.request.ip))`,
	`string(ip(event.request.ip)) in ['2001:db8::1', '::', '::1', '1::', '1:2:3:4:5:6:7:8', '::102:304', '1:2:3:4:5:6:102:304', '10.0.0.1']`,
}

// rangeAddresses are request.ip values around the ranges' edges, and
// values that are not addresses at all.
var rangeAddresses = []any{
	"10.0.0.1", "10.127.255.255", "10.128.0.0", "11.0.0.1", "192.168.3.4", "192.169.0.1", "203.0.113.7", "203.0.113.8",
	"0.0.0.0", "255.255.255.255", "2001:db8::1", "2001:db8::7f", "2001:db8::80", "2001:db9::1", "::1", "::",
	"::ffff:10.0.0.1", "fe80::1%eth0", "10.0.0", "010.0.0.1", "1.2.3.4 ", "", "not an address", "2001:DB8::1",
	7, 10.5, true, nil, []any{"10.0.0.1"}, map[string]any{"v": "10.0.0.1"},
	// Where the sign bit of a 32-bit word is set, the edges of a /1, /10
	// and /12, and a /32 at the top.
	"128.0.0.0", "127.255.255.255", "255.255.255.254", "172.16.0.0", "172.31.255.255", "172.32.0.0", "100.64.0.0",
	"100.127.255.255", "100.128.0.0", "200.1.2.3",
	// IPv6 forms the parser treats apart, valid and not.
	"1::", "::2", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:8::", ":1::", "::1:", "1:", ":1",
	"1:::2", "1::2::3", "12345::", "::12345", "2001:DB8:0:0:0:0:0:1", "::1.2.3.4", "1:2:3:4:5:6:1.2.3.4",
	"1:2:3:4:5:6:7:1.2.3.4", "1:2:3:4:5:6::1.2.3.4", "::ffff:1.2.3.4", "::1.2.3", "::01.2.3.4", "1.2::3", "::1.2.3.4:5",
	"::+1", "::0x1", " ::1", "::1 ",
}

// TestAddressRangesAgree decides the rangeConditions on every address of
// rangeAddresses (and on an event without one) in cel-go, goja and
// Node.js: the fast paths must answer as the quantifiers they stand for,
// errors included.
func TestAddressRangesAgree(t *testing.T) {
	var events [][]byte
	var decoded []any
	add := func(ev map[string]any) {
		line, err := json.Marshal(ev)
		if err != nil {
			t.Fatal(err)
		}
		var v any
		if err := json.Unmarshal(line, &v); err != nil {
			t.Fatal(err)
		}
		events, decoded = append(events, line), append(decoded, v)
	}
	for i, ip := range rangeAddresses {
		add(map[string]any{"request": map[string]any{"ip": ip, "geoip": map[string]any{"countryCode": []string{"US", "DE"}[i%2]}},
			"authorization": map[string]any{"roles": []any{"admin"}}})
	}
	add(map[string]any{"request": map[string]any{}, "authorization": map[string]any{"roles": []any{"admin"}}})
	add(map[string]any{"request": "10.0.0.1"})
	var cases []*Case
	for i, cond := range rangeConditions {
		src := fmt.Sprintf("name: ranges%d\non_error: deny\nlists:\n  ranges: [10.0.0.0/9, 192.168.0.0/16, \"2001:db8::/121\", 203.0.113.7/32]\n"+
			"  broken: [10.0.0.0/9, not-a-range]\n  empty: []\n"+
			"  wide: [128.0.0.0/1, 255.255.255.255/32, 172.16.0.0/12, 100.64.0.0/10, \"1::/16\", \"::/127\"]\n"+
			"  all: [0.0.0.0/0, \"::/0\"]\nrules:\n  - id: r\n    when: %s\n    then: challenge\n    factors: [otp]\ndefault: allow\n",
			i, yamlString(cond))
		c, err := NewCase(src)
		if err != nil {
			t.Fatalf("%v\n%s", err, src)
		}
		if strings.Contains(cond, ".exists(r,") && !strings.Contains(cond, "broken") && !strings.Contains(cond, "empty") &&
			!strings.Contains(string(c.Code), "cidr_exists(") {
			t.Errorf("condition %d: the compiled Action has no fast path:\n%s", i, cond)
		}
		cases = append(cases, c)
	}
	nodeVerdicts, err := Node(t.TempDir(), cases, events)
	if err != nil {
		t.Fatal(err)
	}
	outcomes := map[string]int{}
	for i, c := range cases {
		gojaVerdicts, err := c.Goja(events)
		if err != nil {
			t.Fatalf("condition %d: %v", i, err)
		}
		for j, ev := range decoded {
			ref := c.Reference(ev)
			if why := Compare(ref, gojaVerdicts[j], nodeVerdicts[i][j]); why != "" {
				t.Fatalf("condition %d on %s: %s\n%s", i, events[j], why, c.Source)
			}
			outcomes[fmt.Sprintf("%s/%v", ref.Outcome, ref.Errored)]++
		}
	}
	if len(outcomes) < 3 {
		t.Errorf("the cases reach too few outcomes: %v", outcomes)
	}
	t.Logf("%d condition × event cases agree: %v", len(cases)*len(events), outcomes)
}
