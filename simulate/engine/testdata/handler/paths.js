exports.onExecutePostLogin = async (event, api) => {
  const geo = (event.request && event.request.geoip) || {};
  if (event.user && event.user.app_metadata && event.user.app_metadata.hasOwnProperty('plan')) api.idToken.setCustomClaim('plan', event.user.app_metadata.plan);
  api.idToken.setCustomClaim('geo', JSON.stringify(geo));
  api.idToken.setCustomClaim('methods', typeof event.authentication === 'object' && event.authentication !== null ? JSON.stringify(event.authentication.methods) : 'none');
  api.idToken.setCustomClaim('mf', JSON.stringify([event.user?.multifactor, event.user?.enrolledFactors]));
  if (event.stats == null) api.idToken.setCustomClaim('stats', 'none');
  if (geo.countryCode && geo.countryCode !== 'US') api.authentication.challengeWith({ type: 'otp' });
};
