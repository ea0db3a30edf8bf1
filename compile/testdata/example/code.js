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
function keyId(k) {
  switch (typeof k) {
    case "string":
      return "s" + k;
    case "bigint":
      return "i" + k;
    case "boolean":
      return k ? "t" : "f";
    case "number":
      return "d" + (k === 0 ? 0 : k);
  }
  if (k === null) return "z";
  if (k instanceof CelUint) return "u" + k.v;
  return null;
}
function findKey(m, k) {
  const e = m.m.get(keyId(k));
  if (e !== void 0) return e;
  if (typeof k === "number") {
    if (!Number.isInteger(k)) return void 0;
    const i = BigInt(k);
    if (i >= INT_MIN && i <= INT_MAX) {
      const f = m.m.get("i" + i);
      if (f !== void 0) return f;
    }
    return i >= 0n && i <= UINT_MAX ? m.m.get("u" + i) : void 0;
  }
  if (typeof k === "bigint") return k >= 0n ? m.m.get("u" + k) : void 0;
  if (k instanceof CelUint) return k.v <= INT_MAX ? m.m.get("i" + k.v) : void 0;
  return void 0;
}
var INT_MIN = -(2n ** 63n);
var INT_MAX = 2n ** 63n - 1n;
var UINT_MAX = 2n ** 64n - 1n;
function uintToDouble(v) {
  return v <= INT_MAX ? Number(v) : parseFloat(v.toString());
}
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
function own(o, k) {
  return hasOwn(o, k);
}
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

