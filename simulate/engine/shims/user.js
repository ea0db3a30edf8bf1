// The user as Auth0 builds it on every login: event.user.multifactor (the
// Rules user's multifactor) lists the MFA providers the user is enrolled
// with. The post-login event object reference lists it beside
// enrolledFactors
// (https://auth0.com/docs/customize/actions/explore-triggers/signup-and-login-triggers/login-trigger/post-login-event-object),
// and the user profile structure page
// (https://auth0.com/docs/manage-users/user-accounts/user-profiles/user-profile-structure)
// as the user's multifactor providers. Every factor Auth0's own MFA
// manages is the provider "guardian", so an enrolled user has
// ['guardian'] however many factors it has, and a user with none has []
// (https://community.auth0.com/t/event-user-multifactor-property-not-showing-each-factor/115069).
// E-mail is enrolled implicitly by a verified address and, like device
// biometrics, does not count alone
// (https://community.auth0.com/t/users-with-mfa-but-multifactor-is-missing/136610).
// A value the event already carries is kept.
'use strict';
const host = globalThis.__mfapolicyHost;


function deriveMultifactor(user) {
  if (user === null || typeof user !== 'object' || Object.prototype.hasOwnProperty.call(user, 'multifactor')) return;
  const factors = user.enrolledFactors;
  if (!Array.isArray(factors)) return;
  let enrolled = false;
  // An indexed loop, not for-of: Auth0 reads the list natively, never
  // through an iterator the Action could have replaced.
  for (let i = 0; i < factors.length; i++) {
    const f = factors[i];
    if (f !== null && typeof f === 'object' && f.type !== 'email' && f.type !== 'webauthn-platform') {
      enrolled = true;
      break;
    }
  }
  user.multifactor = enrolled ? ['guardian'] : [];
  host.multifactor(enrolled);
}

module.exports = { deriveMultifactor };
