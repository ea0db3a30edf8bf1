// http and https for simulation: request and get as Node has them, with
// the ClientRequest and IncomingMessage events libraries listen to
// (response, data, end, error, close), answered by the HTTP fixtures
// (--http) instead of the network. A request no fixture matches emits
// 'error' with code ECONNREFUSED, as a refused connection does.
// Reference: https://nodejs.org/docs/latest-v22.x/api/http.html
'use strict';
const EventEmitter = require('./events.js');
const { Buffer } = require('./buffer.js');
const { Headers, send } = require('./fetch.js');

class IncomingMessage extends EventEmitter {
  constructor(ans) {
    super();
    this.statusCode = ans.status;
    this.statusMessage = ans.statusText;
    this.headers = Object.assign({}, ans.headers);
    this.rawHeaders = [];
    for (const k of Object.keys(this.headers)) this.rawHeaders.push(k, this.headers[k]);
    this.httpVersion = '1.1';
    this.complete = false;
    this._encoding = null;
    this._chunk = Buffer.from(ans.body || '', 'utf8');
  }
  setEncoding(enc) { this._encoding = enc; return this; }
  resume() { return this; }
  pause() { return this; }
  destroy() { return this; }
  setTimeout() { return this; }
  pipe(dest) {
    this.on('data', (c) => dest.write(c));
    this.on('end', () => { if (typeof dest.end === 'function') dest.end(); });
    return dest;
  }
  _deliver() {
    if (this._chunk.length > 0) this.emit('data', this._encoding ? this._chunk.toString(this._encoding) : this._chunk);
    this.complete = true;
    this.emit('end');
    this.emit('close');
  }
  async *[Symbol.asyncIterator]() {
    if (this._chunk.length > 0) yield this._encoding ? this._chunk.toString(this._encoding) : this._chunk;
  }
}

class ClientRequest extends EventEmitter {
  constructor(protocol, opts, cb) {
    super();
    const host = opts.hostname || (opts.host || 'localhost').replace(/:\d+$/, '');
    const port = opts.port ? ':' + opts.port : '';
    this.method = String(opts.method || 'GET').toUpperCase();
    this.path = opts.path || '/';
    this.host = host;
    this.protocol = protocol;
    // As fetch sees it: default ports dropped, so that one fixture URL
    // matches both.
    this._url = new URL(protocol + '//' + host + port + this.path).href;
    this._headers = new Headers();
    const h = opts.headers || {};
    for (const k of Object.keys(h)) this._headers.set(k, Array.isArray(h[k]) ? h[k].join(', ') : h[k]);
    this._body = [];
    this._ended = false;
    this.destroyed = false;
    if (typeof cb === 'function') this.once('response', cb);
  }
  setHeader(k, v) { this._headers.set(k, Array.isArray(v) ? v.join(', ') : v); return this; }
  getHeader(k) { const v = this._headers.get(k); return v === null ? undefined : v; }
  getHeaders() { const o = {}; this._headers.forEach((v, k) => { o[k] = v; }); return o; }
  hasHeader(k) { return this._headers.has(k); }
  removeHeader(k) { this._headers.delete(k); }
  setTimeout(ms, cb) { if (typeof cb === 'function') this.once('timeout', cb); return this; }
  setNoDelay() {}
  setSocketKeepAlive() {}
  flushHeaders() {}
  write(chunk, enc, cb) {
    if (typeof enc === 'function') cb = enc;
    this._body.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    if (typeof cb === 'function') setImmediate(cb);
    return true;
  }
  end(chunk, enc, cb) {
    if (typeof chunk === 'function') { cb = chunk; chunk = undefined; }
    if (typeof enc === 'function') cb = enc;
    if (chunk !== undefined && chunk !== null) this.write(chunk);
    if (this._ended) return this;
    this._ended = true;
    const body = this._body.length > 0 ? this._body.join('') : undefined;
    send(this.method, this._url, this._headers, body, (err, ans) => {
      if (this.destroyed) return;
      if (typeof cb === 'function') cb();
      if (err !== null) {
        const e = new Error(err);
        e.code = 'ECONNREFUSED';
        e.errno = -111;
        e.syscall = 'connect';
        this.emit('error', e);
        this.emit('close');
        return;
      }
      const res = new IncomingMessage(ans);
      this.res = res;
      this.emit('response', res);
      res._deliver();
      this.emit('close');
    });
    return this;
  }
  abort() { this.destroy(); }
  destroy(err) {
    if (this.destroyed) return this;
    this.destroyed = true;
    if (err) setImmediate(() => this.emit('error', err));
    setImmediate(() => this.emit('close'));
    return this;
  }
}

// options reads request's (url, options, callback) overloads.
function options(protocol, args) {
  let [a, b, c] = args;
  let opts = {};
  if (typeof a === 'string' || a instanceof URL) {
    const u = new URL(String(a));
    opts = { protocol: u.protocol, hostname: u.hostname, port: u.port, path: u.pathname + u.search };
  } else if (a && typeof a === 'object') {
    opts = Object.assign({}, a);
    c = b;
    b = undefined;
  }
  if (typeof b === 'function') { c = b; b = undefined; }
  if (b && typeof b === 'object') opts = Object.assign(opts, b);
  return new ClientRequest(opts.protocol || protocol, opts, c);
}

class Agent extends EventEmitter {
  constructor(opts) { super(); this.options = Object.assign({}, opts); }
  destroy() {}
}

const STATUS_CODES = { 200: 'OK', 201: 'Created', 204: 'No Content', 301: 'Moved Permanently', 302: 'Found', 304: 'Not Modified', 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict', 429: 'Too Many Requests', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout' };
const METHODS = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'];

function makeModule(protocol) {
  const request = (...args) => options(protocol, args);
  const get = (...args) => { const r = request(...args); r.end(); return r; };
  return { request, get, Agent, globalAgent: new Agent(), ClientRequest, IncomingMessage, STATUS_CODES, METHODS };
}

module.exports = { makeModule };
