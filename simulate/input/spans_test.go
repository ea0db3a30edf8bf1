package input

import (
	"fmt"
	"strings"
	"testing"
)

// walkFind is find without the resolved paths: the walk from the event
// by name, segment by segment, that find's one index must agree with.
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

var spanPaths = []string{"a.b.c", "a.b.d", "a.e", "user.enrolledFactors", "user.user_id", "user.multifactor", "x"}

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
	`{"user":{"enrolledFactors":[{"type":"otp"}],"user_id":"u"},"user":null}`,
	`{"user":{"user_id":"u"}}`,
	`{"user":7}`,
	`{}`,
}

func TestFindAgreesWithTheWalk(t *testing.T) {
	tree := NewFieldTree(spanPaths)
	l := NewLocated(tree)
	paths := [][]string{nil, {"a"}, {"a", "b"}, {"a", "b", "c"}, {"a", "b", "c", "deep"}, {"a", "b", "d"}, {"a", "e"},
		{"a", "zz"}, {"zz", "b"}, {"user"}, {"user", "enrolledFactors"}, {"user", "multifactor"}, {"x"}, {"x", "y"}}
	check := func(what string) {
		t.Helper()
		for _, p := range paths {
			gn, gs, gd := l.find(p)
			wn, ws, wd := walkFind(l, p)
			if gn != wn || gs.state != ws.state || string(gs.raw) != string(ws.raw) || gd != wd {
				t.Errorf("%s %v: find (%d %d %q %d), walk (%d %d %q %d)", what, p, gn, gs.state, gs.raw, gd, wn, ws.state, ws.raw, wd)
			}
			if got, want := l.Absent(p), walkAbsent(l, p); got != want {
				t.Errorf("%s %v: Absent %v, the walk says %v", what, p, got, want)
			}
		}
	}
	for _, rec := range spanRecords {
		if !l.Locate([]byte(rec)) {
			t.Fatalf("%s not located", rec)
		}
		check(rec)
		l.Fill([]string{"otp"}, EnrolledJSON([]string{"otp"}))
		l.DeriveMultifactor()
		check(rec + " filled")
	}
}

// walkAbsent is Absent on walkFind.
func walkAbsent(l *Located, path []string) bool {
	n, s, depth := walkFind(l, path)
	return l.absentFound(path, n, s, depth)
}

// A path slice whose segments change in place, or a new slice where an
// old one was, is resolved again: refs are told apart by their segments,
// not only by the slice's address.
func TestRefsFollowTheSegments(t *testing.T) {
	l := NewLocated(NewFieldTree(spanPaths))
	if !l.Locate([]byte(`{"a":{"b":{"c":"C","d":"D"},"e":"E"}}`)) {
		t.Fatal("not located")
	}
	buf := []string{"a", "b", "c"}
	for _, seg := range []string{"c", "d", "zz", "c"} {
		buf[2] = seg
		got := string(l.rawAt(buf))
		want := map[string]string{"c": `"C"`, "d": `"D"`, "zz": ""}[seg]
		if got != want {
			t.Errorf("a.b.%s: %q, want %q", seg, got, want)
		}
	}
	// Many paths, made anew for each lookup, outgrow the table, which
	// is emptied; every lookup still finds its own path.
	for i := 0; i < 1000; i++ {
		seg := []string{"c", "d"}[i%2]
		path := strings.Split(fmt.Sprintf("a.b.%s", seg), ".")
		if got, want := string(l.rawAt(path)), `"`+strings.ToUpper(seg)+`"`; got != want {
			t.Fatalf("lookup %d of a.b.%s: %q, want %q", i, seg, got, want)
		}
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
