// An ES module Action that signs a redirect-free "trusted device" check:
// an HMAC of the user id with a secret, compared with the value stored in
// app_metadata, plus an allow-list of callback hosts read from the query.
import { createHmac, timingSafeEqual } from 'crypto';
import querystring from 'querystring';
import { isAllowedHost } from './allowlist.mjs';

export async function onExecutePostLogin(event, api) {
  const key = event.secrets.DEVICE_KEY;
  if (!key) throw new Error('DEVICE_KEY secret is missing');
  const want = createHmac('sha256', key).update(event.user.user_id).digest();
  const have = Buffer.from(event.user.app_metadata.device_mac || '', 'base64url');
  const trusted = have.length === want.length && timingSafeEqual(have, want);

  const query = querystring.parse(querystring.stringify(event.request.query || {}));
  const target = query.redirect_uri ? new URL(query.redirect_uri) : null;
  if (target && !isAllowedHost(target.hostname)) {
    api.access.deny(`redirect_uri host ${target.hostname} is not allowed`);
    return;
  }
  if (!trusted) {
    api.authentication.challengeWithAny([{ type: 'otp' }, { type: 'email' }]);
  }
}