// mfapolicy-templates:runtime/compare.js
var TWO632 = 9223372036854776e3;
var TWO64 = 18446744073709552e3;
function sign(x, y) {
  return x < y ? -1 : x > y ? 1 : 0;
}
function cmpDoubleInt(d, i) {
  if (d < -TWO632) return -1;
  if (d > TWO632) return 1;
  return sign(d, Number(i));
}
function cmpDoubleUint(d, u) {
  if (d < 0) return -1;
  if (d > TWO64) return 1;
  return sign(d, uintToDouble(u.v));
}
function cmpIntUint(i, u) {
  if (i < 0n) return -1;
  return sign(i, u.v);
}
function ncmp(a, b) {
  if (typeof a === "bigint") {
    if (typeof b === "bigint") return sign(a, b);
    if (typeof b === "number") return -cmpDoubleInt(b, a);
    return cmpIntUint(a, b);
  }
  if (typeof a === "number") {
    if (typeof b === "number") return sign(a, b);
    if (typeof b === "bigint") return cmpDoubleInt(a, b);
    return cmpDoubleUint(a, b);
  }
  if (typeof b === "bigint") return -cmpIntUint(b, a);
  if (typeof b === "number") return -cmpDoubleUint(b, a);
  return sign(a.v, b.v);
}
function isNum(v) {
  return typeof v === "bigint" || typeof v === "number" || v instanceof CelUint;
}
function equals(a, b) {
  if (a === null || b === null) return a === b;
  if (isNum(a)) {
    if (!isNum(b)) return false;
    if (a !== a || b !== b) return false;
    return ncmp(a, b) === 0;
  }
  switch (typeof a) {
    case "string":
    case "boolean":
      return a === b;
  }
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!equals(a[i], b[i])) return false;
    return true;
  }
  if (a instanceof CelIP) return b instanceof CelIP && sameBytes(a.b, b.b);
  if (a instanceof CelCIDR) {
    return b instanceof CelCIDR && a.bits === b.bits && sameBytes(a.ip.b, b.ip.b);
  }
  if (a instanceof CelBytes) return b instanceof CelBytes && sameBytes(a.b, b.b);
  if (a instanceof CelType) return b instanceof CelType && a.name === b.name;
  if (a instanceof CelTimestamp) return b instanceof CelTimestamp && a.ns === b.ns;
  if (a instanceof CelDuration) return b instanceof CelDuration && a.ns === b.ns;
  if (typeof b !== "object" || Array.isArray(b) || b instanceof CelUint || b instanceof CelIP || b instanceof CelCIDR || b instanceof CelTimestamp || b instanceof CelDuration || b instanceof CelBytes || b instanceof CelType) return false;
  if (a instanceof CelMap || b instanceof CelMap) return mapsEqual(a, b);
  const ka = keys(a);
  if (ka.length !== keys(b).length) return false;
  for (const k of ka) if (!own(b, k) || !equals(a[k], b[k])) return false;
  return true;
}
function mapsEqual(a, b) {
  const ea = a instanceof CelMap ? Array.from(a.m.values()) : keys(a).map((k) => [k, a[k]]);
  const nb = b instanceof CelMap ? b.m.size : keys(b).length;
  if (ea.length !== nb) return false;
  for (const [k, v] of ea) {
    let w;
    if (b instanceof CelMap) w = findKey(b, k);
    else if (typeof k === "string" && own(b, k)) w = [k, b[k]];
    if (w === void 0 || !equals(v, w[1])) return false;
  }
  return true;
}
function sameBytes(x, y) {
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

// mfapolicy-templates:runtime/containers.js
function size_list(l) {
  return BigInt(l.length);
}
function in_list(x, l) {
  if (typeof x === "string" || typeof x === "boolean") return l.includes(x);
  for (let i = 0; i < l.length; i++) if (equals(x, l[i])) return true;
  return false;
}

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
function read_int(o, path, base) {
  const v = lookup(o, path, base);
  if (v === void 0) return 0n;
  if (typeof v !== "number" || !Number.isInteger(v) || v < -9223372036854776e3 || v >= 9223372036854776e3) {
    throw wrong(name(base, path), "integer", v);
  }
  return BigInt(v);
}
function read_list_string(o, path, base) {
  const v = lookup(o, path, base);
  if (v === void 0) return [];
  if (!Array.isArray(v)) throw wrong(name(base, path), "array", v);
  return list_string(v, path, base);
}
function list_string(v, path, base) {
  for (let i = 0; i < v.length; i++) {
    if (typeof v[i] !== "string") throw wrong(name(base, path) + "[]", "string", v[i]);
  }
  return v;
}
function read_list_object(o, path, base) {
  const v = lookup(o, path, base);
  if (v === void 0) return [];
  if (!Array.isArray(v)) throw wrong(name(base, path), "array", v);
  return list_object(v, path, base);
}
function list_object(v, path, base) {
  for (let i = 0; i < v.length; i++) {
    if (!isPlainObject(v[i])) throw wrong(name(base, path) + "[]", "object", v[i]);
  }
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
function string_to_cidr(s) {
  let c = cidrs.map[s];
  if (c === void 0) c = store(cidrs, s, prefix);
  if (c === null) throw new CelError("CIDR '" + s + "' parse error during conversion from string");
  return c;
}
function is_ip(s) {
  return (s === lastIPText ? lastIP : ipOf(s)) !== null;
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

// mfapolicy-templates-policy:policy.js
var lit0 = ["impossible_travel_from_last_login", "substantial_travel_from_last_login"];
//! lists.sanctioned
var list0 = ["KP", "IR", "SY", "CU"];
//! lists.home_countries
var list1 = ["US", "CA", "GB", "DE"];
//! lists.admin_apps
var list2 = ["Admin Console", "Billing"];
//! lists.office_ranges
var list3 = ["203.0.113.0/24", "2001:db8:100::/48"];
var cidrs0 = cidr_list(list3);
//! rule sanctioned-regions (policy.yaml:15:5)
//!   event.request.geoip.countryCode in lists.sanctioned
function rule0(event) {
  let fv;
  return list0.includes((fv = event?.request?.geoip?.countryCode, typeof fv === "string" ? fv : read_string(event, "request.geoip.countryCode")));
}
//! rule known-bad-ip (policy.yaml:20:5)
//!   event.authentication.riskAssessment.assessments.UntrustedIP.code == 'found_on_deny_list'
function rule1(event) {
  let fv;
  return (fv = event?.authentication?.riskAssessment?.assessments?.UntrustedIP?.code, typeof fv === "string" ? fv : read_string(event, "authentication.riskAssessment.assessments.UntrustedIP.code")) === "found_on_deny_list";
}
//! rule office-network (policy.yaml:26:5)
//!   lists.office_ranges.exists(r, isIP(event.request.ip) && cidr(r).containsIP(event.request.ip)) && event.authentication.riskAssessment.confidence != 'low'
function rule2(event) {
  let fv, left, right;
  try {
    left = (fv = event?.request?.ip, typeof fv === "string" ? cidr_exists(cidrs0, fv) : void 0) ?? rule2_exists0(list3, event);
  } catch (e) {
    left = caught(e);
  }
  if (left === false) return false;
  try {
    right = (fv = event?.authentication?.riskAssessment?.confidence, typeof fv === "string" ? fv : read_string(event, "authentication.riskAssessment.confidence")) !== "low";
  } catch (e) {
    right = caught(e);
  }
  return left === true && typeof right === "boolean" ? right : and_values(left, right);
}
function rule2_exists0(items, event) {
  let m0, fv, ok, right1;
  const xs = range(items);
  let err = null;
  for (let i = 0; i < xs.length; i++) {
    const v0 = xs[i];
    try {
      ok = is_ip(m0 ??= (fv = event?.request?.ip, typeof fv === "string" ? fv : read_string(event, "request.ip")));
    } catch (e) {
      ok = caught(e);
    }
    if (ok !== false) {
      try {
        right1 = cidr_contains_ip_string(string_to_cidr(v0), m0 ??= (fv = event?.request?.ip, typeof fv === "string" ? fv : read_string(event, "request.ip")));
      } catch (e) {
        right1 = caught(e);
      }
      ok = ok === true && typeof right1 === "boolean" ? right1 : and_outcome(ok, right1);
    }
    if (ok === true) return true;
    if (ok !== false) err ??= predicate_error("exists", ok);
  }
  if (err !== null) throw err;
  return false;
}
//! rule admins-always (policy.yaml:33:5)
//!   'admin' in event.authorization.roles ||
//!   event.client.name in lists.admin_apps
function rule3(event) {
  let fv, left, right;
  try {
    left = in_list("admin", (fv = event?.authorization?.roles, Array.isArray(fv) ? list_string(fv, "authorization.roles") : read_list_string(event, "authorization.roles")));
  } catch (e) {
    left = caught(e);
  }
  if (left === true) return true;
  try {
    right = list2.includes((fv = event?.client?.name, typeof fv === "string" ? fv : read_string(event, "client.name")));
  } catch (e) {
    right = caught(e);
  }
  return left === false && typeof right === "boolean" ? right : or_values(left, right);
}
//! rule impossible-travel (policy.yaml:41:5)
//!   event.authentication.riskAssessment.assessments.ImpossibleTravel.code in ['impossible_travel_from_last_login', 'substantial_travel_from_last_login']
function rule4(event) {
  let fv;
  return lit0.includes((fv = event?.authentication?.riskAssessment?.assessments?.ImpossibleTravel?.code, typeof fv === "string" ? fv : read_string(event, "authentication.riskAssessment.assessments.ImpossibleTravel.code")));
}
//! rule low-confidence (policy.yaml:48:5)
//!   event.authentication.riskAssessment.confidence == 'low'
function rule5(event) {
  let fv;
  return (fv = event?.authentication?.riskAssessment?.confidence, typeof fv === "string" ? fv : read_string(event, "authentication.riskAssessment.confidence")) === "low";
}
//! rule no-factor-yet (policy.yaml:53:5)
//!   size(event.user.enrolledFactors) == 0 && event.stats.logins_count > 3
function rule6(event) {
  let fv, left, right;
  try {
    left = size_list((fv = event?.user?.enrolledFactors, Array.isArray(fv) ? list_object(fv, "user.enrolledFactors") : read_list_object(event, "user.enrolledFactors"))) === 0n;
  } catch (e) {
    left = caught(e);
  }
  if (left === false) return false;
  try {
    right = (fv = event?.stats?.logins_count, typeof fv === "number" && Number.isSafeInteger(fv) ? BigInt(fv) : read_int(event, "stats.logins_count")) > 3n;
  } catch (e) {
    right = caught(e);
  }
  return left === true && typeof right === "boolean" ? right : and_values(left, right);
}
//! rule abroad (policy.yaml:59:5)
//!   !(event.request.geoip.countryCode in lists.home_countries)
function rule7(event) {
  let fv;
  return !list1.includes((fv = event?.request?.geoip?.countryCode, typeof fv === "string" ? fv : read_string(event, "request.geoip.countryCode")));
}
var rules = [
  { id: "sanctioned-regions", when: rule0, action: { outcome: "deny", factors: [], reason: "Sign-in from this region is not permitted" } },
  { id: "known-bad-ip", when: rule1, action: { outcome: "deny", factors: [], reason: "Sign-in from this network is blocked" } },
  { id: "office-network", when: rule2, action: { outcome: "allow", factors: [], reason: "" } },
  { id: "admins-always", when: rule3, action: { outcome: "challenge", factors: ["webauthn-platform", "webauthn-roaming", "otp"], reason: "" } },
  { id: "impossible-travel", when: rule4, action: { outcome: "challenge", factors: ["webauthn-platform", "webauthn-roaming"], reason: "" } },
  { id: "low-confidence", when: rule5, action: { outcome: "challenge", factors: ["webauthn-platform", "otp", "push-notification"], reason: "" } },
  { id: "no-factor-yet", when: rule6, action: { outcome: "enroll", factors: ["otp", "webauthn-platform"], reason: "" } },
  { id: "abroad", when: rule7, action: { outcome: "challenge", factors: ["otp", "push-notification"], reason: "" } }
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
