// Adaptive MFA on a new device: challenge enrolled users when the
// NewDevice assessment has low confidence.
exports.onExecutePostLogin = async (event, api) => {
  const nd = event.authentication?.riskAssessment?.assessments?.NewDevice;
  if (nd?.confidence === 'low' && event.user.multifactor && event.user.multifactor.length > 0) {
    api.multifactor.enable('any', { allowRememberBrowser: false });
  }
};
