exports.onExecutePostLogin = async (event, api) => {
  const geo = (event.request && event.request.geoip) || {};
  const risk = (event.authentication && event.authentication.riskAssessment) || {};
  const roles = (event.authorization && event.authorization.roles) || [];
  const meta = (event.user && event.user.app_metadata) || {};
  api.idToken.setCustomClaim('seen', [geo.countryCode, geo.length, risk.confidence, risk.assessments && risk.assessments.NewDevice && risk.assessments.NewDevice.code, roles.length, meta.plan].join('|'));
  if (roles.includes('admin') || risk.confidence === 'low') api.authentication.challengeWith({ type: 'otp' });
};
