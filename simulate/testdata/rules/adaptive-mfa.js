function adaptiveMfa(user, context, callback) {
  // Deny sanctioned regions, require MFA on low confidence or abroad, and
  // never for the break-glass client.
  const BLOCKED = ['KP', 'IR'];
  const HOME = configuration.HOME_COUNTRIES.split(',');
  if (context.clientID === configuration.BREAK_GLASS_CLIENT) {
    return callback(null, user, context);
  }
  const country = context.request.geoip && context.request.geoip.country_code;
  if (BLOCKED.indexOf(country) !== -1) {
    return callback(new UnauthorizedError('Sign-in from ' + context.request.geoip.country_name + ' is not permitted'));
  }
  const risk = context.riskAssessment;
  if ((risk && risk.confidence === 'low') || HOME.indexOf(country) === -1) {
    context.multifactor = { provider: 'any', allowRememberBrowser: false };
  }
  context.idToken['https://example.com/logins'] = context.stats.loginsCount;
  callback(null, user, context);
}
