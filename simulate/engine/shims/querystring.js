// querystring for simulation: parse and stringify, as Node does for the
// common cases.
'use strict';

function unescape(s) {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch (e) {
    return s;
  }
}

function escape(s) {
  return encodeURIComponent(s);
}

function parse(str, sep, eq) {
  sep = sep || '&';
  eq = eq || '=';
  const out = Object.create(null);
  if (typeof str !== 'string' || str === '') return out;
  for (const part of str.split(sep)) {
    if (part === '') continue;
    const i = part.indexOf(eq);
    const k = unescape(i < 0 ? part : part.slice(0, i));
    const v = i < 0 ? '' : unescape(part.slice(i + eq.length));
    if (!(k in out)) out[k] = v;
    else if (Array.isArray(out[k])) out[k].push(v);
    else out[k] = [out[k], v];
  }
  return out;
}

function prim(v) {
  switch (typeof v) {
    case 'string': return v;
    case 'number': return isFinite(v) ? String(v) : '';
    case 'bigint': return String(v);
    case 'boolean': return v ? 'true' : 'false';
  }
  return '';
}

function stringify(obj, sep, eq) {
  sep = sep || '&';
  eq = eq || '=';
  if (obj === null || typeof obj !== 'object') return '';
  const parts = [];
  for (const k of Object.keys(obj)) {
    const v = obj[k];
    const vs = Array.isArray(v) ? v : [v];
    for (const x of vs) parts.push(escape(k) + eq + escape(prim(x)));
  }
  return parts.join(sep);
}

module.exports = { parse, stringify, escape, unescape, decode: parse, encode: stringify };
