package policy

// JSONFields is Fields over an event decoded by encoding/json, for the
// tests of package policy_test.
func JSONFields(event any) Fields { return jsonFields{event: event} }

// JSONPaths resolves the paths of the Fields JSONFields makes.
var JSONPaths Resolver = testPaths
