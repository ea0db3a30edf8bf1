package input

import (
	"encoding/json"
	"errors"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"

	"github.com/mfapolicy/mfapolicy/simulate/internal/jsonscan"
)

// FieldTree is the set of event paths a worker locates in each record:
// the paths the policy reads, those whose absence is reported, and the
// simulator's own (ProbeFields). A path that is read as a value ends at a
// leaf, whose bytes are kept whole; the objects on the way are walked.
//
// The tree is made once per run, and so are the paths looked up in each
// record: Resolve turns a path into a ref, the number of its node, which
// the lookups of a Located (AppendKey, PlainString, Absent) take without
// walking the names again.
type FieldTree struct {
	nodes []fieldNode // nodes[0] is the event itself
}

type fieldNode struct {
	name string
	leaf bool
	// below is set for a node under a leaf (a path that goes on past a
	// value read whole): the located pass never fills its slot, and a
	// lookup of it finds the leaf (find).
	below bool
	kids  []int // the members below it, in the order the paths named them
	// names are the names of the kids the located pass looks for (none
	// for a leaf and below one), and lens has bit min(len, 63) set for
	// each: most members of a record are not looked for, and are told
	// apart by their length alone.
	names []string
	lens  uint64
	// desc is one past the last node below this one: nodes are numbered
	// depth first, so the descendants of n are n+1 .. desc-1.
	desc int
	// parent is the node above (-1 for the event), depth the number of
	// segments of path, the node's path from the event.
	parent int32
	depth  int32
	path   []string
	// list is 1 + the index in probeLists of the list at this leaf, whose
	// elements' strings the located pass keeps; 0 for any other node.
	list int
}

// NewFieldTree builds the tree of dotted paths ("[]" and what follows it
// is dropped: a list is a leaf). A path that goes on past another path's
// end has nodes of its own below that leaf, so that it resolves.
func NewFieldTree(paths []string) *FieldTree {
	type build struct {
		leaf bool
		kids map[string]*build
		keys []string
	}
	root := &build{kids: map[string]*build{}}
	for _, p := range paths {
		if i := strings.Index(p, "[]"); i >= 0 {
			p = p[:i]
		}
		node := root
		for _, seg := range strings.Split(p, ".") {
			next := node.kids[seg]
			if next == nil {
				next = &build{kids: map[string]*build{}}
				node.kids[seg] = next
				node.keys = append(node.keys, seg)
			}
			node = next
		}
		node.leaf = true
	}
	t := &FieldTree{}
	var add func(name string, b *build, parent int, path []string, below bool) int
	add = func(name string, b *build, parent int, path []string, below bool) int {
		id := len(t.nodes)
		t.nodes = append(t.nodes, fieldNode{name: name, leaf: b.leaf && parent >= 0, below: below,
			parent: int32(parent), depth: int32(len(path)), path: path})
		for _, k := range b.keys {
			kid := add(k, b.kids[k], id, append(path[:len(path):len(path)], k), below || t.nodes[id].leaf)
			t.nodes[id].kids = append(t.nodes[id].kids, kid)
		}
		t.nodes[id].desc = len(t.nodes)
		return id
	}
	add("", root, -1, nil, false)
	for i := range t.nodes {
		n := &t.nodes[i]
		if n.leaf || n.below {
			continue
		}
		for _, k := range n.kids {
			name := t.nodes[k].name
			n.names = append(n.names, name)
			n.lens |= 1 << min(len(name), 63)
		}
	}
	for i, pl := range probeLists {
		if n := t.node(pl.path); n >= 0 && t.nodes[n].leaf && !t.nodes[n].below {
			t.nodes[n].list = i + 1
		}
	}
	return t
}

// kid returns the member of node n named name that the located pass looks
// for, -1 when n has none.
func (t *FieldTree) kid(n int, name []byte) int {
	node := &t.nodes[n]
	if node.lens&(1<<min(len(name), 63)) == 0 {
		return -1
	}
	for i, k := range node.names {
		if k == string(name) {
			return node.kids[i]
		}
	}
	return -1
}

