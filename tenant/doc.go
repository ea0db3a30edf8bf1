// Package tenant owns the tenant context file: what an Auth0 tenant adds
// to an Action's decision. Whether a login is really challenged depends on
// the factors enabled on the tenant (GET /api/v2/guardian/factors), its
// MFA policy (GET /api/v2/guardian/policies: never, all-applications or
// Adaptive MFA's confidence-score) and the factors each user has enrolled
// (GET /api/v2/users/{id}/authentication-methods).
//
// A context file is JSON. Parse accepts this package's own file, and also
// exactly what `auth0 api get "guardian/factors"`, `auth0 api get
// "guardian/policies"` and `auth0 api get
// "guardian/factors/phone/message-types"` print, so that users of the Auth0
// CLI can save those outputs and pass them; Load merges several files.
//
//	f, err := tenant.Load("factors.json", "policies.json")
//	enabled, _ := f.EnabledFactors() // Action factor types, e.g. otp, phone
//	policy, _ := f.MFAPolicy()       // tenant.Never, AllApplications or ConfidenceScore
//
// Pull fills a File through the Management API with the go-auth0 client
// that package deploy builds (retrying rate-limited requests), fetching
// the authentication methods of the given users page by page, paced, and
// skipping the users a previous pull already holds.
//
// The package knows nothing of the simulator: the command line hands the
// simulator the enabled factors, the policy and the enrolments as data.
package tenant
