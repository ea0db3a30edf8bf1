// url for simulation: the WHATWG URL and URLSearchParams classes (parsing
// by Go's net/url) and the legacy url.parse/url.format for the common
// http(s) cases.
'use strict';
const host = globalThis.__mfapolicyHost;
const qs = require('./querystring.js');

class URLSearchParams {
  constructor(init) {
    this._list = [];
    if (init === undefined || init === null) return;
    if (typeof init === 'string') {
      const s = init[0] === '?' ? init.slice(1) : init;
      for (const part of s.split('&')) {
        if (part === '') continue;
        const i = part.indexOf('=');
        const dec = (x) => qs.unescape(x);
        this._list.push(i < 0 ? [dec(part), ''] : [dec(part.slice(0, i)), dec(part.slice(i + 1))]);
      }
    } else if (typeof init[Symbol.iterator] === 'function') {
      for (const [k, v] of init) this._list.push([String(k), String(v)]);
    } else {
      for (const k of Object.keys(init)) this._list.push([k, String(init[k])]);
    }
  }
  get size() { return this._list.length; }
  append(k, v) { this._list.push([String(k), String(v)]); this._update(); }
  delete(k) { this._list = this._list.filter((e) => e[0] !== k); this._update(); }
  get(k) { const e = this._list.find((x) => x[0] === k); return e ? e[1] : null; }
  getAll(k) { return this._list.filter((e) => e[0] === k).map((e) => e[1]); }
  has(k) { return this._list.some((e) => e[0] === k); }
  set(k, v) {
    const i = this._list.findIndex((e) => e[0] === k);
    if (i < 0) this._list.push([String(k), String(v)]);
    else {
      this._list[i][1] = String(v);
      this._list = this._list.filter((e, j) => j <= i || e[0] !== k);
    }
    this._update();
  }
  sort() { this._list.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)); this._update(); }
  forEach(fn, self) { for (const [k, v] of this._list) fn.call(self, v, k, this); }
  keys() { return this._list.map((e) => e[0])[Symbol.iterator](); }
  values() { return this._list.map((e) => e[1])[Symbol.iterator](); }
  entries() { return this._list.map((e) => [e[0], e[1]])[Symbol.iterator](); }
  [Symbol.iterator]() { return this.entries(); }
  toString() {
    const enc = (s) => encodeURIComponent(s).replace(/%20/g, '+');
    return this._list.map((e) => enc(e[0]) + '=' + enc(e[1])).join('&');
  }
  _update() {
    if (this._url) {
      const s = this.toString();
      this._url._search = s ? '?' + s : '';
    }
  }
}

class URL {
  constructor(input, base) {
    const p = host.parseURL(String(input), base === undefined ? undefined : String(base));
    this._protocol = p.protocol;
    this.username = p.username;
    this.password = p.password;
    this.hostname = p.hostname;
    this.port = p.port;
    this.pathname = p.pathname;
    this._search = p.search;
    this.hash = p.hash;
    this._params = null;
  }
  get protocol() { return this._protocol; }
  get host() { return this.hostname + (this.port ? ':' + this.port : ''); }
  get origin() { return this.hostname ? this._protocol + '//' + this.host : 'null'; }
  get search() { return this._search; }
  set search(s) {
    s = String(s);
    this._search = s === '' ? '' : s[0] === '?' ? s : '?' + s;
    this._params = null;
  }
  get searchParams() {
    if (!this._params) {
      this._params = new URLSearchParams(this._search);
      this._params._url = this;
    }
    return this._params;
  }
  get href() {
    const auth = this.username ? this.username + (this.password ? ':' + this.password : '') + '@' : '';
    const slashes = this.hostname || this._protocol === 'file:' ? '//' : '';
    return this._protocol + slashes + auth + this.host + this.pathname + this._search + this.hash;
  }
  toString() { return this.href; }
  toJSON() { return this.href; }
  static canParse(input, base) {
    try {
      new URL(input, base);
      return true;
    } catch (e) {
      return false;
    }
  }
}

function parse(str, parseQuery) {
  let u;
  try {
    u = new URL(str);
  } catch (e) {
    const q = str.indexOf('?');
    const path = q < 0 ? str : str.slice(0, q);
    const search = q < 0 ? null : str.slice(q);
    return { protocol: null, host: null, hostname: null, port: null, pathname: path, search,
      query: parseQuery ? qs.parse(search ? search.slice(1) : '') : search ? search.slice(1) : null,
      hash: null, path: str, href: str };
  }
  const search = u.search || null;
  return {
    protocol: u.protocol, slashes: true, auth: u.username ? u.username + (u.password ? ':' + u.password : '') : null,
    host: u.host, port: u.port || null, hostname: u.hostname, hash: u.hash || null, search,
    query: parseQuery ? qs.parse(search ? search.slice(1) : '') : search ? search.slice(1) : null,
    pathname: u.pathname, path: u.pathname + (u.search || ''), href: u.href,
  };
}

function format(o) {
  if (o instanceof URL) return o.href;
  let s = '';
  if (o.protocol) s += o.protocol.endsWith(':') ? o.protocol : o.protocol + ':';
  if (o.host || o.hostname) s += '//' + (o.auth ? o.auth + '@' : '') + (o.host || o.hostname + (o.port ? ':' + o.port : ''));
  s += o.pathname || '';
  if (o.search) s += o.search[0] === '?' ? o.search : '?' + o.search;
  else if (o.query && typeof o.query === 'object') {
    const q = qs.stringify(o.query);
    if (q) s += '?' + q;
  }
  if (o.hash) s += o.hash[0] === '#' ? o.hash : '#' + o.hash;
  return s;
}

module.exports = { URL, URLSearchParams, parse, format, resolve: (from, to) => new URL(to, from).href };
