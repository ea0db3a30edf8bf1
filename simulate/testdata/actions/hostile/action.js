// An Action whose helper misbehaves on some logins: an endless loop, a
// memory bomb, an unhandled rejection, a callback that never settles.
const { misbehave } = require('./misbehave');

exports.onExecutePostLogin = async (event, api) => {
  await misbehave(event.user.app_metadata.mode);
  api.multifactor.enable('any');
};
