package compile

import (
	"testing"

	"github.com/mfapolicy/mfapolicy/policy"
)

// TestPolicyOverloadsCompile: every overload a policy may use has a
// translation, so a policy that checks never fails to compile for want of
// one.
func TestPolicyOverloadsCompile(t *testing.T) {
	have := map[string]bool{}
	for _, id := range SupportedOverloads() {
		have[id] = true
	}
	for _, id := range policy.SupportedOverloads() {
		if !have[id] {
			t.Errorf("policy allows overload %s, which the compiler does not translate", id)
		}
	}
	for _, id := range SupportedOverloads() {
		if !policy.IsSupportedOverload(id) {
			t.Logf("the compiler translates %s, which policies may not use", id)
		}
	}
}
