// Asks every user who has no MFA provider yet to enroll; enrolled users
// pass (user.multifactor lists the providers a user is enrolled with).
function enrollEveryone(user, context, callback) {
  const providers = Array.isArray(user.multifactor) ? user.multifactor : [];
  if (providers.length === 0) {
    context.multifactor = { provider: 'any' };
  }
  return callback(null, user, context);
}
