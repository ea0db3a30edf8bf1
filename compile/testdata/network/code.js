// Compiled by mfapolicy devel.
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __export = (target, all) => {
  for (var name2 in all)
    __defProp(target, name2, { get: all[name2], enumerable: true });
};
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toCommonJS = (mod) => __copyProps(__defProp({}, "__esModule", { value: true }), mod);

// policy.js
var policy_exports = {};
__export(policy_exports, {
  decide: () => decide,
  onExecutePostLogin: () => onExecutePostLogin
});
module.exports = __toCommonJS(policy_exports);

// mfapolicy-templates:runtime/core.js
var CelError = class extends Error {
  constructor(message2) {
    super(message2);
    this.name = "CelError";
  }
};
var CelUint = class {
  constructor(v) {
    this.v = v;
  }
};
var CelIP = class {
  constructor(bytes) {
    this.b = bytes;
  }
};
var CelCIDR = class {
  constructor(ip, bits) {
    this.ip = ip;
    this.bits = bits;
  }
};
var CelTimestamp = class {
  constructor(ns, off) {
    this.ns = ns;
    this.off = off;
  }
};
var CelDuration = class {
  constructor(ns) {
    this.ns = ns;
  }
};
var CelType = class {
  constructor(name2) {
    this.name = name2;
  }
};
var CelBytes = class {
  constructor(b) {
    this.b = b;
  }
};
var CelMap = class {
  constructor() {
    this.m = /* @__PURE__ */ new Map();
  }
};
var INT_MIN = -(2n ** 63n);
var INT_MAX = 2n ** 63n - 1n;
var UINT_MAX = 2n ** 64n - 1n;
var objectProto = Object.prototype;
var protoOf = Object.getPrototypeOf;
var isArray = Array.isArray;
var ObjectCtor = Object;
function isPlainObject(v) {
  if (typeof v !== "object" || v === null) return false;
  if (v.constructor === ObjectCtor) return true;
  return !isArray(v) && (protoOf(v) === objectProto || !(v instanceof CelUint) && !(v instanceof CelIP) && !(v instanceof CelCIDR) && !(v instanceof CelTimestamp) && !(v instanceof CelDuration) && !(v instanceof CelMap) && !(v instanceof CelBytes) && !(v instanceof CelType));
}
function inherited(k) {
  return k in objectProto;
}
function typeName(v) {
  switch (typeof v) {
    case "boolean":
      return "bool";
    case "bigint":
      return "int";
    case "number":
      return "double";
    case "string":
      return "string";
    case "undefined":
      return "map";
  }
  if (v === null) return "null_type";
  if (Array.isArray(v)) return "list";
  if (v instanceof CelUint) return "uint";
  if (v instanceof CelIP) return "net.IP";
  if (v instanceof CelCIDR) return "net.CIDR";
  if (v instanceof CelTimestamp) return "google.protobuf.Timestamp";
  if (v instanceof CelDuration) return "google.protobuf.Duration";
  if (v instanceof CelBytes) return "bytes";
  if (v instanceof CelType) return "type";
  return "map";
}
function noSuchOverload(fn, ...args) {
  return new CelError("no such overload: " + fn + "(" + args.map(typeName).join(", ") + ")");
}
var hasOwn = Object.hasOwn;
function keys(m) {
  return Object.keys(m);
}

// mfapolicy-templates:runtime/time.js
var NS = 1000000000n;
var clock = null;
function reset_clock() {
  clock = null;
}
var units = { ns: 1n, us: 1000n, "\xB5s": 1000n, "\u03BCs": 1000n, ms: 1000000n, s: NS, m: 60n * NS, h: 3600n * NS };
var TWO63 = 1n << 63n;

