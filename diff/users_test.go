package diff

import "testing"

func TestUserSetCountsEachUserOnce(t *testing.T) {
	x := userIndex{}
	var s userSet
	ids := []string{"auth0|a", "auth0|b", "auth0|a", "google-oauth2|c", "auth0|b"}
	for _, id := range ids {
		s.add(x.of(id))
	}
	if got := s.len(); got != 3 {
		t.Fatalf("len = %d, want 3", got)
	}
	if x.of("auth0|a") != 0 || x.of("auth0|b") != 1 || x.of("google-oauth2|c") != 2 {
		t.Fatalf("users are not numbered in the order first seen: %v", x)
	}
}

func TestUserSetAcrossPages(t *testing.T) {
	var s, odd userSet
	for u := uint32(0); u < 3*4096+5; u++ {
		s.add(u)
		s.add(u)
		if u%2 == 1 {
			odd.add(u)
		}
	}
	if s.len() != 3*4096+5 || odd.len() != (3*4096+5)/2 {
		t.Fatalf("len = %d and %d", s.len(), odd.len())
	}
	var sparse userSet
	sparse.add(1 << 20)
	sparse.add(7)
	sparse.add(1 << 20)
	if sparse.len() != 2 || len(sparse.pages) != 257 || sparse.pages[1] != nil {
		t.Fatalf("sparse set: len %d, %d pages", sparse.len(), len(sparse.pages))
	}
}
