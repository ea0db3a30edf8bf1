exports.misbehave = async function misbehave(mode) {
  switch (mode) {
    case 'loop':
      while (true) {}
    case 'spin-async':
      for (;;) await null;
    case 'memory': {
      const hoard = [];
      for (let i = 0; ; i++) hoard.push('x'.repeat(1 << 20) + i);
    }
    case 'reject':
      return Promise.reject(new TypeError('upstream said no'));
    case 'pending':
      return new Promise(() => {});
  }
};