// mfapolicy-templates:runtime/fields.js
var EMPTY = Object.freeze({});
function jsonType(v) {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  return typeof v;
}
function wrong(path, want, v) {
  return new CelError(path + ": expected " + want + ", got " + jsonType(v));
}
function name(base, path) {
  return (base === void 0 ? "event" : base) + "." + path;
}
var steps = /* @__PURE__ */ Object.create(null);
function split(path) {
  let s = steps[path];
  if (s === void 0) {
    const ks = path.split(".");
    s = { ks, own: ks.map(inherited) };
    steps[path] = s;
  }
  return s;
}
function lookup(o, path, base) {
  if (o === void 0 || o === null) return void 0;
  if (base === void 0 && (typeof o !== "object" || o.constructor !== ObjectCtor && !isPlainObject(o))) {
    throw wrong("event", "object", o);
  }
  const { ks, own: own2 } = split(path);
  const last = ks.length - 1;
  for (let i = 0; ; i++) {
    const k = ks[i];
    const v = own2[i] ? hasOwn(o, k) ? o[k] : void 0 : o[k];
    if (v === void 0 || v === null) return void 0;
    if (i === last) return v;
    if (typeof v !== "object" || v.constructor !== ObjectCtor && !isPlainObject(v)) {
      throw wrong(name(base, ks.slice(0, i + 1).join(".")), "object", v);
    }
    o = v;
  }
}
function read_string(o, path, base) {
  const v = lookup(o, path, base);
  if (v === void 0) return "";
  if (typeof v !== "string") throw wrong(name(base, path), "string", v);
  return v;
}

// mfapolicy-templates:runtime/logic.js
function caught(e) {
  if (e instanceof CelError) return e;
  throw e;
}
function outcome(name2, short, va, vb) {
  if (vb === short) return short;
  if (va instanceof CelError) return va;
  if (va !== !short) return noSuchOverload(name2, va);
  if (vb instanceof CelError) return vb;
  if (vb !== !short) return noSuchOverload(name2, va, vb);
  return !short;
}
function and_values(va, vb) {
  const v = outcome("_&&_", false, va, vb);
  if (typeof v !== "boolean") throw v;
  return v;
}
function or_values(va, vb) {
  const v = outcome("_||_", true, va, vb);
  if (typeof v !== "boolean") throw v;
  return v;
}
function and_outcome(va, vb) {
  return outcome("_&&_", false, va, vb);
}
function or_outcome(va, vb) {
  return outcome("_||_", true, va, vb);
}
function range(r) {
  if (Array.isArray(r)) return r;
  if (isPlainObject(r)) return keys(r);
  if (r instanceof CelMap) return Array.from(r.m.values(), (e) => e[0]);
  throw new CelError("expression does not evaluate to a list or map: " + typeof r);
}
function predicate_error(macro, v) {
  return v instanceof CelError ? v : noSuchOverload(macro, v);
}

