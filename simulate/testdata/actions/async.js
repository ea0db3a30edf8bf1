// Awaits a chain of promises before deciding.
const lookup = async (country) => {
  await null;
  return Promise.resolve(country === 'US' ? 'home' : 'abroad');
};
exports.onExecutePostLogin = async (event, api) => {
  const where = await lookup(event.request.geoip.countryCode);
  console.log('where', where, { country: event.request.geoip.countryCode });
  if (where === 'abroad') {
    api.authentication.challengeWithAny([{ type: 'otp' }, { type: 'phone', options: { preferredMethod: 'sms' } }]);
  }
};
