package compile

import (
	"fmt"
	"math/rand"
	"net/netip"
	"strings"
	"testing"
)

// ipStrings generates valid, almost valid and invalid address and prefix
// strings: the edge cases of netip's parser plus random token soup.
func ipStrings(n int) []string {
	r := rand.New(rand.NewSource(1))
	fixed := []string{
		"", "1.2.3.4", "1.2.3.04", "01.2.3.4", "0.0.0.0", "255.255.255.255", "256.1.1.1", "1.2.3", "1.2.3.4.5",
		"1..2.3", ".1.2.3", "1.2.3.", "::", "::1", "1::", "::ffff:1.2.3.4", "::ffff:0:0", "::fffe:1.2.3.4",
		"fe80::1%eth0", "fe80::1%", "%eth0", "1::2::3", "2001:DB8::1", "2001:db8:0:0:0:0:0:1", "1:2:3:4:5:6:7:8",
		"1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7::", "::1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8::", "12345::", "::1.2.3.4",
		"1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:7:1.2.3.4", "1:2:3:4:5:1.2.3.4", "::1.2.3", "::1.2.3.04", ":1::", "1:",
		"1.2.3.4/33", "1.2.3.4/32", "1.2.3.4/0", "::/0", "::/128", "::/129", "1.2.3.4/", "1.2.3.4/01", "1.2.3.4/+8",
		"1.2.3.4/-1", "10.1.2.3/8", "fe80::1%eth0/64", "::ffff:1.2.3.4/120", "2001:db8::/32", "2001:db8::1/48",
		"1.2.3.4/8/8", "1.2.3.4 ", " 1.2.3.4", "١.٢.٣.٤", "1.2.3.é", "fe80::1:2:3:4", "ff02::1", "ff12::1",
		"224.0.0.1", "224.0.1.1", "169.254.1.1", "127.0.0.1", "127.255.0.1", "0:0:0:0:0:0:0:1", "0:0::0:0:1",
		"1:0:0:1:0:0:0:1", "1:0:0:0:1:0:0:1", "0:0:1:0:0:1:0:0", "::ffff", "abcd::ABCD", "0x1.2.3.4", "1.2.3.4%x",
	}
	out := append([]string(nil), fixed...)
	tokens := []string{"0", "1", "00", "01", "9", "10", "127", "255", "256", "999", "a", "f", "F", "ff", "ffff", "FFFF",
		"fffff", "0000", "00000", "db8", "2001", "fe80", ":", "::", ":::", ".", "..", "%", "eth0", "/", "/0", "/8",
		"/24", "/32", "/33", "/64", "/128", "/129", "/08", "g", " ", "é", "-", "+"}
	for len(out) < n {
		var b strings.Builder
		switch r.Intn(4) {
		case 0: // token soup
			for k := r.Intn(8) + 1; k > 0; k-- {
				b.WriteString(tokens[r.Intn(len(tokens))])
			}
		case 1: // IPv4-like
			for i := 0; i < 4; i++ {
				if i > 0 {
					b.WriteString(".")
				}
				b.WriteString(fmt.Sprint(r.Intn(300)))
			}
		default: // IPv6-like, with zero runs and maybe an embedded IPv4
			groups := r.Intn(9) + 1
			for i := 0; i < groups; i++ {
				if i > 0 {
					b.WriteString(":")
				}
				if r.Intn(3) == 0 {
					b.WriteString("0")
				} else if r.Intn(8) > 0 {
					b.WriteString(fmt.Sprintf("%x", r.Intn(0x10000)))
				}
			}
			if r.Intn(4) == 0 {
				b.WriteString(fmt.Sprintf(":%d.%d.%d.%d", r.Intn(256), r.Intn(256), r.Intn(256), r.Intn(256)))
			}
		}
		if r.Intn(3) == 0 {
			b.WriteString(fmt.Sprintf("/%d", r.Intn(140)))
		}
		out = append(out, b.String())
	}
	return out
}

