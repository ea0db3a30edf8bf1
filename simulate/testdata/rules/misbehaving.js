function (user, context, callback) {
  switch (user.app_metadata.mode) {
    case 'forget':
      return; // never calls callback
    case 'loop':
      for (;;) {}
    case 'throw':
      return user.profile.name.toUpperCase();
    case 'twice':
      callback(null, user, context);
      return callback(new UnauthorizedError('too late'));
  }
  callback(null, user, context);
}
