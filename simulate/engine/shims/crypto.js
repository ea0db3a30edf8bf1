// crypto for simulation: hashes, HMACs and random values through Go's
// crypto packages. Keys, ciphers and signatures are not available.
'use strict';
const host = globalThis.__mfapolicyHost;
const { Buffer, bytesOf } = require('./buffer.js');

function toBytes(data, encoding) {
  if (typeof data === 'string') return Buffer.from(data, encoding || 'utf8');
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  throw new TypeError('The "data" argument must be a string, Buffer, TypedArray or DataView');
}

class Digest {
  constructor(alg, key) {
    this.alg = alg;
    this.key = key;
    this.parts = [];
    this.done = false;
    if (!host.hash(alg, new ArrayBuffer(0))) throw new Error('Digest method not supported');
  }
  update(data, encoding) {
    if (this.done) throw new Error('Digest already called');
    this.parts.push(toBytes(data, encoding));
    return this;
  }
  digest(encoding) {
    if (this.done) throw new Error('Digest already called');
    this.done = true;
    const all = bytesOf(Buffer.concat(this.parts.map((p) => Buffer.from(p))));
    const out = new Buffer(this.key ? host.hmac(this.alg, this.key, all) : host.hash(this.alg, all));
    return encoding ? out.toString(encoding) : out;
  }
}

function unsupported(name) {
  return function () {
    throw new Error('crypto.' + name + ' is not supported in simulation');
  };
}

module.exports = {
  createHash: (alg) => new Digest(alg),
  createHmac: (alg, key) => new Digest(alg, bytesOf(Buffer.from(toBytes(key)))),
  randomBytes: (n) => new Buffer(host.randomBytes(n)),
  randomUUID: () => host.randomUUID(),
  randomInt(min, max) {
    if (max === undefined) { max = min; min = 0; }
    return min + Math.floor(Math.random() * (max - min));
  },
  timingSafeEqual(a, b) {
    if (a.length !== b.length) throw new RangeError('Input buffers must have the same byte length');
    let d = 0;
    for (let i = 0; i < a.length; i++) d |= a[i] ^ b[i];
    return d === 0;
  },
  getHashes: () => ['md5', 'sha1', 'sha256', 'sha384', 'sha512'],
  createCipheriv: unsupported('createCipheriv'),
  createDecipheriv: unsupported('createDecipheriv'),
  createSign: unsupported('createSign'),
  createVerify: unsupported('createVerify'),
  createPrivateKey: unsupported('createPrivateKey'),
  createPublicKey: unsupported('createPublicKey'),
  createSecretKey: unsupported('createSecretKey'),
  pbkdf2: unsupported('pbkdf2'),
  pbkdf2Sync: unsupported('pbkdf2Sync'),
  scrypt: unsupported('scrypt'),
  scryptSync: unsupported('scryptSync'),
  sign: unsupported('sign'),
  verify: unsupported('verify'),
  webcrypto: undefined,
  subtle: undefined,
};
