/**
 * A hand-written adaptive-MFA post-login Action, the kind mfapolicy compiles
 * from a policy. Replay it with:
 *
 *   mfapolicy simulate --action examples/actions/adaptive.js --events examples/events.ndjson
 */
const HOME = ['US', 'CA', 'GB', 'DE'];
const SANCTIONED = ['KP', 'IR'];

exports.onExecutePostLogin = async (event, api) => {
  const geo = (event.request && event.request.geoip) || {};
  const risk = (event.authentication && event.authentication.riskAssessment) || {};
  const roles = (event.authorization && event.authorization.roles) || [];

  if (SANCTIONED.includes(geo.countryCode)) {
    api.access.deny('Sign-in from this region is not permitted');
    return;
  }
  if (roles.includes('admin')) {
    api.authentication.challengeWith({ type: 'webauthn-roaming' }, { additionalFactors: [{ type: 'otp' }] });
    return;
  }
  if (risk.confidence === 'low') {
    api.authentication.challengeWithAny([{ type: 'webauthn-platform' }, { type: 'otp' }, { type: 'push-notification' }]);
    return;
  }
  if (geo.countryCode && !HOME.includes(geo.countryCode)) {
    api.authentication.challengeWith({ type: 'otp' }, { additionalFactors: [{ type: 'push-notification' }] });
  }
};
