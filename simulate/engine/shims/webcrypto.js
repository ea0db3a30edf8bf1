// globalThis.crypto for simulation: Node 22's Web Crypto global, with
// getRandomValues and randomUUID backed by Go; crypto.subtle (keys,
// signatures, ciphers) throws "not supported in simulation" when used.
// Reference: https://nodejs.org/docs/latest-v22.x/api/webcrypto.html
const host = globalThis.__mfapolicyHost;

const subtle = new Proxy({}, {
  get(_, key) {
    if (typeof key === 'symbol') return undefined;
    return () => Promise.reject(new Error('crypto.subtle.' + key + ' is not supported in simulation'));
  },
});

class CryptoKey {}

const crypto = {
  getRandomValues(array) {
    if (!ArrayBuffer.isView(array)) throw new TypeError('The "typedArray" argument must be an integer-type TypedArray');
    const bytes = new Uint8Array(host.randomBytes(array.byteLength));
    new Uint8Array(array.buffer, array.byteOffset, array.byteLength).set(bytes);
    return array;
  },
  randomUUID: () => host.randomUUID(),
  subtle,
};

export { crypto, CryptoKey };