// mfapolicy-templates:runtime/net.js
function v4Fields(s, off, end, out, at) {
  let val = 0, pos = 0, digits = 0;
  for (let i = off; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (digits === 1 && val === 0) return false;
      val = val * 10 + (c - 48);
      digits++;
      if (val > 255) return false;
    } else if (c === 46) {
      if (i === off || i === end - 1 || s.charCodeAt(i - 1) === 46) return false;
      if (pos === 3) return false;
      out[at + pos] = val;
      pos++;
      val = 0;
      digits = 0;
    } else {
      return false;
    }
  }
  if (pos < 3) return false;
  out[at + 3] = val;
  return true;
}
var V6_TEXT = /^[:.]*(?:[0-9A-Fa-f]{1,4}[:.]+)*[0-9A-Fa-f]{0,4}$/;
function parseV6(s) {
  if (!V6_TEXT.test(s)) return null;
  const gs = s.split(":");
  let end = gs.length;
  let v4 = 0;
  const dot = s.indexOf(".");
  if (dot >= 0) {
    if (dot < s.lastIndexOf(":")) return null;
    v4 = 4;
    end--;
  } else if (gs[end - 1] === "") {
    if (gs[end - 2] !== "") return null;
    end--;
  }
  let j = 0;
  if (gs[0] === "") {
    if (gs[1] !== "") return null;
    j = 1;
  }
  if (2 * (end - j) + v4 > 16) return null;
  const ip = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
  let at = 0, ellipsis = false;
  for (; j < end; j++) {
    const g = gs[j];
    if (g === "") {
      if (ellipsis) return null;
      ellipsis = true;
      at = 16 - v4 - 2 * (end - j - 1);
    } else {
      const v = parseInt(g, 16);
      ip[at] = v >> 8;
      ip[at + 1] = v & 255;
      at += 2;
    }
  }
  if (at !== 16 - v4) return null;
  if (v4 > 0 && !v4Fields(s, s.length - gs[gs.length - 1].length, s.length, ip, 12)) return null;
  return ip;
}
function is4in6(b) {
  if (b.length !== 16 || b[10] !== 255 || b[11] !== 255) return false;
  for (let i = 0; i < 10; i++) if (b[i] !== 0) return false;
  return true;
}
var DOTTED_QUAD = /^(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})$/;
function addr(s) {
  const m = DOTTED_QUAD.exec(s);
  if (m !== null) {
    const out2 = [+m[1], +m[2], +m[3], +m[4]];
    if (out2[0] <= 255 && out2[1] <= 255 && out2[2] <= 255 && out2[3] <= 255) return out2;
  }
  if (s.indexOf(":") >= 0) {
    const b = parseV6(s);
    return b === null || is4in6(b) ? null : b;
  }
  const out = [0, 0, 0, 0];
  return v4Fields(s, 0, s.length, out, 0) ? out : null;
}
function prefix(s) {
  const i = s.lastIndexOf("/");
  if (i < 0) return null;
  const b = addr(s.slice(0, i));
  if (b === null) return null;
  const bits = s.slice(i + 1);
  if (!/^(0|[1-9][0-9]{0,3})$/.test(bits)) return null;
  const n = Number(bits);
  if (n > b.length * 8) return null;
  return new CelCIDR(new CelIP(b), n);
}
function newCache(max) {
  return { map: /* @__PURE__ */ Object.create(null), n: 0, max };
}
var ips = /* @__PURE__ */ newCache(256);
var cidrs = /* @__PURE__ */ newCache(1024);
var lastIPText = null;
var lastIP = null;
function ipOf(s) {
  const ip = ips.map[s];
  return ip === void 0 ? store(ips, s, parseIP) : ip;
}
function lastIPOf(s) {
  lastIPText = s;
  lastIP = parseIP(s);
  return lastIP;
}
function parseIP(s) {
  const b = addr(s);
  return b === null ? null : new CelIP(b);
}
function store(c, s, parse) {
  if (c.n >= c.max) {
    c.map = /* @__PURE__ */ Object.create(null);
    c.n = 0;
  }
  const v = parse(s);
  c.map[s] = v;
  c.n++;
  if (c === ips) {
    lastIPText = s;
    lastIP = v;
  }
  return v;
}
function badIP(s) {
  return new CelError("IP Address '" + s + "' parse error during conversion from string");
}
function string_to_ip(s) {
  const ip = s === lastIPText ? lastIP : ipOf(s);
  if (ip === null) throw badIP(s);
  return ip;
}
function string_to_cidr(s) {
  let c = cidrs.map[s];
  if (c === void 0) c = store(cidrs, s, prefix);
  if (c === null) throw new CelError("CIDR '" + s + "' parse error during conversion from string");
  return c;
}
function is_ip(s) {
  return (s === lastIPText ? lastIP : ipOf(s)) !== null;
}
function is_cidr(s) {
  const c = cidrs.map[s];
  return (c === void 0 ? store(cidrs, s, prefix) : c) !== null;
}
function ip_is_canonical(s) {
  return ip_to_string(string_to_ip(s)) === s;
}
function ip_to_string(ip) {
  const b = ip.b;
  if (b.length === 4) return b.join(".");
  const g = [];
  for (let i = 0; i < 16; i += 2) g.push(b[i] << 8 | b[i + 1]);
  let zs = -1, ze = -1;
  for (let i = 0; i < 8; i++) {
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i >= 2 && j - i > ze - zs) {
      zs = i;
      ze = j;
    }
  }
  let out = "";
  for (let i = 0; i < 8; i++) {
    if (i === zs) {
      out += "::";
      i = ze;
      if (i >= 8) break;
    } else if (i > 0) {
      out += ":";
    }
    out += g[i].toString(16);
  }
  return out;
}
function cidr_to_string(c) {
  return ip_to_string(c.ip) + "/" + c.bits;
}
function ip_family(ip) {
  return ip.b.length === 4 ? 4n : 6n;
}
function zero(b) {
  return b.every((x) => x === 0);
}
function ip_is_unspecified(ip) {
  return zero(ip.b);
}
function ip_is_loopback(ip) {
  const b = ip.b;
  if (b.length === 4) return b[0] === 127;
  return zero(b.slice(0, 15)) && b[15] === 1;
}
function isMulticast(b) {
  return b.length === 4 ? (b[0] & 240) === 224 : b[0] === 255;
}
function ip_is_link_local_multicast(ip) {
  const b = ip.b;
  if (b.length === 4) return b[0] === 224 && b[1] === 0 && b[2] === 0;
  return b[0] === 255 && (b[1] & 15) === 2;
}
function ip_is_link_local_unicast(ip) {
  const b = ip.b;
  if (b.length === 4) return b[0] === 169 && b[1] === 254;
  return b[0] === 254 && (b[1] & 192) === 128;
}
function ip_is_global_unicast(ip) {
  const b = ip.b;
  if (b.length === 4 && b.every((x) => x === 255)) return false;
  return !zero(b) && !ip_is_loopback(ip) && !isMulticast(b) && !ip_is_link_local_unicast(ip);
}
function masked(b, bits) {
  const out = b.slice();
  for (let i = 0; i < out.length; i++) {
    const keep = Math.max(0, Math.min(8, bits - i * 8));
    out[i] &= 255 << 8 - keep & 255;
  }
  return out;
}
function sameBytes(x, y) {
  return x.length === y.length && x.every((v, i) => v === y[i]);
}
function samePrefix(x, y, bits) {
  let i = 0;
  for (; bits >= 8; i++, bits -= 8) if (x[i] !== y[i]) return false;
  return bits === 0 || ((x[i] ^ y[i]) & 255 << 8 - bits & 255) === 0;
}
function cidr_contains_ip_ip(c, ip) {
  const x = c.ip.b, y = ip.b;
  return x.length === y.length && samePrefix(x, y, c.bits);
}
function cidr_contains_ip_string(c, s) {
  const ip = s === lastIPText ? lastIP : ipOf(s);
  if (ip === null) throw badIP(s);
  const x = c.ip.b, y = ip.b;
  if (x.length !== y.length) return false;
  let i = 0, bits = c.bits;
  for (; bits >= 8; i++, bits -= 8) if (x[i] !== y[i]) return false;
  return bits === 0 || ((x[i] ^ y[i]) & 255 << 8 - bits & 255) === 0;
}
function cidr_list(items) {
  const v4 = [], v6 = [];
  for (let i = 0; i < items.length; i++) {
    const s = items[i];
    if (typeof s !== "string") return null;
    let c = cidrs.map[s];
    if (c === void 0) c = store(cidrs, s, prefix);
    if (c === null) return null;
    const b = c.ip.b;
    if (b.length === 4) {
      const mask = c.bits === 0 ? 0 : -1 << 32 - c.bits;
      v4.push(v4Word(b) & mask, mask);
    } else {
      v6.push(c);
    }
  }
  return { v4, v6 };
}
function v4Word(b) {
  return b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3];
}
function cidr_exists(cs, s) {
  if (cs === null) return void 0;
  const ip = s === lastIPText ? lastIP : lastIPOf(s);
  if (ip === null) return void 0;
  const y = ip.b;
  if (y.length === 4) {
    const r4 = cs.v4;
    if (r4.length === 0) return false;
    const a = y[0] << 24 | y[1] << 16 | y[2] << 8 | y[3];
    for (let k = 0; k < r4.length; k += 2) if (((a ^ r4[k]) & r4[k + 1]) === 0) return true;
    return false;
  }
  const r6 = cs.v6;
  for (let k = 0; k < r6.length; k++) {
    const c = r6[k], x = c.ip.b;
    let i = 0, bits = c.bits;
    while (bits >= 8 && x[i] === y[i]) {
      i++;
      bits -= 8;
    }
    if (bits === 0 || bits < 8 && ((x[i] ^ y[i]) & 255 << 8 - bits & 255) === 0) return true;
  }
  return false;
}
function cidr_contains_cidr(p, o) {
  if (p.ip.b.length !== o.ip.b.length || p.bits > o.bits) return false;
  return samePrefix(p.ip.b, o.ip.b, p.bits);
}
function cidr_contains_cidr_string(p, s) {
  return cidr_contains_cidr(p, string_to_cidr(s));
}
function cidr_ip(c) {
  return c.ip;
}
function cidr_masked(c) {
  return new CelCIDR(new CelIP(masked(c.ip.b, c.bits)), c.bits);
}
function cidr_prefix_length(c) {
  return BigInt(c.bits);
}
function cidr_is_mask(c) {
  return sameBytes(c.ip.b, masked(c.ip.b, c.bits));
}

