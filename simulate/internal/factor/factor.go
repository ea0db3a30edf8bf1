// Package factor holds what both the reading of events (simulate/input)
// and the recording api object (simulate/engine) know of factor names.
// It imports nothing of the module.
package factor

// Normalize maps the "push" alias onto "push-notification" so that
// requested and enrolled factors compare equal.
func Normalize(t string) string {
	if t == "push" {
		return "push-notification"
	}
	return t
}
