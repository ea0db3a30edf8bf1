// Sleeps 4 s (a retry backoff), then asks for MFA when the user's last MFA
// is more than a day before the login.
const DAY = 24 * 60 * 60 * 1000;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
exports.onExecutePostLogin = async (event, api) => {
  const start = Date.now();
  await sleep(4000);
  const now = Date.now();
  console.log(new Date(now).toISOString() + ' slept ' + (now - start) + ' perf ' + performance.now());
  if (now - Date.parse(event.user.app_metadata.lastMfa) > DAY) {
    api.multifactor.enable('any');
  }
};