// Resolve returns the ref of path (split at the dots): the number of its
// node, which a Located's lookups take. It is -1 when the tree does not
// have the path (it was not among the tree's paths, nor a part of one),
// and a lookup of -1 finds nothing there: absent, and a key equal to no
// other. A ref holds nothing of path: the slice may change afterwards.
func (t *FieldTree) Resolve(path []string) int {
	n := 0
	for _, seg := range path {
		next := -1
		for _, k := range t.nodes[n].kids {
			if t.nodes[k].name == seg {
				next = k
				break
			}
		}
		if next < 0 {
			return -1
		}
		n = next
	}
	return n
}

// node returns the node of a dotted path, -1 when the tree does not have it.
func (t *FieldTree) node(path string) int {
	return t.Resolve(strings.Split(path, "."))
}

// slot is what a record holds at one node: nothing (absent), an object
// that was walked, or a value whose bytes are kept (a leaf's value, or
// anything other than an object where the path expected one).
type slot struct {
	state uint8
	raw   []byte
}

const (
	slotAbsent uint8 = iota
	slotObject
	slotValue
)

// Located is one record's slots: where each node's value is, as bytes of
// the record. It reads the record once, checking all of it as strictly as
// JSON.parse does, and decodes nothing: values are decoded when they are
// asked for (Tree, the probe facts), and compared as bytes (AppendKey).
// Its slots are valid until the next record.
type Located struct {
	jsonscan.Scanner
	tree  *FieldTree
	slots []slot
	// dec decodes values on demand.
	dec *Projector
	// filled is the assumed enrolled-factor list fill put in, for Tree(nil).
	filled []string
	// mf is what DeriveMultifactor put at user.multifactor, for Tree(nil).
	mf Multifactor
	// mfOf remembers the derivation from each enrolled-factor list's
	// bytes: logins repeat few lists.
	mfOf  map[string]Multifactor
	nonce uint64
	// login numbers the logins located, for Login.
	login uint64
	// probe holds the nodes of the fields parseLocated reads.
	probe probeNodes
	// lists are the element strings of the probe lists (probeLists),
	// kept by the located pass.
	lists [len(probeLists)]listTexts
	// index holds the members of every object walked (its Objects are
	// the tree's nodes), for the decoder that builds the event in goja
	// (engine.Decoder.BuildIndexed); its Data is nil unless the record
	// located is valid.
	index jsonscan.Index
	// stopAtLog makes the record being located stop at a log marker
	// (locateEvent).
	stopAtLog bool
	// Indexed is set when the index is kept, as it is unless a lane that
	// replays by decision class turns it off (simulate's lane.inGoja): few of its
	// logins are built in goja, and their decoder scans the record itself.
	Indexed bool
}

func NewLocated(t *FieldTree) *Located {
	return &Located{tree: t, slots: make([]slot, len(t.nodes)), dec: NewProjector(), Indexed: true,
		index: jsonscan.Index{Objects: make([]jsonscan.Object, len(t.nodes))}, probe: t.probeNodes()}
}

// IndexOf returns where the members of the objects walked are in data,
// nil unless data is the valid record located last.
func (l *Located) IndexOf(data []byte) *jsonscan.Index {
	return l.index.For(data)
}

// Locate reads a record; false when it is not a valid JSON object.
func (l *Located) Locate(data []byte) bool { return l.locate(data, false) }

// locateEvent is Locate for parseLocated, which hands tenant log records
// to parseRecord: it is false at the first top-level member that makes
// the record one (logMarker), instead of locating the rest of a record
// that is not an event.
func (l *Located) locateEvent(data []byte) bool { return l.locate(data, true) }

// errLogRecord stops locateEvent at a member that makes the record a
// tenant log record.
var errLogRecord = errors.New("a tenant log record")

