// Logs the order timers, immediates and microtasks run in, by mode.
exports.onExecutePostLogin = (event, api) => new Promise((resolve, reject) => {
  const log = [];
  const mode = event.user.app_metadata.mode;
  const t0 = Date.now();
  const at = (what) => log.push(what + '@' + (Date.now() - t0));
  if (mode === 'order') {
    setTimeout(() => at('timeout10'), 10);
    setTimeout(() => at('timeout0'), 0);
    setImmediate(() => at('immediate'));
    queueMicrotask(() => at('microtask'));
    const cancelled = setTimeout(() => at('cancelled'), 5);
    clearTimeout(cancelled);
    const byId = setTimeout(() => at('cancelled by id'), 6);
    clearTimeout(+byId);
    const later = setTimeout(() => at('refreshed'), 50);
    setTimeout(() => later.refresh(), 40);
    let n = 0;
    const iv = setInterval(() => { at('tick' + (++n)); if (n === 3) clearInterval(iv); }, 100, 'arg');
    setTimeout((a, b) => { at('args:' + a + b); console.log(log.join(' ')); resolve(); }, 500, 'x', 'y');
    at('sync');
  } else if (mode === 'forever') {
    setInterval(() => {}, 1000);
  } else if (mode === 'throws') {
    setTimeout(() => { throw new Error('boom in a timer'); }, 10);
  } else if (mode === 'long') {
    setTimeout(resolve, 30000);
  }
});
