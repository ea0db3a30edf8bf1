// Shaped like a compiled policy: exports decide(event) and acts on it.
const decide = (event) => {
  const c = event.request.geoip.countryCode;
  if (c === 'KP') return { rule: 'sanctioned', outcome: 'deny', factors: [], reason: 'blocked', error: '' };
  if (c !== 'US') return { rule: 'abroad', outcome: 'challenge', factors: ['otp'], reason: '', error: '' };
  return { rule: '', outcome: 'allow', factors: [], reason: '', error: '' };
};
exports.decide = decide;
exports.onExecutePostLogin = async (event, api) => {
  const d = decide(event);
  if (d.outcome === 'deny') api.access.deny(d.reason);
  // Bug on purpose: forgets to challenge users from CA.
  if (d.outcome === 'challenge' && event.request.geoip.countryCode !== 'CA') {
    api.authentication.challengeWith({ type: d.factors[0] });
  }
};
