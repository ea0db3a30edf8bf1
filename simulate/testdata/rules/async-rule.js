async function (user, context, callback) {
  // Looks the user's tier up (here: from app_metadata, through a promise
  // chain as a real lookup would), then records the check.
  const lookup = (u) => Promise.resolve(u.app_metadata.tier || 'basic');
  try {
    const tier = await lookup(user);
    if (tier === 'suspended') {
      throw new UnauthorizedError('Account suspended');
    }
    if (tier === 'broken') {
      throw new Error('tier service returned garbage');
    }
    user.app_metadata.last_check = 'done';
    await auth0.users.updateAppMetadata(user.user_id, user.app_metadata);
    if (tier === 'gold' || context.request.query.acr_values === 'mfa') {
      context.multifactor = { provider: 'guardian' };
    }
    callback(null, user, context);
  } catch (err) {
    callback(err);
  }
}
