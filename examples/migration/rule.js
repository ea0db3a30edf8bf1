/**
 * The legacy Rule this tenant ran before Actions: deny sanctioned regions
 * and IPs on Auth0's deny lists, require MFA (any factor) on a
 * low-confidence login or a login from outside the home countries.
 *
 *   mfapolicy simulate --rule examples/migration/rule.js --events examples/events.ndjson
 */
function adaptiveMfa(user, context, callback) {
  const SANCTIONED = ['KP', 'IR', 'SY', 'CU'];
  const HOME = ['US', 'CA', 'GB', 'DE'];

  const geo = context.request.geoip || {};
  if (SANCTIONED.indexOf(geo.country_code) !== -1) {
    return callback(new UnauthorizedError('Sign-in from this region is not permitted'));
  }

  const risk = context.riskAssessment || {};
  const untrusted = risk.assessments && risk.assessments.UntrustedIP;
  if (untrusted && untrusted.code === 'found_on_deny_list') {
    return callback(new UnauthorizedError('Sign-in from this network is blocked'));
  }

  if (risk.confidence === 'low' || HOME.indexOf(geo.country_code) === -1) {
    context.multifactor = { provider: 'any', allowRememberBrowser: false };
  }
  return callback(null, user, context);
}
