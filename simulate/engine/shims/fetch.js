// fetch for simulation: the WHATWG fetch API that Node 22 has as globals
// (fetch, Headers, Request, Response, AbortController), answered by the
// HTTP fixtures (--http) instead of the network. A request no fixture
// matches fails as Node's fetch fails on a refused connection: a TypeError
// "fetch failed" whose cause has code ECONNREFUSED.
// Reference: https://nodejs.org/docs/latest-v22.x/api/globals.html#fetch
const host = globalThis.__mfapolicyHost;

class Headers {
  constructor(init) {
    Object.defineProperty(this, '_map', { value: new Map() });
    if (init instanceof Headers) init.forEach((v, k) => this.append(k, v));
    else if (Array.isArray(init)) for (const [k, v] of init) this.append(k, v);
    else if (init && typeof init === 'object') for (const k of Object.keys(init)) this.append(k, init[k]);
  }
  append(k, v) {
    k = String(k).toLowerCase();
    const old = this._map.get(k);
    this._map.set(k, old === undefined ? String(v) : old + ', ' + v);
  }
  set(k, v) { this._map.set(String(k).toLowerCase(), String(v)); }
  get(k) { const v = this._map.get(String(k).toLowerCase()); return v === undefined ? null : v; }
  has(k) { return this._map.has(String(k).toLowerCase()); }
  delete(k) { this._map.delete(String(k).toLowerCase()); }
  forEach(fn, self) { for (const [k, v] of this.entries()) fn.call(self, v, k, this); }
  *entries() { yield* [...this._map.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)); }
  *keys() { for (const [k] of this.entries()) yield k; }
  *values() { for (const [, v] of this.entries()) yield v; }
  [Symbol.iterator]() { return this.entries(); }
  getSetCookie() { const v = this.get('set-cookie'); return v === null ? [] : [v]; }
}

// FormData and Blob exist so that libraries can test a body's kind
// (instanceof FormData); as bodies they are sent as their text.
class FormData {
  constructor() { Object.defineProperty(this, '_entries', { value: [] }); }
  append(k, v) { this._entries.push([String(k), v]); }
  set(k, v) { this.delete(k); this.append(k, v); }
  get(k) { const e = this._entries.find(([n]) => n === String(k)); return e ? e[1] : null; }
  getAll(k) { return this._entries.filter(([n]) => n === String(k)).map(([, v]) => v); }
  has(k) { return this._entries.some(([n]) => n === String(k)); }
  delete(k) { for (let i = this._entries.length - 1; i >= 0; i--) if (this._entries[i][0] === String(k)) this._entries.splice(i, 1); }
  *entries() { yield* this._entries.slice(); }
  [Symbol.iterator]() { return this.entries(); }
}

class Blob {
  constructor(parts, opts) {
    this._text = (parts || []).map((p) => (typeof p === 'string' ? p : p instanceof Blob ? p._text : new TextDecoder().decode(p))).join('');
    this.type = (opts && opts.type) || '';
  }
  get size() { return new TextEncoder().encode(this._text).byteLength; }
  text() { return Promise.resolve(this._text); }
  arrayBuffer() { return Promise.resolve(new TextEncoder().encode(this._text).buffer); }
}

// bodyText reads a request body as text: the simulator's fixtures match
// bodies as strings.
function bodyText(body) {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return body;
  if (body instanceof ArrayBuffer) return new TextDecoder().decode(body);
  if (ArrayBuffer.isView(body)) return new TextDecoder().decode(body);
  if (body instanceof Blob) return body._text;
  if (body instanceof FormData) return [...body.entries()].map(([k, v]) => encodeURIComponent(k) + '=' + encodeURIComponent(String(v))).join('&');
  return String(body);
}

class Body {
  _take() {
    if (this.bodyUsed) return Promise.reject(new TypeError('Body is unusable: Body has already been read'));
    this.bodyUsed = true;
    return Promise.resolve(this._body === undefined ? '' : this._body);
  }
  text() { return this._take(); }
  json() { return this._take().then((t) => JSON.parse(t)); }
  arrayBuffer() { return this._take().then((t) => new TextEncoder().encode(t).buffer); }
  bytes() { return this._take().then((t) => new TextEncoder().encode(t)); }
  get body() { return null; }
}

