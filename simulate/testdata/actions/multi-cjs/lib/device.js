const { createHash } = require('node:crypto');

// fingerprint hashes what the login says about the device.
async function fingerprint(event) {
  await null;
  const h = createHash('sha256');
  h.update(event.request.user_agent || '');
  h.update('|');
  h.update(event.request.ip);
  return h.digest('hex');
}

module.exports = { fingerprint };
