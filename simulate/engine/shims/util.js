// util for simulation: format, inspect, promisify, inherits, deprecate
// and the type checks Actions use.
'use strict';

function inspect(v, opts) {
  const seen = new Set();
  const depth = opts && typeof opts.depth === 'number' ? opts.depth : 2;
  function show(x, d, top) {
    switch (typeof x) {
      case 'string': return top ? x : "'" + x.replace(/'/g, "\\'") + "'";
      case 'undefined': return 'undefined';
      case 'function': return '[Function: ' + (x.name || '(anonymous)') + ']';
      case 'bigint': return String(x) + 'n';
      case 'symbol': return x.toString();
      case 'object': break;
      default: return String(x);
    }
    if (x === null) return 'null';
    if (x instanceof Error) return x.stack || String(x);
    if (x instanceof Date) return x.toISOString();
    if (x instanceof RegExp) return String(x);
    if (seen.has(x)) return '[Circular *1]';
    if (d > depth) return Array.isArray(x) ? '[Array]' : '[Object]';
    seen.add(x);
    let out;
    if (Array.isArray(x)) {
      out = x.length ? '[ ' + x.map((e) => show(e, d + 1)).join(', ') + ' ]' : '[]';
    } else {
      const keys = Object.keys(x);
      const id = (k) => (/^[A-Za-z_$][\w$]*$/.test(k) ? k : "'" + k + "'");
      out = keys.length ? '{ ' + keys.map((k) => id(k) + ': ' + show(x[k], d + 1)).join(', ') + ' }' : '{}';
    }
    seen.delete(x);
    return out;
  }
  return show(v, 0, false);
}

function format(fmt, ...args) {
  if (typeof fmt !== 'string') return [fmt, ...args].map((a) => (typeof a === 'string' ? a : inspect(a))).join(' ');
  let i = 0;
  let out = fmt.replace(/%[sdifjoO%]/g, (m) => {
    if (m === '%%') return '%';
    if (i >= args.length) return m;
    const a = args[i++];
    switch (m) {
      case '%s': return typeof a === 'string' ? a : typeof a === 'object' && a !== null ? inspect(a, { depth: 0 }) : String(a);
      case '%d': return typeof a === 'bigint' ? a + 'n' : String(Number(a));
      case '%i': return String(parseInt(a, 10));
      case '%f': return String(parseFloat(a));
      case '%j':
        try {
          return JSON.stringify(a);
        } catch (e) {
          return '[Circular]';
        }
      default: return inspect(a);
    }
  });
  for (; i < args.length; i++) out += ' ' + (typeof args[i] === 'string' ? args[i] : inspect(args[i]));
  return out;
}

function promisify(fn) {
  return function (...args) {
    return new Promise((resolve, reject) => {
      fn.call(this, ...args, (err, value) => (err ? reject(err) : resolve(value)));
    });
  };
}

function inherits(ctor, superCtor) {
  Object.setPrototypeOf(ctor.prototype, superCtor.prototype);
  Object.setPrototypeOf(ctor, superCtor);
}

const types = {
  isPromise: (v) => v instanceof Promise,
  isRegExp: (v) => v instanceof RegExp,
  isDate: (v) => v instanceof Date,
};

module.exports = {
  format,
  inspect,
  promisify,
  inherits,
  deprecate: (fn) => fn,
  isDeepStrictEqual: (a, b) => JSON.stringify(a) === JSON.stringify(b),
  isArray: Array.isArray,
  types,
};
