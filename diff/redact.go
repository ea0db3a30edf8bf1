package diff

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"net/netip"
)

// NewKey returns a random key for Redact: pseudonyms are stable within one
// report and cannot be linked across reports.
func NewKey() []byte {
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	return key
}

// Redact returns a copy of the report whose examples show a keyed hash of
// each user id ("u_" and 12 hex digits of HMAC-SHA-256) and the network of
// each IP address (/24 for IPv4, /48 for IPv6) instead of the raw values,
// for pull-request comments and CI annotations that many people read.
func (r *Report) Redact(key []byte) *Report {
	out := *r
	out.Redacted = true
	out.Transitions = make([]Transition, len(r.Transitions))
	for i, t := range r.Transitions {
		t.Examples = append([]Example(nil), t.Examples...)
		for j := range t.Examples {
			t.Examples[j].User = PseudonymizeUser(key, t.Examples[j].User)
			t.Examples[j].IP = TruncateIP(t.Examples[j].IP)
		}
		out.Transitions[i] = t
	}
	return &out
}

// PseudonymizeUser returns the keyed hash of a user id, "" for "".
func PseudonymizeUser(key []byte, user string) string {
	if user == "" {
		return ""
	}
	m := hmac.New(sha256.New, key)
	m.Write([]byte(user))
	return "u_" + hex.EncodeToString(m.Sum(nil))[:12]
}

// TruncateIP returns the /24 (IPv4) or /48 (IPv6) network of an address,
// or "(not an IP)" when it does not parse.
func TruncateIP(ip string) string {
	if ip == "" {
		return ""
	}
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return "(not an IP)"
	}
	a = a.Unmap()
	bits := 48
	if a.Is4() {
		bits = 24
	}
	p, _ := a.Prefix(bits)
	return p.String()
}
