// timers and timers/promises for simulation: the globals the simulator
// defines on the login's virtual clock (clock.go), as modules.
// Reference: https://nodejs.org/docs/latest-v22.x/api/timers.html
'use strict';

const promises = {
  setTimeout: (ms, value) => new Promise((resolve) => globalThis.setTimeout(resolve, ms, value)),
  setImmediate: (value) => new Promise((resolve) => globalThis.setImmediate(resolve, value)),
  scheduler: {
    wait: (ms) => new Promise((resolve) => globalThis.setTimeout(resolve, ms)),
    yield: () => new Promise((resolve) => globalThis.setImmediate(resolve)),
  },
};

module.exports = {
  setTimeout: (...a) => globalThis.setTimeout(...a),
  setInterval: (...a) => globalThis.setInterval(...a),
  setImmediate: (...a) => globalThis.setImmediate(...a),
  clearTimeout: (t) => globalThis.clearTimeout(t),
  clearInterval: (t) => globalThis.clearInterval(t),
  clearImmediate: (t) => globalThis.clearImmediate(t),
  promises,
};
