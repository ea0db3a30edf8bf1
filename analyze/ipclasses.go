package analyze

import (
	"net/netip"
	"sort"
	"strings"
)

// buildIP partitions addresses by the CIDR constants the rules test them
// against. Prefixes are either nested or disjoint, so an address belongs
// to the chain of prefixes down to the deepest one holding it: one class
// per prefix that its nested prefixes do not cover, one for the addresses
// outside them all, and one for a field that is absent or not an address.
// Classes that every test treats alike are merged.
func (d *Dim) buildIP() {
	seen := map[netip.Prefix]bool{}
	var prefixes []netip.Prefix
	for _, c := range d.cidrs {
		p, err := parseCIDR(c)
		if err != nil {
			continue
		}
		if p = p.Masked(); !seen[p] {
			seen[p] = true
			prefixes = append(prefixes, p)
		}
	}
	sort.Slice(prefixes, func(i, j int) bool {
		if prefixes[i].Bits() != prefixes[j].Bits() {
			return prefixes[i].Bits() < prefixes[j].Bits()
		}
		return prefixes[i].Addr().Less(prefixes[j].Addr())
	})
	type cand struct {
		label string
		rep   string
		other bool
	}
	var cands []cand
	roots := []netip.Prefix{netip.MustParsePrefix("0.0.0.0/0"), netip.MustParsePrefix("::/0")}
	for i, root := range roots {
		if seen[root] {
			continue
		}
		if a, ok := uncovered(root, prefixes); ok {
			cands = append(cands, cand{[]string{"any other IPv4 address", "any other IPv6 address"}[i], a.String(), true})
		}
	}
	for _, p := range prefixes {
		if a, ok := uncovered(p, prefixes); ok {
			cands = append(cands, cand{"in " + p.String(), a.String(), false})
		}
	}
	bySig := map[string]int{}
	for _, c := range cands {
		s := d.ipSig(c.rep)
		if i, ok := bySig[s]; ok {
			d.Classes[i].Label += ", " + c.label
			d.Classes[i].other = d.Classes[i].other || c.other
			continue
		}
		bySig[s] = len(d.Classes)
		d.Classes = append(d.Classes, Class{Label: c.label, rep: strV(c.rep), other: c.other})
	}
	for i := range d.Classes {
		if strings.Count(d.Classes[i].Label, "any other") == 2 {
			d.Classes[i].Label = "any other address"
		}
	}
	d.Classes = append(d.Classes, Class{Label: "absent or not an IP address", rep: strV(""), zero: true, Missing: true})
}

// ipSig is what every test of the field makes of the address s.
func (d *Dim) ipSig(s string) string {
	sig := call("isIP", []value{strV(s)}).key()
	for _, c := range d.cidrs {
		sig += containsIP(call("cidr", []value{strV(c)}), strV(s)).key()
	}
	return sig
}

// uncovered finds an address of p outside every prefix strictly inside
// p, if there is one.
func uncovered(p netip.Prefix, all []netip.Prefix) (netip.Addr, bool) {
	var inner []netip.Prefix
	for _, q := range all {
		if q.Addr().Is4() == p.Addr().Is4() && q.Bits() > p.Bits() && p.Contains(q.Addr()) {
			inner = append(inner, q)
		}
	}
	// Prefer an address people read as an ordinary one.
	for _, s := range []string{"198.51.100.7", "2001:db8:ffff::7"} {
		a := netip.MustParseAddr(s)
		if p.Contains(a) && !inAny(a, inner) {
			return a, true
		}
	}
	if a := p.Addr().Next(); a.IsValid() && p.Contains(a) && !inAny(a, inner) {
		return a, true
	}
	return search(p, inner)
}

func inAny(a netip.Addr, ps []netip.Prefix) bool {
	for _, p := range ps {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// search descends the halves of p looking for an address that no prefix
// of inner holds.
func search(p netip.Prefix, inner []netip.Prefix) (netip.Addr, bool) {
	var here []netip.Prefix
	for _, q := range inner {
		if q.Bits() >= p.Bits() && p.Contains(q.Addr()) {
			if q.Bits() == p.Bits() {
				return netip.Addr{}, false
			}
			here = append(here, q)
		}
	}
	if len(here) == 0 {
		return p.Addr(), true
	}
	for _, half := range halves(p) {
		if a, ok := search(half, here); ok {
			return a, true
		}
	}
	return netip.Addr{}, false
}

// halves splits p into its two prefixes one bit longer.
func halves(p netip.Prefix) []netip.Prefix {
	lo := netip.PrefixFrom(p.Addr(), p.Bits()+1)
	b := p.Addr().AsSlice()
	bit := p.Bits()
	b[bit/8] |= 0x80 >> (bit % 8)
	hiAddr, _ := netip.AddrFromSlice(b)
	return []netip.Prefix{lo, netip.PrefixFrom(hiAddr, p.Bits()+1)}
}
