// Require enrollment: a user with no MFA provider is asked to enroll.
exports.onExecutePostLogin = async (event, api) => {
  if (!event.user.multifactor?.length) {
    api.multifactor.enable('any');
  }
};
