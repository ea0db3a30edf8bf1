package deploy

import "testing"

func TestUnifiedDiff(t *testing.T) {
	got := unifiedDiff([]byte("a\nb\nc\n"), []byte("a\nB\nc\n"), "old", "new")
	want := "--- old\n+++ new\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if d := unifiedDiff(nil, []byte("x\n"), "none", "new"); d != "--- none\n+++ new\n@@ -0,0 +1 @@\n+x\n" {
		t.Errorf("from nothing:\n%q", d)
	}
	if d := unifiedDiff([]byte("x"), []byte("x"), "a", "b"); d != "" {
		t.Errorf("equal: %q", d)
	}
	if d := unifiedDiff([]byte("x"), []byte("x\n"), "a", "b"); d != "--- a\n+++ b\n@@ -1 +1 @@\n-x\n\\ No newline at end of file\n+x\n" {
		t.Errorf("newline at end:\n%q", d)
	}
}
