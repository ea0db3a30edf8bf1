// Challenges enrolled users when the ImpossibleTravel assessment is not
// confident, every time (the browser is not remembered); a user with no
// provider is let through rather than made to enroll mid-risk.
function (user, context, callback) {
  const travel = context.riskAssessment && context.riskAssessment.assessments &&
    context.riskAssessment.assessments.ImpossibleTravel;
  const risky = travel !== undefined && (travel.confidence === 'low' || travel.confidence === 'medium');
  const canPrompt = (user.multifactor || []).length > 0;
  if (risky && canPrompt) {
    context.multifactor = { provider: 'any', allowRememberBrowser: false };
  }
  callback(null, user, context);
}
