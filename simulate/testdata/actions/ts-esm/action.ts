// A TypeScript post-login Action written as an ES module: types, an
// enum, a class with private state, async helpers in another file.
import { RiskScorer, Verdict, type LoginSignals } from './risk';
import { format } from 'node:util';

interface Event {
  request: { ip: string; geoip?: { countryCode?: string } };
  authentication?: { riskAssessment?: { confidence: 'low' | 'medium' | 'high' | 'neutral' } };
  user: { user_id: string; app_metadata?: Record<string, unknown> };
  secrets: Record<string, string>;
}

const scorer = new RiskScorer(['KP', 'IR'], ['US', 'GB']);

export const onExecutePostLogin = async (event: Event, api: any): Promise<void> => {
  const signals: LoginSignals = {
    country: event.request.geoip?.countryCode ?? 'unknown',
    confidence: event.authentication?.riskAssessment?.confidence ?? 'neutral',
    vip: event.user.app_metadata?.vip === true,
  };
  const verdict = await scorer.score(signals);
  console.log(format('%s scored %d: %s', event.user.user_id, scorer.count, Verdict[verdict]));
  switch (verdict) {
    case Verdict.Block:
      api.access.deny(event.secrets.DENY_MESSAGE ?? 'Blocked');
      break;
    case Verdict.StepUp:
      api.authentication.challengeWith({ type: 'webauthn-platform' }, { additionalFactors: [{ type: 'otp' }] });
      break;
    case Verdict.Pass:
      break;
  }
};