func (l *Located) locate(data []byte, stopAtLog bool) bool {
	l.Scanner = jsonscan.Scanner{Data: data, U16: l.U16}
	l.stopAtLog = stopAtLog
	l.dec.Reset()
	l.filled = nil
	l.mf = MultifactorKept
	l.login++
	clear(l.slots)
	l.slots[0].state = slotObject
	l.index.Data = nil
	for i := range l.lists {
		l.lists[i].raw = nil
	}
	l.Space()
	if l.Pos >= len(l.Data) || l.Data[l.Pos] != '{' {
		return false
	}
	l.begin(0)
	if err := l.object(0); err != nil {
		return false
	}
	l.index.Objects[0].End = l.Pos
	l.Space()
	if l.Pos != len(l.Data) {
		return false
	}
	if l.Indexed && jsonscan.Indexable(data) {
		l.index.Data = data
	}
	return true
}

// logMarker tells whether the top-level member kid, whose value starts at
// val, makes a record a tenant log record, which parseLocated hands to
// parseRecord: a log_id that is a string other than "", a detail that is
// an object (an EventBridge envelope), a type that is a string.
// parseRecord decides again from the whole record.
func (l *Located) logMarker(kid, val int) bool {
	v := l.Data[val:l.Pos]
	switch kid {
	case l.probe.logID:
		return len(v) > 2 && v[0] == '"'
	case l.probe.detail:
		return len(v) > 0 && v[0] == '{'
	case l.probe.typ:
		return len(v) > 0 && v[0] == '"'
	}
	return false
}

// begin starts the index's entry of node n at the object at l.Pos.
func (l *Located) begin(n int) {
	o := &l.index.Objects[n]
	o.Start, o.Members = l.Pos, o.Members[:0]
}

func (l *Located) object(n int) error {
	l.Pos++ // {
	l.Space()
	if l.Pos < len(l.Data) && l.Data[l.Pos] == '}' {
		l.Pos++
		return nil
	}
	for {
		l.Space()
		if l.Pos >= len(l.Data) || l.Data[l.Pos] != '"' {
			return l.Errorf("expected a string key")
		}
		kid := -1
		keyAt := l.Pos + 1
		raw, plain, err := l.ScanString()
		switch {
		case err != nil:
			return err
		case plain:
			kid = l.tree.kid(n, raw)
		default:
			if err := l.CheckEscapes(raw); err != nil {
				return err
			}
			if s, ok := l.dec.decodeText(raw); ok {
				kid = l.tree.kid(n, []byte(s))
			}
		}
		l.Space()
		if l.Pos >= len(l.Data) || l.Data[l.Pos] != ':' {
			return l.Errorf("expected ':'")
		}
		l.Pos++
		l.Space()
		val := l.Pos
		if err := l.member(kid); err != nil {
			return err
		}
		if n == 0 && l.stopAtLog && kid >= 0 && l.logMarker(kid, val) {
			return errLogRecord
		}
		if l.Indexed {
			m := jsonscan.Member{Key: int32(keyAt), KeyEnd: int32(keyAt + len(raw)), Val: int32(val), End: int32(l.Pos), Obj: -1, Plain: plain}
			if kid >= 0 && l.slots[kid].state == slotObject {
				m.Obj = int32(kid)
			}
			l.index.Objects[n].Members = append(l.index.Objects[n].Members, m)
		}
		l.Space()
		if l.Pos >= len(l.Data) {
			return l.Errorf("unexpected end of input in an object")
		}
		switch l.Data[l.Pos] {
		case ',':
			l.Pos++
		case '}':
			l.Pos++
			return nil
		default:
			return l.Errorf("expected ',' or '}'")
		}
	}
}

// next reads what follows a member or an element: a comma (more is set)
// or the end of the object or list, anything else is an error.
func (l *Located) next(end byte) (more bool, err error) {
	l.Space()
	switch {
	case l.Pos >= len(l.Data):
		return false, l.Errorf("unexpected end of input")
	case l.Data[l.Pos] == ',':
		l.Pos++
		return true, nil
	case l.Data[l.Pos] == end:
		l.Pos++
		return false, nil
	}
	return false, l.Errorf("expected ',' or %q", end)
}

