package input

import (
	"fmt"
	"slices"
	"testing"
)

// walkFind is find without a ref: the walk from the event by name,
// segment by segment, that find's lookup of a resolved path must agree
// with.
func walkFind(l *Located, path []string) (n int, s slot, depth int) {
	for depth, seg := range path {
		if l.slots[n].state != slotObject {
			return n, l.slots[n], depth
		}
		kid := l.tree.kid(n, []byte(seg))
		if kid < 0 {
			return -1, slot{}, depth
		}
		n = kid
	}
	return n, l.slots[n], len(path)
}

// spanPaths include paths that go on below another's leaf (a.b.c.deep,
// x.y), which resolve to nodes the located pass never fills.
var spanPaths = []string{"a.b.c", "a.b.d", "a.e", "user.enrolledFactors", "user.user_id", "user.multifactor", "x", "a.b.c.deep", "x.y"}

// spanRecords replace objects with values and values with objects by
// duplicate keys, the case where a slot below a replaced member must not
// be taken for the value at its path.
var spanRecords = []string{
	`{"a":{"b":{"c":1,"d":"s"},"e":true},"x":null}`,
	`{"a":{"b":{"c":1}},"a":{"b":null}}`,
	`{"a":{"b":{"c":1}},"a":"flat"}`,
	`{"a":"flat","a":{"b":{"d":2}}}`,
	`{"a":{"b":{"c":1},"b":[1]}}`,
	`{"a":{"b":{"c":{"deep":1}}},"a":{"e":0}}`,
	`{"a":{"b":{"c":{"deep":null}}},"x":{"y":"z"}}`,
	`{"a":{"b":{"c":{"other":1}}},"x":{"z":1}}`,
	`{"a":{"b":{"c":"s"}},"x":[{"y":1}]}`,
	`{"user":{"enrolledFactors":[{"type":"otp"}],"user_id":"u"},"user":null}`,
	`{"user":{"user_id":"u"}}`,
	`{"user":7}`,
	`{}`,
}

// knownPaths are the paths spanPaths' tree has: each path and each part
// of one, and the event itself.
var knownPaths = [][]string{nil, {"a"}, {"a", "b"}, {"a", "b", "c"}, {"a", "b", "c", "deep"}, {"a", "b", "d"}, {"a", "e"},
	{"user"}, {"user", "enrolledFactors"}, {"user", "user_id"}, {"user", "multifactor"}, {"x"}, {"x", "y"}}

// unknownPaths are paths it does not have.
var unknownPaths = [][]string{{"a", "zz"}, {"zz", "b"}, {"zz"}, {"a", "b", "c", "other"}, {"x", "z"}, {"a", "b", "c", "deep", "er"}, {"user", "enrolledFactors[]"}, {""}}

// The lookup of a resolved path finds what a fresh walk of the path by
// name finds, at each step of a login (located, factors filled in,
// multifactor derived); and a path is Absent exactly when it is absent
// or null on the way or at the end of the whole record decoded.
func TestResolvedPathsFindWhatTheWalkFinds(t *testing.T) {
	tree := NewFieldTree(spanPaths)
	l := NewLocated(tree)
	refs := make([]int, len(knownPaths))
	for i, p := range knownPaths {
		if refs[i] = tree.Resolve(p); refs[i] < 0 {
			t.Fatalf("%v does not resolve", p)
		}
		if again := tree.Resolve(slices.Clone(p)); again != refs[i] {
			t.Fatalf("%v resolves to %d, then to %d", p, refs[i], again)
		}
		for j := range i {
			if refs[j] == refs[i] {
				t.Fatalf("%v and %v resolve to the same node", knownPaths[j], p)
			}
		}
	}
	check := func(what string) {
		t.Helper()
		whole, _ := l.Tree(nil)
		for i, p := range knownPaths {
			gn, gs, gd := l.find(refs[i])
			wn, ws, wd := walkFind(l, p)
			if gn != wn || gs.state != ws.state || string(gs.raw) != string(ws.raw) || gd != wd {
				t.Errorf("%s %v: find (%d %d %q %d), walk (%d %d %q %d)", what, p, gn, gs.state, gs.raw, gd, wn, ws.state, ws.raw, wd)
			}
			if got, want := l.Absent(refs[i]), IsAbsent(whole, p); got != want {
				t.Errorf("%s %v: Absent %v, the decoded record says %v", what, p, got, want)
			}
			raw := ""
			if wd == len(p) && ws.state == slotValue {
				raw = string(ws.raw)
			}
			if got := string(l.rawAt(refs[i])); got != raw {
				t.Errorf("%s %v: raw %q, the walk finds %q", what, p, got, raw)
			}
		}
	}
	for _, rec := range spanRecords {
		if !l.Locate([]byte(rec)) {
			t.Fatalf("%s not located", rec)
		}
		check(rec)
		l.Fill([]string{"otp"}, EnrolledJSON([]string{"otp"}))
		check(rec + " filled")
		l.DeriveMultifactor()
		check(rec + " derived")
	}
}

