// A post-login Action split over helper modules, CommonJS, as a team would
// write it: trusted networks and countries in one module, the device
// fingerprint in another.
const { isTrustedNetwork, HOME_COUNTRIES } = require('./lib/networks');
const { fingerprint } = require('./lib/device.js');
const crypto = require('crypto');

exports.onExecutePostLogin = async (event, api) => {
  const country = event.request.geoip?.countryCode;
  const fp = await fingerprint(event);
  api.idToken.setCustomClaim('https://example.com/device', fp.slice(0, 12));
  if (event.user.app_metadata?.break_glass === crypto.createHash('sha256').update(event.user.user_id).digest('hex')) {
    console.log('break-glass account', event.user.user_id);
    return;
  }
  if (isTrustedNetwork(event.request.ip)) {
    return;
  }
  if (!HOME_COUNTRIES.has(country)) {
    api.authentication.challengeWith({ type: 'otp' }, { additionalFactors: [{ type: 'push-notification' }] });
    return;
  }
  if (event.authentication?.riskAssessment?.confidence === 'low') {
    api.authentication.challengeWithAny([{ type: 'webauthn-platform' }, { type: 'otp' }]);
  }
};
