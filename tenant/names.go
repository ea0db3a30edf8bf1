package tenant

// This file maps the Management API's names for factors and
// authentication methods onto the factor types a post-login Action passes
// to api.authentication.challengeWith.

// actionFactors are the factor types challengeWith accepts, in the
// simulator's fixed order (post-login API object,
// https://auth0.com/docs/customize/actions/explore-triggers/signup-and-login-triggers/login-trigger/post-login-api-object).
var actionFactors = []string{
	"otp", "email", "webauthn-platform", "webauthn-roaming", "recovery-code", "phone", "push-notification",
}

// factorOfGuardian maps the names GET /api/v2/guardian/factors uses
// ("sms, push-notification, email, duo, otp, webauthn-roaming,
// webauthn-platform, or recovery-code",
// https://auth0.com/docs/api/management/v2/guardian/get-factors) onto
// Action factor types. The dashboard's "Phone Message" factor is "sms" in
// that list (go-auth0 enables phone through guardian/factors/sms); "phone"
// is accepted too. "duo" has no challengeWith type: it is reached only
// through api.multifactor.enable('duo').
var factorOfGuardian = map[string]string{
	"sms":               "phone",
	"phone":             "phone",
	"push-notification": "push-notification",
	"email":             "email",
	"otp":               "otp",
	"webauthn-roaming":  "webauthn-roaming",
	"webauthn-platform": "webauthn-platform",
	"recovery-code":     "recovery-code",
}

// factorOfMethod maps the authentication method types of GET
// /api/v2/users/{id}/authentication-methods (recovery-code, totp, push,
// phone, email, email-verification, webauthn-roaming, webauthn-platform,
// guardian, passkey, password) onto Action factor types.
var factorOfMethod = map[string]string{
	"totp":              "otp",
	"push":              "push-notification",
	"phone":             "phone",
	"email":             "email",
	"webauthn-roaming":  "webauthn-roaming",
	"webauthn-platform": "webauthn-platform",
	"recovery-code":     "recovery-code",
}

// nonFactorMethods are authentication methods that are not second
// factors: a passkey or a password is a first factor, and
// email-verification proves the address only.
var nonFactorMethods = map[string]bool{"passkey": true, "password": true, "email-verification": true}

// apiTypeOf maps an Action factor type back onto the method type, for
// hand-written files that list factor types.
var apiTypeOf = map[string]string{
	"otp":               "totp",
	"push-notification": "push",
	"phone":             "phone",
	"email":             "email",
	"webauthn-roaming":  "webauthn-roaming",
	"webauthn-platform": "webauthn-platform",
	"recovery-code":     "recovery-code",
}

// normalizeFactor maps the "push" alias of challengeWith onto
// "push-notification".
func normalizeFactor(t string) string {
	if t == "push" {
		return "push-notification"
	}
	return t
}

// GuardianFactor returns the name PUT /api/v2/guardian/factors/{name}
// takes for an Action factor type: "sms" for phone (the endpoint's names
// are push-notification, sms, email, duo, otp, webauthn-roaming,
// webauthn-platform and recovery-code,
// https://auth0.com/docs/api/management/v2/guardian/put-factors-by-name;
// go-auth0's MultiFactorPhone.Enable calls guardian/factors/sms too, as
// there is no guardian/factors/phone to enable), and the name itself for
// the others.
func GuardianFactor(actionFactor string) string {
	if actionFactor == "phone" {
		return "sms"
	}
	return actionFactor
}

// ActionFactor returns the Action factor type of a GET
// /api/v2/guardian/factors name, and false for a factor that has none
// (duo) or that Auth0 does not document.
func ActionFactor(guardianName string) (string, bool) {
	t, ok := factorOfGuardian[guardianName]
	return t, ok
}

// ActionFactors are the factor types challengeWith accepts, in the fixed
// order files and plans list them.
func ActionFactors() []string { return append([]string{}, actionFactors...) }
