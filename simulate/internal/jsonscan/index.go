package jsonscan

import "math"

// Index is where the members of some objects of one checked text are, as
// a pass that read the whole text found them (the simulator's locating
// pass, simulate/input/spans.go), so that a later pass over the same text can
// go straight to the members it wants instead of scanning for them again.
// Objects[0] is the text's top-level object.
type Index struct {
	Data    []byte
	Objects []Object
}

// Object is one object of the text: its bytes are Data[Start:End], its
// members in the order of the text, duplicate keys included. Start is -1
// for an object the pass did not reach in this text.
type Object struct {
	Start, End int
	Members    []Member
}

// Member is one member of an object: its key's raw contents are
// Data[Key:KeyEnd] (Plain as ScanString says), its value Data[Val:End];
// Obj is the Objects entry of the value when the pass recorded that
// object, -1 otherwise.
type Member struct {
	Key, KeyEnd, Val, End int32
	Obj                   int32
	Plain                 bool
}

// Indexable tells whether a text is short enough for the offsets of a
// Member.
func Indexable(data []byte) bool { return len(data) <= math.MaxInt32 }

// For returns the index when it describes data (the same bytes in
// memory), nil otherwise.
func (x *Index) For(data []byte) *Index {
	if x == nil || len(x.Data) != len(data) || len(data) == 0 || &x.Data[0] != &data[0] {
		return nil
	}
	return x
}

// At returns the object recorded for member m whose value starts at
// m.Val, nil when there is none (for a duplicate key, the pass recorded
// the last value only).
func (x *Index) At(m *Member) *Object {
	if m.Obj < 0 {
		return nil
	}
	o := &x.Objects[m.Obj]
	if o.Start != int(m.Val) {
		return nil
	}
	return o
}
