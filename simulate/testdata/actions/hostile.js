// Tries to reach the host: every branch must fail cleanly.
exports.onExecutePostLogin = async (event, api) => {
  switch (event.user.app_metadata.try) {
    case 'require': require('fs').readFileSync('/etc/passwd'); break;
    case 'process': api.idToken.setCustomClaim('https://x/env', process.env.HOME); break;
    case 'fetch': await fetch('https://example.com'); break;
    case 'timer': await new Promise(() => setInterval(() => {}, 1000)); break;
    case 'pending': await new Promise(() => {}); break;
  }
};
