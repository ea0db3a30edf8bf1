// Loops forever for users whose app_metadata.loop is set.
exports.onExecutePostLogin = async (event, api) => {
  if (event.user.app_metadata.loop) {
    for (;;) {}
  }
  api.multifactor.enable('any');
};
