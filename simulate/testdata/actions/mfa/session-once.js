// MFA once per session, read from the methods the session completed.
exports.onExecutePostLogin = async (event, api) => {
  const methods = event.authentication?.methods ?? [];
  if (!methods.find(({ name }) => name === 'mfa')) {
    api.multifactor.enable('any', { allowRememberBrowser: false });
  }
};