// member reads the value of a member: skipped when no node wants it
// (kid < 0), kept as bytes at a leaf or where it is not an object, walked
// otherwise. A later duplicate key replaces the earlier value whole, as
// in JSON.parse.
func (l *Located) member(kid int) error {
	if kid < 0 {
		return l.Skip()
	}
	if l.slots[kid].state != slotAbsent {
		// A duplicate: locate cleared the slots below the first.
		clear(l.slots[kid+1 : l.tree.nodes[kid].desc])
	}
	if !l.tree.nodes[kid].leaf && l.Pos < len(l.Data) && l.Data[l.Pos] == '{' {
		l.slots[kid] = slot{state: slotObject}
		l.begin(kid)
		err := l.object(kid)
		l.index.Objects[kid].End = l.Pos
		return err
	}
	start := l.Pos
	list := l.tree.nodes[kid].list
	var err error
	if list > 0 {
		l.lists[list-1].texts = l.lists[list-1].texts[:0] // a duplicate replaces the list whole
	}
	if list > 0 && l.Pos < len(l.Data) && l.Data[l.Pos] == '[' {
		err = l.list(&l.lists[list-1], probeLists[list-1].member)
	} else {
		err = l.Skip()
	}
	if err != nil {
		return err
	}
	l.slots[kid] = slot{state: slotValue, raw: l.Data[start:l.Pos]}
	if list > 0 {
		l.lists[list-1].raw = l.slots[kid].raw
	}
	return nil
}

// listTexts are the raw contents of the string member of each element of
// a list that is an object holding one (the last, for a duplicate key),
// in order, as the located pass found them in the list whose bytes are
// raw (nil when no list was located). A value other than a list has none.
type listTexts struct {
	raw   []byte
	texts [][]byte
}

// list reads the list at l.Pos, checking it as Skip does, and keeps in lt
// the string value of member name of each element that is an object.
func (l *Located) list(lt *listTexts, name string) error {
	l.Pos++ // [
	l.Space()
	if l.Pos < len(l.Data) && l.Data[l.Pos] == ']' {
		l.Pos++
		return nil
	}
	for {
		l.Space()
		if l.Pos < len(l.Data) && l.Data[l.Pos] == '{' {
			text, ok, err := l.element(name)
			if err != nil {
				return err
			}
			if ok {
				lt.texts = append(lt.texts, text)
			}
		} else if err := l.Skip(); err != nil {
			return err
		}
		if more, err := l.next(']'); !more {
			return err
		}
	}
}

// element reads the object at l.Pos, checking it as Skip does, and
// returns the raw contents of its member name when that is a string (the
// last, for a duplicate key).
func (l *Located) element(name string) (text []byte, ok bool, err error) {
	l.Pos++ // {
	l.Space()
	if l.Pos < len(l.Data) && l.Data[l.Pos] == '}' {
		l.Pos++
		return nil, false, nil
	}
	for {
		l.Space()
		if l.Pos >= len(l.Data) || l.Data[l.Pos] != '"' {
			return nil, false, l.Errorf("expected a string key")
		}
		key, plain, err := l.ScanString()
		if err != nil {
			return nil, false, err
		}
		match := plain && string(key) == name
		if !plain {
			if err := l.CheckEscapes(key); err != nil {
				return nil, false, err
			}
			if jsonscan.HasEscape(key) {
				s, decoded := l.dec.decodeText(key)
				match = decoded && s == name
			}
		}
		l.Space()
		if l.Pos >= len(l.Data) || l.Data[l.Pos] != ':' {
			return nil, false, l.Errorf("expected ':'")
		}
		l.Pos++
		l.Space()
		switch {
		case match && l.Pos < len(l.Data) && l.Data[l.Pos] == '"':
			raw, plain, err := l.ScanString()
			if err == nil && !plain {
				err = l.CheckEscapes(raw)
			}
			if err != nil {
				return nil, false, err
			}
			text, ok = raw, true
		case match:
			text, ok = nil, false
			fallthrough
		default:
			if err := l.Skip(); err != nil {
				return nil, false, err
			}
		}
		if more, err := l.next('}'); !more {
			return text, ok && err == nil, err
		}
	}
}