// mfapolicy-templates-policy:policy.js
var lit0 = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"];
//! lists.office
var list0 = ["203.0.113.0/24", "2001:db8:100::/48"];
var cidrs0 = cidr_list(list0);
//! rule bad-ip (policy.yaml:6:5)
//!   !isIP(event.request.ip)
function rule0(event) {
  let fv;
  return !is_ip((fv = event?.request?.ip, typeof fv === "string" ? fv : read_string(event, "request.ip")));
}
//! rule loopback (policy.yaml:10:5)
//!   ip(event.request.ip).isLoopback() || ip(event.request.ip).isUnspecified()
function rule1(event) {
  let m0, fv, left, right;
  try {
    left = ip_is_loopback(string_to_ip(m0 ??= (fv = event?.request?.ip, typeof fv === "string" ? fv : read_string(event, "request.ip"))));
  } catch (e) {
    left = caught(e);
  }
  if (left === true) return true;
  try {
    right = ip_is_unspecified(string_to_ip(m0 ??= (fv = event?.request?.ip, typeof fv === "string" ? fv : read_string(event, "request.ip"))));
  } catch (e) {
    right = caught(e);
  }
  return left === false && typeof right === "boolean" ? right : or_values(left, right);
}
//! rule office (policy.yaml:14:5)
//!   lists.office.exists(r, cidr(r).containsIP(event.request.ip))
function rule2(event) {
  let fv;
  return (fv = event?.request?.ip, typeof fv === "string" ? cidr_exists(cidrs0, fv) : void 0) ?? rule2_exists0(list0, event);
}
function rule2_exists0(items, event) {
  let fv, ok;
  const xs = range(items);
  let err = null;
  for (let i = 0; i < xs.length; i++) {
    const v0 = xs[i];
    try {
      ok = cidr_contains_ip_string(string_to_cidr(v0), (fv = event?.request?.ip, typeof fv === "string" ? fv : read_string(event, "request.ip")));
    } catch (e) {
      ok = caught(e);
    }
    if (ok === true) return true;
    if (ok !== false) err ??= predicate_error("exists", ok);
  }
  if (err !== null) throw err;
  return false;
}
//! rule v6-link-local (policy.yaml:17:5)
//!   ip(event.request.ip).family() == 6 && (ip(event.request.ip).isLinkLocalUnicast() || ip(event.request.ip).isLinkLocalMulticast())
function rule3(event) {
  let m0, fv, left, right, right1;
  try {
    left = ip_family(string_to_ip(m0 ??= (fv = event?.request?.ip, typeof fv === "string" ? fv : read_string(event, "request.ip")))) === 6n;
  } catch (e) {
    left = caught(e);
  }
  if (left === false) return false;
  try {
    right = ip_is_link_local_unicast(string_to_ip(m0 ??= (fv = event?.request?.ip, typeof fv === "string" ? fv : read_string(event, "request.ip"))));
  } catch (e) {
    right = caught(e);
  }
  if (right !== true) {
    try {
      right1 = ip_is_link_local_multicast(string_to_ip(m0 ??= (fv = event?.request?.ip, typeof fv === "string" ? fv : read_string(event, "request.ip"))));
    } catch (e) {
      right1 = caught(e);
    }
    right = right === false && typeof right1 === "boolean" ? right1 : or_outcome(right, right1);
  }
  return left === true && typeof right === "boolean" ? right : and_values(left, right);
}
//! rule private (policy.yaml:21:5)
//!   ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'].exists(r, cidr(r).containsIP(ip(event.request.ip))) && cidr('10.0.0.0/8').containsCIDR('10.1.0.0/16') && string(cidr('10.1.2.3/8').masked()) == '10.0.0.0/8' && cidr('10.1.2.3/8').prefixLength() == 8 && !cidr('10.1.2.3/8').isMask() && string(cidr('10.1.2.3/8').ip()) == '10.1.2.3'
function rule4(event) {
  let left, right, right1, right2, right3, right4;
  try {
    left = rule4_exists0(lit0, event);
  } catch (e) {
    left = caught(e);
  }
  if (left !== false) {
    try {
      right2 = cidr_contains_cidr_string(string_to_cidr("10.0.0.0/8"), "10.1.0.0/16");
    } catch (e) {
      right2 = caught(e);
    }
    left = left === true && typeof right2 === "boolean" ? right2 : and_outcome(left, right2);
  }
  if (left !== false) {
    try {
      right1 = cidr_to_string(cidr_masked(string_to_cidr("10.1.2.3/8"))) === "10.0.0.0/8";
    } catch (e) {
      right1 = caught(e);
    }
    left = left === true && typeof right1 === "boolean" ? right1 : and_outcome(left, right1);
  }
  if (left === false) return false;
  try {
    right = cidr_prefix_length(string_to_cidr("10.1.2.3/8")) === 8n;
  } catch (e) {
    right = caught(e);
  }
  if (right !== false) {
    try {
      right4 = !cidr_is_mask(string_to_cidr("10.1.2.3/8"));
    } catch (e) {
      right4 = caught(e);
    }
    right = right === true && typeof right4 === "boolean" ? right4 : and_outcome(right, right4);
  }
  if (right !== false) {
    try {
      right3 = ip_to_string(cidr_ip(string_to_cidr("10.1.2.3/8"))) === "10.1.2.3";
    } catch (e) {
      right3 = caught(e);
    }
    right = right === true && typeof right3 === "boolean" ? right3 : and_outcome(right, right3);
  }
  return left === true && typeof right === "boolean" ? right : and_values(left, right);
}
function rule4_exists0(items, event) {
  let fv, ok;
  const xs = range(items);
  let err = null;
  for (let i = 0; i < xs.length; i++) {
    const v0 = xs[i];
    try {
      ok = cidr_contains_ip_ip(string_to_cidr(v0), string_to_ip((fv = event?.request?.ip, typeof fv === "string" ? fv : read_string(event, "request.ip"))));
    } catch (e) {
      ok = caught(e);
    }
    if (ok === true) return true;
    if (ok !== false) err ??= predicate_error("exists", ok);
  }
  if (err !== null) throw err;
  return false;
}
//! rule canonical (policy.yaml:31:5)
//!   !ip.isCanonical(event.request.ip) || !ip(event.request.ip).isGlobalUnicast() || string(ip(event.request.ip)) != event.request.ip
function rule5(event) {
  let m0, fv, left, right, right1;
  try {
    left = !ip_is_canonical(m0 ??= (fv = event?.request?.ip, typeof fv === "string" ? fv : read_string(event, "request.ip")));
  } catch (e) {
    left = caught(e);
  }
  if (left !== true) {
    try {
      right1 = !ip_is_global_unicast(string_to_ip(m0 ??= (fv = event?.request?.ip, typeof fv === "string" ? fv : read_string(event, "request.ip"))));
    } catch (e) {
      right1 = caught(e);
    }
    left = left === false && typeof right1 === "boolean" ? right1 : or_outcome(left, right1);
  }
  if (left === true) return true;
  try {
    right = ip_to_string(string_to_ip(m0 ??= (fv = event?.request?.ip, typeof fv === "string" ? fv : read_string(event, "request.ip")))) !== (m0 ??= (fv = event?.request?.ip, typeof fv === "string" ? fv : read_string(event, "request.ip")));
  } catch (e) {
    right = caught(e);
  }
  return left === false && typeof right === "boolean" ? right : or_values(left, right);
}
//! rule cidr-string (policy.yaml:35:5)
//!   isCIDR(event.request.ip + '/64') && cidr(event.request.ip + '/64').containsCIDR(cidr('2001:db8::/64'))
function rule6(event) {
  let m0, fv, left, right;
  try {
    left = is_cidr((m0 ??= (fv = event?.request?.ip, typeof fv === "string" ? fv : read_string(event, "request.ip"))) + "/64");
  } catch (e) {
    left = caught(e);
  }
  if (left === false) return false;
  try {
    right = cidr_contains_cidr(string_to_cidr((m0 ??= (fv = event?.request?.ip, typeof fv === "string" ? fv : read_string(event, "request.ip"))) + "/64"), string_to_cidr("2001:db8::/64"));
  } catch (e) {
    right = caught(e);
  }
  return left === true && typeof right === "boolean" ? right : and_values(left, right);
}
var rules = [
  { id: "bad-ip", when: rule0, action: { outcome: "deny", factors: [], reason: "The request has no valid IP address" } },
  { id: "loopback", when: rule1, action: { outcome: "deny", factors: [], reason: "Loopback" } },
  { id: "office", when: rule2, action: { outcome: "allow", factors: [], reason: "" } },
  { id: "v6-link-local", when: rule3, action: { outcome: "challenge", factors: ["otp"], reason: "" } },
  { id: "private", when: rule4, action: { outcome: "challenge", factors: ["push-notification"], reason: "" } },
  { id: "canonical", when: rule5, action: { outcome: "challenge", factors: ["phone"], reason: "" } },
  { id: "cidr-string", when: rule6, action: { outcome: "enroll", factors: ["otp"], reason: "" } }
];
var defaultAction = { outcome: "allow", factors: [], reason: "" };
var onErrorAction = { outcome: "challenge", factors: ["otp", "push-notification", "webauthn-platform", "webauthn-roaming", "phone", "email"], reason: "" };

