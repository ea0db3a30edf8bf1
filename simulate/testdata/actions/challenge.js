// Challenges logins from outside the US with otp or push; denies KP.
exports.onExecutePostLogin = async (event, api) => {
  const country = (event.request.geoip || {}).countryCode;
  if (country === 'KP') {
    api.access.deny('Sign-in from this region is not permitted');
    return;
  }
  if (country !== 'US') {
    api.authentication.challengeWith({ type: 'otp' }, { additionalFactors: [{ type: 'push-notification' }] });
  }
};