// find looks up the node ref (FieldTree.Resolve) in the record: the
// node and its slot, or where a walk of its path from the event stops (an
// absent member, a value that is not an object, a leaf the path goes
// below), with depth the number of segments walked; n is -1 for ref -1.
//
// A slot is filled only below objects (member fills a node's slot while
// walking its parent, a duplicate key clears what was below the member it
// replaces, and Fill and DeriveMultifactor fill members of an object
// only). So a node that holds something was reached by the walk, which is
// one index; and for one that holds nothing, the walk stopped at the
// first node up from it whose parent holds something: that parent itself
// when it holds a value, else the node below it.
func (l *Located) find(ref int) (n int, s slot, depth int) {
	if ref < 0 {
		return -1, slot{}, 0
	}
	nodes := l.tree.nodes
	if s := l.slots[ref]; s.state != slotAbsent {
		return ref, s, int(nodes[ref].depth)
	}
	n = ref
	for {
		up := int(nodes[n].parent)
		if up < 0 {
			return n, l.slots[n], 0 // the event, before any record
		}
		switch l.slots[up].state {
		case slotObject:
			return n, l.slots[n], int(nodes[n].depth)
		case slotValue:
			return up, l.slots[up], int(nodes[up].depth)
		}
		n = up
	}
}

// Login numbers the event: it changes with each record located, and when
// fill changes the event.
func (l *Located) Login() uint64 { return l.login }

// PlainString returns the string at the path ref resolves to
// (FieldTree.Resolve) when it has no escapes and is UTF-8, so that its
// bytes are the string JSON.parse makes; the string is the record's own
// bytes, valid until the next record.
func (l *Located) PlainString(ref int) (string, bool) {
	v := l.rawAt(ref)
	if len(v) < 2 || v[0] != '"' {
		return "", false
	}
	return transientText(v[1 : len(v)-1])
}

// transientText is the string of a JSON string's raw contents without
// escapes, as the record's own bytes (valid until the next record); ok is
// false for contents with escapes or that are not UTF-8, which need
// decoding.
func transientText(raw []byte) (string, bool) {
	if jsonscan.HasEscape(raw) || !utf8.Valid(raw) {
		return "", false
	}
	if len(raw) == 0 {
		return "", true
	}
	return unsafe.String(&raw[0], len(raw)), true
}

