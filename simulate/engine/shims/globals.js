// Globals of Node.js that Actions use, injected into the bundle so that a
// free reference to Buffer, URL, atob... finds them; process refuses every
// access with a message naming what was read.
import { Buffer, bytesOf } from './buffer.js';
import { URL, URLSearchParams } from './url.js';
import { fetch, Headers, Request, Response, AbortController, AbortSignal, FormData, Blob } from './fetch.js';
import { crypto, CryptoKey } from './webcrypto.js';

const host = globalThis.__mfapolicyHost;

class TextEncoder {
  get encoding() { return 'utf-8'; }
  encode(s) { return new Uint8Array(host.decode(String(s === undefined ? '' : s), 'utf8')); }
}

class TextDecoder {
  get encoding() { return 'utf-8'; }
  decode(b) {
    if (b === undefined) return '';
    const u8 = b instanceof ArrayBuffer ? new Uint8Array(b) : new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    return host.encode(bytesOf(u8), 'utf8');
  }
}

const atob = (s) => host.encode(host.decode(String(s), 'base64'), 'latin1');
const btoa = (s) => host.encode(host.decode(String(s), 'latin1'), 'base64');

// What libraries read of process to describe the runtime (the auth0 SDK's
// telemetry, feature checks) is answered as a Node 22 process would; the
// rest, process.env first, throws.
const runtime = {
  version: 'v22.0.0',
  versions: { node: '22.0.0' },
  release: { name: 'node' },
  platform: 'linux',
  arch: 'x64',
  nextTick: (fn, ...args) => queueMicrotask(() => fn(...args)),
  emitWarning: () => {},
};

const process = new Proxy({}, {
  get(_, key) {
    if (typeof key === 'symbol') return undefined;
    if (Object.prototype.hasOwnProperty.call(runtime, key)) return runtime[key];
    throw new Error('process.' + key + ' is not supported in simulation: an Action gets no access to the host; read configuration from event.secrets');
  },
});

export {
  Buffer, URL, URLSearchParams, TextEncoder, TextDecoder, atob, btoa, process,
  fetch, Headers, Request, Response, AbortController, AbortSignal, FormData, Blob, crypto, CryptoKey,
};
