package diff

import "hash/maphash"

// Distinct users are counted in many sets at once: every login's user is
// in the run's, its application's and its country's, and every changed
// login's in a few more. A run numbers its users once (userIndex) and the
// sets hold numbers as bits (userSet): one map operation per login
// instead of one per set, and a few bits per user and set instead of a
// map entry.

// userIndex numbers the distinct users of a run in the order they are
// first seen, by a 64-bit hash of their id, a quarter of the memory of
// the ids themselves, so that a month of a large tenant's logins fits.
// Two ids of n share a hash with probability about n²/2⁶⁵, one in 10⁷
// for a million users, and would then be counted once.
type userIndex map[uint64]uint32

var userSeed = maphash.MakeSeed()

// of returns the number of the user with the given id, numbering it when
// it is new.
func (x userIndex) of(id string) uint32 {
	h := maphash.String(userSeed, id)
	n, ok := x[h]
	if !ok {
		n = uint32(len(x))
		x[h] = n
	}
	return n
}

// userPage holds the bits of 4096 consecutive user numbers.
type userPage [64]uint64

// userSet is a set of user numbers, in pages made when a number of theirs
// is first added.
type userSet struct {
	pages []*userPage
	n     int64
}

// add adds user u.
func (s *userSet) add(u uint32) {
	p := int(u >> 12)
	if p >= len(s.pages) {
		s.pages = append(s.pages, make([]*userPage, p+1-len(s.pages))...)
	}
	pg := s.pages[p]
	if pg == nil {
		pg = new(userPage)
		s.pages[p] = pg
	}
	w, bit := &pg[(u>>6)&63], uint64(1)<<(u&63)
	if *w&bit == 0 {
		*w |= bit
		s.n++
	}
}

// len is the number of users in the set.
func (s *userSet) len() int64 { return s.n }