// policy.js
function result(rule, action, error) {
  return {
    rule,
    outcome: action.outcome,
    factors: action.factors.slice(),
    reason: action.reason,
    error
  };
}
function message(e) {
  if (e instanceof CelError) return e.message;
  return "internal error: " + String(e && e.message !== void 0 ? e.message : e);
}
function decide(event) {
  reset_clock();
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i];
    let matched;
    try {
      matched = rule.when(event);
    } catch (e) {
      return result(rule.id, onErrorAction, message(e));
    }
    if (matched === true) return result(rule.id, rule.action, "");
    if (matched !== false) return result(rule.id, onErrorAction, "the condition did not return a boolean");
  }
  return result("", defaultAction, "");
}
function selector(type) {
  return { type };
}
function selectors(factors) {
  return factors.map(selector);
}
async function onExecutePostLogin(event, api) {
  const d = decide(event);
  switch (d.outcome) {
    case "challenge":
      if (d.factors.length === 1) api.authentication.challengeWith({ type: d.factors[0] });
      else api.authentication.challengeWithAny(selectors(d.factors));
      break;
    case "enroll":
      if (d.factors.length === 1) api.authentication.enrollWith({ type: d.factors[0] });
      else api.authentication.enrollWithAny(selectors(d.factors));
      break;
    case "deny":
      api.access.deny(d.reason);
      break;
  }
  return d;
}
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  decide,
  onExecutePostLogin
});