// AppendKey appends an exact key of what the event holds at the path ref
// resolves to (FieldTree.Resolve): equal keys mean equal values there (the
// same bytes decode the same).
func (l *Located) AppendKey(key []byte, ref int) []byte {
	n, s, depth := l.find(ref)
	switch {
	case n < 0:
		// A path the tree does not have: a key equal to no other, so that
		// the rule is evaluated, and Tree fails.
		l.nonce++
		n := l.nonce
		return append(key, '?', byte(n>>56), byte(n>>48), byte(n>>40), byte(n>>32), byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
	case s.state == slotAbsent:
		return append(key, 'a', byte(depth))
	}
	key = append(key, 'v', byte(depth))
	key = appendLen(key, len(s.raw))
	return append(key, s.raw...)
}

func appendLen(key []byte, n int) []byte {
	return append(key, byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
}

// Tree returns the event with the values at paths decoded, as
// encoding/json decodes into any (the objects on the way hold only the
// members the paths name). ok is false when a decoded string cannot be
// held in Go as JavaScript holds it.
func (l *Located) Tree(paths [][]string) (any, bool) {
	if paths == nil {
		return l.whole()
	}
	root := l.dec.newMap()
	ok := true
	for _, path := range paths {
		var obj any = root
		n := 0
		for depth, seg := range path {
			m, isMap := obj.(map[string]any)
			if !isMap || l.slots[n].state != slotObject {
				break
			}
			kid := l.tree.kid(n, []byte(seg))
			if kid < 0 {
				return nil, false // a path no classifier named
			}
			if l.slots[kid].state == slotAbsent {
				break
			}
			if l.slots[kid].state == slotValue {
				if _, have := m[seg]; !have {
					v, faithful := l.decode(l.slots[kid].raw)
					ok = ok && faithful
					m[seg] = v
				}
				break
			}
			next, have := m[seg].(map[string]any)
			if !have {
				next = l.dec.newMap()
				m[seg] = next
			}
			if depth == len(path)-1 {
				break
			}
			obj, n = next, kid
		}
	}
	return root, ok
}

// whole decodes the whole record, with the assumed factors filled in.
func (l *Located) whole() (any, bool) {
	v, valid, faithful := l.dec.ProjectValue(l.Data)
	if l.filled != nil {
		l.dec.Fill(v, l.filled)
	}
	if l.mf != MultifactorKept {
		FillMultifactor(v)
	}
	return v, valid && faithful
}

// decode decodes one value's bytes whole.
func (l *Located) decode(raw []byte) (any, bool) {
	v, valid, faithful := l.dec.ProjectValue(raw)
	return v, valid && faithful
}

// stringAt is the string at node n, "" when there is none; a string Go
// cannot hold exactly has U+FFFD in place of what it cannot hold, as
// encoding/json decodes it.
func (l *Located) stringAt(n int) string { return l.textAt(true, n) }

// uniqueAt is stringAt for a value that differs from login to login (an
// id, an address), which is not worth sharing between logins.
func (l *Located) uniqueAt(n int) string { return l.textAt(false, n) }

func (l *Located) textAt(shared bool, n int) string {
	v := l.valueAt(n)
	if len(v) == 0 || v[0] != '"' {
		return ""
	}
	raw := v[1 : len(v)-1]
	if !shared {
		if s, ok := transientText(raw); ok {
			return strings.Clone(s)
		}
	}
	str, _ := l.lenientText(raw)
	return str
}

// valueAt is rawAt for the path of node n (-1: a path the tree does not
// have): a slot is filled only below objects (find), so a value there was
// reached by walking the path.
func (l *Located) valueAt(n int) []byte {
	if n < 0 || l.slots[n].state != slotValue {
		return nil
	}
	return l.slots[n].raw
}

// lenientText decodes a string's raw contents; where JavaScript would
// hold something Go cannot, U+FFFD stands in its place, as encoding/json
// decodes it. ok is false for contents that are not a JSON string's.
func (l *Located) lenientText(raw []byte) (string, bool) {
	if str, ok := l.dec.decodeText(raw); ok {
		return str, true
	}
	var out string
	err := json.Unmarshal(append(append([]byte{'"'}, raw...), '"'), &out)
	return out, err == nil
}

// rawAt returns the bytes of the value at the path ref resolves to, nil
// when there is none (absent, or the path stops short of it).
func (l *Located) rawAt(ref int) []byte {
	n, s, _ := l.find(ref)
	if n != ref || s.state != slotValue {
		return nil
	}
	return s.raw
}

// heldAt tells whether the event holds a value other than null at the
// path of node n (-1: a path the tree does not have).
func (l *Located) heldAt(n int) bool {
	if n < 0 {
		return false
	}
	s := l.slots[n]
	return s.state == slotObject || (s.state == slotValue && string(s.raw) != "null")
}

// Absent tells whether the path ref resolves to (FieldTree.Resolve) is
// Absent or null in the event, following docs/semantics.md: an Absent or
// null object on the way makes it Absent; a value of another JSON type on
// the way does not (the rule errors). A path the tree does not have (ref
// -1) is Absent.
func (l *Located) Absent(ref int) bool {
	n, s, depth := l.find(ref)
	switch {
	case n < 0, s.state == slotAbsent:
		return true
	case n == ref:
		return s.state == slotValue && string(s.raw) == "null"
	case string(s.raw) == "null":
		return true
	case s.raw[0] != '{':
		return false
	}
	// A leaf the path goes below: decode it and walk on.
	v, _ := l.decode(s.raw)
	return IsAbsent(v, l.tree.nodes[ref].path[depth:])
}

// Fill puts the assumed enrolled factors at user.enrolledFactors, as
// simulate's fillEnrolled does in goja: event.user is made when it is
// absent or null; a user of another JSON type is left alone. ok is false when the user is
// a leaf (read whole) that would have to change.
func (l *Located) Fill(assumed []string, raw []byte) bool {
	l.filled = assumed
	l.login++ // the event is not the one located
	user := l.tree.kid(0, []byte("user"))
	if user < 0 {
		return true // no rule reads event.user
	}
	s := l.slots[user]
	switch {
	case s.state == slotAbsent || (s.state == slotValue && string(s.raw) == "null"):
		if l.tree.nodes[user].leaf {
			return false
		}
		clear(l.slots[user+1 : l.tree.nodes[user].desc])
		l.slots[user] = slot{state: slotObject}
	case s.state == slotValue && l.tree.nodes[user].leaf && s.raw[0] == '{':
		return false
	case s.state != slotObject:
		return true
	}
	if f := l.tree.kid(user, []byte("enrolledFactors")); f >= 0 {
		l.slots[f] = slot{state: slotValue, raw: raw}
	}
	return true
}

// DeriveMultifactor puts event.user.multifactor where Auth0 fills it
// (multifactor.go), after fill: from user.enrolledFactors, for a user
// that is an object without multifactor. ok is false when the user is a
// leaf (read whole) that would have to change.
func (l *Located) DeriveMultifactor() (m Multifactor, ok bool) {
	user := l.tree.kid(0, []byte("user"))
	if user < 0 {
		return l.deriveWhole(), true
	}
	s := l.slots[user]
	if s.state == slotAbsent || (s.state == slotValue && string(s.raw) == "null") {
		// A user read whole that fill could not place: the Action's user
		// is made by fillEnrolled with the assumed factors alone.
		if l.filled == nil {
			return MultifactorKept, true
		}
		m = multifactorOfList(EnrolledJSON(l.filled))
		l.mf = m
		return m, false
	}
	if s.state == slotValue {
		if s.raw[0] != '{' {
			return MultifactorKept, true
		}
		v, _ := l.decode(s.raw)
		if u, isMap := v.(map[string]any); isMap && l.filled != nil {
			u["enrolledFactors"], _ = l.decode(EnrolledJSON(l.filled))
		}
		m = multifactorFor(v)
		l.mf = m
		return m, m == MultifactorKept
	}
	mf := l.tree.kid(user, []byte("multifactor"))
	switch {
	case s.state != slotObject:
		return MultifactorKept, true
	case mf < 0:
		return l.deriveWhole(), true
	case l.slots[mf].state != slotAbsent:
		return MultifactorKept, true
	}
	var list []byte
	if f := l.tree.kid(user, []byte("enrolledFactors")); f >= 0 && l.slots[f].state == slotValue {
		list = l.slots[f].raw
	}
	if m = l.multifactorOf(list); m != MultifactorKept {
		l.slots[mf] = slot{state: slotValue, raw: m.json()}
		l.mf = m
		l.login++ // the event is not the one located
	}
	return m, true
}

// multifactorOf is multifactorOfList, remembered for the lists seen.
func (l *Located) multifactorOf(list []byte) Multifactor {
	if m, ok := l.mfOf[string(list)]; ok {
		return m
	}
	m := multifactorOfList(list)
	if l.mfOf == nil || len(l.mfOf) >= 1024 {
		l.mfOf = map[string]Multifactor{}
	}
	l.mfOf[string(list)] = m
	return m
}

// deriveWhole derives event.user.multifactor from the whole record, with
// the assumed factors filled in, for a policy that observes it only
// through the event as a whole (Tree(nil), whole), which has no slot
// for it.
func (l *Located) deriveWhole() Multifactor {
	v, _ := l.decode(l.Data)
	if l.filled != nil {
		l.dec.Fill(v, l.filled)
	}
	if ev, isMap := v.(map[string]any); isMap {
		l.mf = multifactorFor(ev["user"])
	}
	return l.mf
}

// EnrolledJSON is the JSON of an enrolled-factor list, [{"type":...}].
func EnrolledJSON(types []string) []byte {
	list := make([]map[string]string, len(types))
	for i, t := range types {
		list[i] = map[string]string{"type": t}
	}
	out, _ := json.Marshal(list)
	return out
}

// decodeText decodes a string's raw contents; ok is false when JavaScript
// would hold a different string (lone surrogates, invalid UTF-8).
func (p *Projector) decodeText(raw []byte) (string, bool) {
	if !jsonscan.HasEscape(raw) {
		return p.intern(raw), utf8.Valid(raw)
	}
	if !utf8.Valid(raw) {
		return "", false
	}
	u, err := p.Unescape(raw)
	if err != nil {
		return "", false
	}
	for i := 0; i < len(u); i++ {
		switch {
		case u[i] >= 0xD800 && u[i] < 0xDC00 && i+1 < len(u) && u[i+1] >= 0xDC00 && u[i+1] <= 0xDFFF:
			i++
		case utf16.IsSurrogate(rune(u[i])):
			return "", false
		}
	}
	return string(utf16.Decode(u)), true
}

// eachListString is eachElementString for probe list i, from the strings
// the located pass kept, when the list at its node is still the one it
// read.
func (l *Located) eachListString(f func(string), keep bool, i int) {
	n, lt := l.probe.lists[i], &l.lists[i]
	v := l.valueAt(n)
	if len(v) == 0 || len(lt.raw) != len(v) || &lt.raw[0] != &v[0] {
		l.eachElementString(f, keep, probeLists[i].member, n)
		return
	}
	for _, raw := range lt.texts {
		l.yieldText(f, keep, raw)
	}
}

// yieldText calls f with the string of raw contents, unless JSON.parse
// would reject them; unless keep is set, the string may be the record's
// own bytes.
func (l *Located) yieldText(f func(string), keep bool, raw []byte) {
	str, ok := "", false
	if !keep {
		str, ok = transientText(raw)
	}
	if !ok {
		str, ok = l.lenientText(raw)
	}
	if ok {
		f(str)
	}
}

// eachElementString calls f with the string value of member name of each
// element of the array at node n that is an object holding one (the last,
// for a duplicate key), in order; it decodes nothing else. Unless keep is
// set, f must not keep the string: it may be the record's own bytes.
func (l *Located) eachElementString(f func(string), keep bool, name string, n int) {
	list := l.valueAt(n)
	if len(list) == 0 || list[0] != '[' {
		return
	}
	sc := jsonscan.Scanner{Data: list, Pos: 1}
	for {
		sc.Space()
		if sc.Pos >= len(sc.Data) || sc.Data[sc.Pos] == ']' {
			return
		}
		start := sc.Pos
		if sc.SkipChecked(); sc.Pos == start { // the list is a located record's: checked
			return
		}
		if elem := sc.Data[start:sc.Pos]; elem[0] == '{' {
			if raw, ok := memberString(elem, name); ok {
				l.yieldText(f, keep, raw)
			}
		}
		sc.Space()
		if sc.Pos < len(sc.Data) && sc.Data[sc.Pos] == ',' {
			sc.Pos++
		}
	}
}

// memberString returns the raw contents of the string member name of a
// JSON object already checked (a located record's), the last for a
// duplicate key, passing over the values without checking them again;
// ok is false when it has none or it is not a string.
func memberString(obj []byte, name string) (raw []byte, ok bool) {
	sc := jsonscan.Scanner{Data: obj, Pos: 1}
	for {
		sc.Space()
		if sc.Pos >= len(sc.Data) || sc.Data[sc.Pos] != '"' {
			return raw, ok
		}
		keyStart := sc.Pos
		key, plain, err := sc.ScanString()
		if err != nil {
			return nil, false
		}
		quoted := sc.Data[keyStart:sc.Pos]
		sc.Space()
		sc.Pos++ // :
		sc.Space()
		start := sc.Pos
		if sc.SkipChecked(); sc.Pos == start {
			return nil, false
		}
		match := string(key) == name
		if !plain && !match {
			var k string
			match = json.Unmarshal(quoted, &k) == nil && k == name
		}
		if match {
			v := sc.Data[start:sc.Pos]
			raw, ok = nil, false
			if v[0] == '"' {
				raw, ok = v[1:len(v)-1], true
			}
		}
		sc.Space()
		if sc.Pos < len(sc.Data) && sc.Data[sc.Pos] == ',' {
			sc.Pos++
		}
	}
}

// IsAbsent walks path in a decoded value: absent or null on the way or at
// the end is absence; a value of another JSON type on the way is not.
func IsAbsent(v any, path []string) bool {
	for _, key := range path {
		obj, ok := v.(map[string]any)
		switch {
		case v == nil:
			return true
		case !ok:
			return false
		}
		v = obj[key]
	}
	return v == nil
}
