package engine

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
)

// ReadPlan is the part of an event that a compiled policy can observe, so
// that the decoder builds only that part. A compiled Action reads the
// event only through the typed field reads of its runtime
// (templates/runtime/fields.js): read_string(event, "request.geoip.countryCode")
// walks the objects on the way with an own-property test and a property
// read each, and returns the value at the end of the path; the inline
// form before it, event?.request?.geoip?.countryCode, reads the same
// members of the same objects. So:
//
//   - a value that a read returns (the last field of a path) can be used in
//     any way (iterated, compared, counted, its keys listed: a map of
//     app_metadata, a list of roles), and is built whole;
//   - an object that is only walked through, towards longer paths, is
//     observed only through the members those paths name, and is built
//     with those members alone;
//   - anything that is not an object where the plan expects one is built
//     whole (the read then reports its JSON type, as it would).
//
// An object the policy also uses as a value of its own (for example
// size(dyn(event.client)) or 'admin' in [event.user]) is returned by a read
// of its own path, which the compiled code names as a string literal, or
// for the event itself by rt.root(event): PlanFor finds those in the code
// and builds such objects whole.
type ReadPlan struct {
	Whole bool
	Keys  map[string]*ReadPlan
}

// wholeEvent matches the compiled code's use of the event itself as a
// value.
var wholeEvent = regexp.MustCompile(`\broot\d*\(\s*event\s*\)`)

// PlanFor returns the plan of a compiled policy from the event paths its
// rules read (compile.Result.Fields: dotted, "[]" marking list elements;
// extra holds more paths, such as the fields whose absence is reported),
// or nil, meaning the whole event, when there are none.
func PlanFor(code []byte, fields []string, extra map[string][]string) *ReadPlan {
	if len(fields) == 0 {
		return nil
	}
	root := &ReadPlan{Keys: map[string]*ReadPlan{}}
	add := func(path string) {
		node := root
		for _, seg := range strings.Split(path, ".") {
			for _, name := range splitElems(seg) {
				next := node.Keys[name]
				if next == nil {
					next = &ReadPlan{Keys: map[string]*ReadPlan{}}
					node.Keys[name] = next
				}
				node = next
			}
		}
	}
	for _, f := range fields {
		add(f)
	}
	for _, fs := range extra {
		for _, f := range fs {
			add(f)
		}
	}
	if wholeEvent.Match(code) {
		return nil
	}
	root.settle(code, nil)
	return root
}

// splitElems splits "methods[]" into "methods" and the element marker "[]".
func splitElems(seg string) []string {
	if strings.HasSuffix(seg, "[]") {
		return []string{strings.TrimSuffix(seg, "[]"), "[]"}
	}
	return []string{seg}
}

// settle marks whole the nodes whose values can be observed as values:
// leaves, list elements' lists (a list is always read as a value, then
// indexed or iterated), and objects whose own path (relative to the start
// of its chain: the event or a list element) appears in the code.
func (p *ReadPlan) settle(code []byte, rel []string) {
	for name, sub := range p.Keys {
		if name == "[]" {
			p.Whole = true
			continue
		}
		path := append(append([]string{}, rel...), name)
		switch {
		case len(sub.Keys) == 0:
			sub.Whole = true
		case sub.Keys["[]"] != nil:
			sub.Whole = true
		case namedIn(code, strings.Join(path, ".")):
			sub.Whole = true
		default:
			sub.settle(code, path)
		}
		if sub.Whole {
			sub.Keys = nil
		}
	}
}

// namedIn reports whether code holds path as a string literal, in any of
// the quotes JavaScript printers use.
func namedIn(code []byte, path string) bool {
	for _, q := range []string{strconv.Quote(path), "'" + path + "'", "`" + path + "`"} {
		if bytes.Contains(code, []byte(q)) {
			return true
		}
	}
	return false
}
