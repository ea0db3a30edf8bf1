exports.onExecutePostLogin = async (event, api) => {
  if (event.user.app_metadata.boom) {
    throw new Error('boom for ' + event.user.user_id);
  }
  api.idToken.setCustomClaim('https://example.com/ok', true);
};