// The keys of a resolved path are equal on two records exactly when the
// walk finds the same there; a path the tree does not have resolves to
// -1, which is absent, holds no string, and has a key equal to no other.
func TestResolvedKeys(t *testing.T) {
	tree := NewFieldTree(spanPaths)
	type found struct {
		state uint8
		raw   string
		depth int
	}
	keys := make([][]string, len(spanRecords))
	walks := make([][]found, len(spanRecords))
	for r, rec := range spanRecords {
		l := NewLocated(tree)
		if !l.Locate([]byte(rec)) {
			t.Fatalf("%s not located", rec)
		}
		for _, p := range knownPaths {
			keys[r] = append(keys[r], string(l.AppendKey([]byte("k"), tree.Resolve(p))))
			_, s, depth := walkFind(l, p)
			walks[r] = append(walks[r], found{s.state, string(s.raw), depth})
		}
		seen := map[string]bool{}
		for _, p := range unknownPaths {
			ref := tree.Resolve(p)
			if ref != -1 {
				t.Fatalf("%v resolves to %d", p, ref)
			}
			if !l.Absent(ref) {
				t.Errorf("%s %v: not absent", rec, p)
			}
			if s, ok := l.PlainString(ref); ok {
				t.Errorf("%s %v: string %q", rec, p, s)
			}
			for range 2 {
				k := string(l.AppendKey(nil, ref))
				if seen[k] {
					t.Errorf("%s %v: key %q twice", rec, p, k)
				}
				seen[k] = true
			}
		}
	}
	for a := range spanRecords {
		for b := range spanRecords {
			for i, p := range knownPaths {
				if same := keys[a][i] == keys[b][i]; same != (walks[a][i] == walks[b][i]) {
					t.Errorf("%v in %s and %s: keys equal %v, walks equal %v", p, spanRecords[a], spanRecords[b], same, !same)
				}
			}
		}
	}
}

// A ref is the path's node, not the path: changing the slice afterwards
// changes nothing, and PlainString hands out the bytes of a plain string
// only.
func TestRefsAreNodes(t *testing.T) {
	tree := NewFieldTree(spanPaths)
	l := NewLocated(tree)
	if !l.Locate([]byte(`{"a":{"b":{"c":"C","d":"D\\u00e9"},"e":"E"}}`)) {
		t.Fatal("not located")
	}
	buf := []string{"a", "b", "c"}
	c := tree.Resolve(buf)
	buf[2] = "d"
	d := tree.Resolve(buf)
	buf[2] = "zz"
	if s, ok := l.PlainString(c); !ok || s != "C" {
		t.Errorf("a.b.c: %q %v, want C", s, ok)
	}
	if s, ok := l.PlainString(d); ok {
		t.Errorf("a.b.d has an escape: %q handed out", s)
	}
	if got := string(l.rawAt(d)); got != `"D\\u00e9"` {
		t.Errorf("a.b.d: %s", got)
	}
	if s, ok := l.PlainString(tree.Resolve([]string{"a", "b"})); ok {
		t.Errorf("a.b is an object: %q handed out", s)
	}
}

// The strings the located pass keeps of the probe lists are those a scan
// of the list afterwards finds (eachElementString), and reading the lists
// that way accepts and rejects the records Skip does.
func TestListTextsAgreeWithTheScan(t *testing.T) {
	probe := NewFieldTree(append(append([]string{}, ProbeFields...), ProbeLists...))
	plain := NewFieldTree([]string{"user.user_id"}) // the lists skipped
	lists := []string{
		`[]`, `[ ]`, `null`, `7`, `"otp"`, `{"type":"otp"}`,
		`[{"type":"otp"},{"type":"sms"}]`,
		`[ {"type" : "otp" } , 1, "x", null, [{"type":"no"}], {"kind":"otp"}, {} ]`,
		`[{"type":"otp","type":"sms"}]`,
		`[{"type":"otp","type":5}]`,
		`[{"type":5,"type":"sms"}]`,
		`[{"t\u0079pe":"escaped key"},{"typ\u00e9":"not it"}]`,
		`[{"type":"\u00e9\n\ud83d\ude00"},{"type":"\ud800"},{"type":"caf\u00e9"}]`,
		`[{"type":{"type":"inner"}},{"x":{"type":"inner"},"type":"outer"}]`,
		`[{"timestamp":"2026-10-05T04:59:33.031Z","type":"otp"}]`,
		// Not JSON: rejected whichever way the list is read.
		`[1,]`, `[{"type":"otp",}]`, `[{"type" "otp"}]`, `[{"type":"\x"}]`, `[{"t\ype":1}]`,
		`[{"type":"otp"}`, `[{"type":"otp"]`, `[{type:"otp"}]`, `[{"type":"a` + "\x01" + `"}]`, `[01]`,
	}
	for _, list := range lists {
		for _, rec := range []string{
			`{"user":{"enrolledFactors":` + list + `},"authentication":{"methods":` + list + `}}`,
			`{"user":{"enrolledFactors":[{"type":"first"}],"enrolledFactors":` + list + `}}`,
			`{"user":{"enrolledFactors":` + list + `,"enrolledFactors":[{"type":"last"}]}}`,
			`{"user":{"enrolledFactors":` + list + `},"user":{"user_id":"u"}}`,
		} {
			l := NewLocated(probe)
			ok := l.Locate([]byte(rec))
			if want := NewLocated(plain).Locate([]byte(rec)); ok != want {
				t.Errorf("%s: located %v, skipped %v", rec, ok, want)
			}
			if !ok {
				continue
			}
			for i, pl := range probeLists {
				for _, keep := range []bool{false, true} {
					var kept, scanned []string
					l.eachListString(func(s string) { kept = append(kept, s) }, keep, i)
					l.eachElementString(func(s string) { scanned = append(scanned, s) }, keep, pl.member, l.probe.lists[i])
					if fmt.Sprintf("%q", kept) != fmt.Sprintf("%q", scanned) {
						t.Errorf("%s %s: kept %q, scanned %q", rec, pl.path, kept, scanned)
					}
				}
			}
		}
	}
}