func TestNetworkAgreesWithCEL(t *testing.T) {
	exprs := []string{
		"isIP(s) ? [string(ip(s)), ip(s).family(), ip(s).isLoopback(), ip(s).isUnspecified(), ip(s).isGlobalUnicast()," +
			" ip(s).isLinkLocalMulticast(), ip(s).isLinkLocalUnicast(), ip.isCanonical(s), ip(s) == ip(t)] : []",
		"isCIDR(s) ? [string(cidr(s)), string(cidr(s).masked()), cidr(s).prefixLength(), string(cidr(s).ip())," +
			" cidr(s).isMask(), cidr(s) == cidr(s).masked()] : []",
		"cidr(s).containsIP(t)",
		"cidr(s).containsCIDR(t)",
		"cidr(s).containsIP(ip(t))",
	}
	strs := ipStrings(2500)
	r := rand.New(rand.NewSource(2))
	var cases []diffCase
	for _, s := range strs {
		for _, e := range exprs {
			cases = append(cases, diffCase{expr: e, vars: map[string]any{"s": s, "t": strs[r.Intn(len(strs))], "d": nil}})
		}
	}
	checkAgainstCEL(t, cases)
	t.Logf("%d network cases", len(cases))
}

// v6Strings generates IPv6-like strings: groups of hex digits (some empty
// or too long), an ellipsis anywhere, a second one, an embedded IPv4
// address, upper case and zones, around the edges of what parses.
func v6Strings(n int) []string {
	r := rand.New(rand.NewSource(3))
	out := make([]string, 0, n)
	for len(out) < n {
		var parts []string
		for range r.Intn(10) {
			switch k := r.Intn(10); {
			case k < 3:
				parts = append(parts, "0")
			case k < 8:
				parts = append(parts, fmt.Sprintf("%x", r.Intn(0x10000)))
			case k == 8:
				parts = append(parts, "")
			default:
				parts = append(parts, "12345")
			}
		}
		s := strings.Join(parts, ":")
		switch r.Intn(4) {
		case 0:
			at := r.Intn(len(s) + 1)
			s = s[:at] + "::" + s[at:]
		case 1:
			s = "::" + s
		case 2:
			s += "::"
		}
		if r.Intn(4) == 0 {
			s += fmt.Sprintf(":%d.%d.%d.%d", r.Intn(300), r.Intn(256), r.Intn(256), r.Intn(256))
		}
		if r.Intn(10) == 0 {
			s = strings.ToUpper(s)
		}
		if r.Intn(20) == 0 {
			s += "%eth0"
		}
		out = append(out, s)
	}
	return out
}

// v6Edges are the forms the IPv6 parser treats apart: the ellipsis alone,
// first and last, single colons at either end, too many groups, a group
// of five digits, upper case, embedded IPv4 addresses in and out of
// place, and text around them.
var v6Edges = []string{
	"", ":", "::", ":::", "::1", "1::", ":1", "1:", ":1::", "::1:", "1:::2", "1::2::3", ":1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8:",
	"1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8", "1:2:3:4::5:6:7:8", "1:2:3:4:5:6:7:8::",
	"12345::", "::12345", "1:2:3:4:5:6:7:12345", "00000::", "0000::", "ABCD:EF01::", "2001:DB8::1", "aBcD::eF", "g::",
	"::1.2.3.4", "1::1.2.3.4", "::ffff:1.2.3.4", "1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:7:1.2.3.4", "1:2:3:4:5:1.2.3.4",
	"1:2:3:4:5:6::1.2.3.4", "1:2:3:4:5::1.2.3.4", "::1.2.3", "::1.2.3.4.5", "::01.2.3.4", "::256.2.3.4", "1.2::3",
	"::1.2.3.4:5", "::a.2.3.4", "::.1.2.3", "::1.2.3.4.", ":1.2.3.4", "1:1.2.3.4", "::1%eth0", "fe80::1%", " ::1", "::1 ",
	"::\u00a01", "::+1", "::-1", "::0x1", "0x1::", "::1/64", "1:2:3:4:5:6:7:8%z",
}

func TestIPv6AgreesWithCEL(t *testing.T) {
	var cases []diffCase
	valid := 0
	for _, s := range append(v6Edges, v6Strings(6000)...) {
		if _, err := netip.ParseAddr(s); err == nil {
			valid++
		}
		cases = append(cases, diffCase{expr: "isIP(s) ? string(ip(s)) : ''", vars: map[string]any{"s": s, "t": "", "d": nil}})
	}
	checkAgainstCEL(t, cases)
	t.Logf("%d IPv6-like strings, %d of them addresses for Go", len(cases), valid)
}
