package engine

// Factor types accepted by api.authentication.challengeWith and
// challengeWithAny, in Auth0's order. "push" is an alias of
// "push-notification". enrollWith and enrollWithAny accept the same minus
// "email". Sources: the post-login API object
// (https://auth0.com/docs/customize/actions/explore-triggers/signup-and-login-triggers/login-trigger/post-login-api-object)
// and the @auth0/actions post-login v3 type definitions.
var ChallengeFactors = []string{
	"otp", "email", "webauthn-platform", "webauthn-roaming", "recovery-code", "phone", "push-notification",
}

func IsChallengeFactor(t string) bool {
	for _, f := range ChallengeFactors {
		if f == t {
			return true
		}
	}
	return false
}
