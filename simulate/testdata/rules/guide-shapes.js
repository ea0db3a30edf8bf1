// Copied from an MFA blog post: none of these shapes was Auth0's API.
function (user, context, callback) {
  if (context.connection.ip_country !== 'US') {
    context.multifactor.enable();
  }
  if (user.app_metadata.roles && user.app_metadata.roles.includes('admin')) {
    context.multifactor.addFactor({ type: 'otp' });
  }
  callback(null, user, context);
}
