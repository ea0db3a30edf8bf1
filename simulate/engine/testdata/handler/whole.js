function keys(o) { return o && typeof o === 'object' ? Object.keys(o).join(',') : String(o); }
exports.onExecutePostLogin = async (event, api) => {
  api.idToken.setCustomClaim('keys', keys(event) + '|' + keys(event.user) + '|' + keys(event.request));
};
