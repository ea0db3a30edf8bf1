// Step-up: MFA when the application asks for it in acr_values.
const MFA_POLICY = 'http://schemas.openid.net/pape/policies/2007/06/multi-factor';
exports.onExecutePostLogin = async (event, api) => {
  const acr = event.transaction?.acr_values ?? [];
  if (acr.includes(MFA_POLICY)) {
    api.multifactor.enable('any', { allowRememberBrowser: false });
  }
};
