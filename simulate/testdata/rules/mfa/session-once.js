// MFA once per session: a login whose session already completed MFA
// passes; any other is challenged.
function sessionOnce(user, context, callback) {
  const methods = (context.authentication && context.authentication.methods) || [];
  const done = methods.some((m) => m.name === 'mfa');
  if (!done) {
    context.multifactor = { provider: 'any', allowRememberBrowser: false };
  }
  callback(null, user, context);
}
