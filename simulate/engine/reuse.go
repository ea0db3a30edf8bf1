package engine

import (
	"github.com/dop251/goja"

	"github.com/mfapolicy/mfapolicy/simulate/internal/jsonscan"
)

// shape is an object the decoder built under a plan for the last event,
// kept to be given to the next one (Decoder.Reuse): its members in order,
// the value each holds and, for a member built under a plan of its own,
// that object's shape.
type shape struct {
	obj  *goja.Object
	keys []string
	vals []goja.Value
	kids []*shape
}

// reused builds the object o of the index following plan, as indexed
// does, reusing old, the object built at the same place of the last
// event, when the members plan names are the same keys in the same order:
// it then sets the members whose values differ (a value the same as
// before, in SameValue's sense, cannot be told from a new one) and gives
// the same object back. Otherwise, or with no old object, the object is
// built anew, its members' objects still reused where they can be, and
// its shape kept for the next event. An object holding a duplicate or
// escaped key is built anew and not kept.
//
// This is exact only for code that neither keeps the event between logins
// nor changes it: a compiled policy (Decoder.Reuse says when). The runner
// forgets the shapes (Forget) when it adds members to the event itself.
func (d *Decoder) reused(plan *ReadPlan, o *jsonscan.Object, old *shape) (goja.Value, *shape, error) {
	if old != nil && d.sameKeys(plan, o, old) {
		k := 0
		for i := range o.Members {
			m := &o.Members[i]
			sub := plan.Keys[string(d.Data[m.Key:m.KeyEnd])]
			if sub == nil {
				continue
			}
			d.Pos = int(m.Val)
			v, kid, err := d.member(sub, m, old.kids[k])
			if err != nil {
				return nil, nil, err
			}
			old.kids[k] = kid
			if !v.SameAs(old.vals[k]) {
				if err := d.put(old.obj, old.keys[k], nil, v); err != nil {
					return nil, nil, err
				}
				old.vals[k] = v
			}
			k++
		}
		d.Pos = o.End
		return old.obj, old, nil
	}
	obj := d.vm.NewObject()
	sh := &shape{obj: obj}
	if old != nil {
		n := len(old.keys)
		sh.keys, sh.vals, sh.kids = make([]string, 0, n), make([]goja.Value, 0, n), make([]*shape, 0, n)
	}
	for i := range o.Members {
		m := &o.Members[i]
		key, lone, sub, escaped, err := d.planned(plan, m)
		if err != nil {
			return nil, nil, err
		}
		if sub == nil {
			continue
		}
		d.Pos = int(m.Val)
		// A member's object may still be reused when its parent's
		// members changed.
		v, kid, err := d.member(sub, m, old.kid(key))
		if err != nil {
			return nil, nil, err
		}
		if err := d.put(obj, key, lone, v); err != nil {
			return nil, nil, err
		}
		if sh != nil && (escaped || hasKey(sh.keys, key)) {
			sh = nil
		}
		if sh != nil {
			sh.keys = append(sh.keys, key)
			sh.vals = append(sh.vals, v)
			sh.kids = append(sh.kids, kid)
		}
	}
	d.Pos = o.End
	return obj, sh, nil
}

// member builds the value at d.Pos of member m, whose plan is sub: an
// object the index holds under a plan of its own through reused (old is
// its last shape), anything else as indexed builds it.
func (d *Decoder) member(sub *ReadPlan, m *jsonscan.Member, old *shape) (goja.Value, *shape, error) {
	if !sub.Whole && d.Pos < len(d.Data) && d.Data[d.Pos] == '{' {
		if o := d.index.At(m); o != nil {
			return d.reused(sub, o, old)
		}
	}
	// A list is built once for each text it has: the same bytes give the
	// same value, which code that neither keeps nor changes it cannot
	// tell from a new one. (Not an object: the simulator may add members
	// to event.user, which would then show wherever the same text is.)
	var raw []byte
	if d.Pos < len(d.Data) && d.Data[d.Pos] == '[' && int(m.End)-d.Pos <= maxSharedValue {
		raw = d.Data[d.Pos:m.End]
		if v, ok := d.values[string(raw)]; ok {
			d.Pos = int(m.End)
			return v, nil, nil
		}
	}
	var v goja.Value
	var err error
	if sub.Whole {
		v, err = d.value()
	} else {
		v, err = d.partial(sub, nil)
	}
	if err == nil && raw != nil && d.Pos == int(m.End) {
		if d.values == nil || len(d.values) >= jsonscan.MaxInterned {
			d.values = map[string]goja.Value{}
		}
		d.values[string(raw)] = v
	}
	return v, nil, err
}

// maxSharedValue bounds the text of a list that is shared between events
// (Decoder.values).
const maxSharedValue = 512

// sameKeys tells whether the members of o that plan names are old's keys,
// in order, each once and none escaped.
func (d *Decoder) sameKeys(plan *ReadPlan, o *jsonscan.Object, old *shape) bool {
	k := 0
	for i := range o.Members {
		m := &o.Members[i]
		raw := d.Data[m.Key:m.KeyEnd]
		if !m.Plain && jsonscan.HasEscape(raw) {
			return false
		}
		if plan.Keys[string(raw)] == nil {
			continue
		}
		if k == len(old.keys) || old.keys[k] != string(raw) {
			return false
		}
		k++
	}
	return k == len(old.keys)
}

// kid is the shape of member key of old, nil when there is none.
func (old *shape) kid(key string) *shape {
	if old == nil {
		return nil
	}
	for i, k := range old.keys {
		if k == key {
			kid := old.kids[i]
			// Given to one object only: old is not reused after this.
			old.kids[i] = nil
			return kid
		}
	}
	return nil
}

func hasKey(keys []string, key string) bool {
	for _, k := range keys {
		if k == key {
			return true
		}
	}
	return false
}

// Forget drops the objects kept for reuse, so that the next event is
// built anew: the runner calls it when it changes an event it was given
// in a way ForgetMember does not cover.
func (d *Decoder) Forget() { d.last, d.values = nil, nil }

// ForgetMember makes the next event's member key of the event itself be
// built anew, and set again on the event, while the event's other objects
// are still reused: the runner calls it when it changes the plain object
// at that member (adding event.user.enrolledFactors or multifactor), or
// sets the member itself (a user that was null, or absent: the runner
// then added it last, and the shape kept says so, so that only an event
// whose members end with it is built in the same object). Lists shared by
// their text stay shared: the member's value must be a plain object,
// absent or null, which none of them is.
func (d *Decoder) ForgetMember(key string) {
	old := d.last
	if old == nil {
		return
	}
	for i, k := range old.keys {
		if k == key {
			old.kids[i] = nil
			// No value of the next event is the same as this one, so
			// the member is set again.
			old.vals[i] = d.stale()
			return
		}
	}
	old.keys = append(old.keys, key)
	old.vals = append(old.vals, d.stale())
	old.kids = append(old.kids, nil)
}

// stale is an object no event holds, which a member's kept value is
// replaced with when it must be set again.
func (d *Decoder) stale() goja.Value {
	if d.staleValue == nil {
		d.staleValue = d.vm.NewObject()
	}
	return d.staleValue
}