class Request extends Body {
  constructor(input, init) {
    super();
    init = init || {};
    const from = input instanceof Request ? input : null;
    this.url = from ? from.url : new URL(String(input)).href;
    this.method = String(init.method || (from ? from.method : 'GET')).toUpperCase();
    this.headers = new Headers(init.headers || (from ? from.headers : undefined));
    this._body = bodyText(init.body !== undefined ? init.body : from ? from._body : undefined);
    this.signal = init.signal || (from ? from.signal : new AbortController().signal);
    this.redirect = init.redirect || 'follow';
    this.credentials = init.credentials || 'same-origin';
    this.bodyUsed = false;
  }
  clone() { return new Request(this); }
}

class Response extends Body {
  constructor(body, init) {
    super();
    init = init || {};
    this._body = bodyText(body);
    this.status = init.status === undefined ? 200 : init.status;
    this.statusText = init.statusText || '';
    this.headers = new Headers(init.headers);
    this.ok = this.status >= 200 && this.status < 300;
    this.url = init.url || '';
    this.redirected = false;
    this.type = 'default';
    this.bodyUsed = false;
  }
  clone() { return new Response(this._body, this); }
  static json(data, init) {
    const r = new Response(JSON.stringify(data), init);
    if (!r.headers.has('content-type')) r.headers.set('content-type', 'application/json');
    return r;
  }
  static error() { return new Response(null, { status: 0 }); }
}

class AbortSignal {
  constructor() {
    this.aborted = false;
    this.reason = undefined;
    this.onabort = null;
    Object.defineProperty(this, '_listeners', { value: [] });
  }
  addEventListener(type, fn) { if (type === 'abort') this._listeners.push(fn); }
  removeEventListener(type, fn) { const i = this._listeners.indexOf(fn); if (i >= 0) this._listeners.splice(i, 1); }
  throwIfAborted() { if (this.aborted) throw this.reason; }
  static abort(reason) { const c = new AbortController(); c.abort(reason); return c.signal; }
  static timeout(ms) { const c = new AbortController(); setTimeout(() => c.abort(abortError('The operation was aborted due to timeout', 'TimeoutError')), ms); return c.signal; }
}

function abortError(msg, name) {
  const e = new Error(msg || 'This operation was aborted');
  e.name = name || 'AbortError';
  e.code = 20;
  return e;
}

class AbortController {
  constructor() { this.signal = new AbortSignal(); }
  abort(reason) {
    const s = this.signal;
    if (s.aborted) return;
    s.aborted = true;
    s.reason = reason === undefined ? abortError() : reason;
    const ev = { type: 'abort', target: s };
    if (typeof s.onabort === 'function') s.onabort(ev);
    for (const fn of s._listeners.slice()) fn.call(s, ev);
  }
}

// send asks the fixtures and calls done(error, answer) after the
// fixture's delay on the login's virtual clock.
function send(method, url, headers, body, done) {
  const h = {};
  headers.forEach((v, k) => { h[k] = v; });
  const ans = host.http(method, url, h, body);
  if (ans.error !== undefined) {
    setImmediate(() => done(ans.error));
    return;
  }
  if (ans.delay > 0) setTimeout(() => done(null, ans), ans.delay);
  else setImmediate(() => done(null, ans));
}

function fetch(input, init) {
  let req;
  try {
    req = new Request(input, init);
  } catch (e) {
    return Promise.reject(new TypeError('Failed to parse URL from ' + String(input)));
  }
  // Made here so that its stack names the Action's line that called fetch.
  const failure = new TypeError('fetch failed');
  return new Promise((resolve, reject) => {
    const signal = req.signal;
    if (signal.aborted) { reject(signal.reason); return; }
    let settled = false;
    const onAbort = () => { if (!settled) { settled = true; reject(signal.reason); } };
    signal.addEventListener('abort', onAbort);
    send(req.method, req.url, req.headers, req._body, (err, ans) => {
      signal.removeEventListener('abort', onAbort);
      if (settled) return;
      settled = true;
      if (err !== null) {
        const cause = new Error(err);
        cause.code = 'ECONNREFUSED';
        failure.cause = cause;
        reject(failure);
        return;
      }
      resolve(new Response(ans.body, { status: ans.status, statusText: ans.statusText, headers: ans.headers, url: req.url }));
    });
  });
}

export { fetch, Headers, Request, Response, AbortController, AbortSignal, FormData, Blob, send };
