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
function listIndex(i) {
  if (typeof i === "bigint") return i;
  if (i instanceof CelUint) return i.v;
  if (typeof i === "number" && Number.isInteger(i)) return BigInt(i);
  throw new CelError("unsupported index type '" + typeof i + "' in list");
}
function index_list(l, i) {
  const n = listIndex(i);
  if (n < 0n || n >= BigInt(l.length)) {
    throw new CelError("index '" + n + "' out of range in list size '" + l.length + "'");
  }
  return l[Number(n)];
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
function has_field(o, path, base) {
  return lookup(o, path, base) !== void 0;
}
function read_string(o, path, base) {
  const v = lookup(o, path, base);
  if (v === void 0) return "";
  if (typeof v !== "string") throw wrong(name(base, path), "string", v);
  return v;
}
function read_bool(o, path, base) {
  const v = lookup(o, path, base);
  if (v === void 0) return false;
  if (typeof v !== "boolean") throw wrong(name(base, path), "boolean", v);
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
function read_double(o, path, base) {
  const v = lookup(o, path, base);
  if (v === void 0) return 0;
  if (typeof v !== "number") throw wrong(name(base, path), "number", v);
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

// mfapolicy-templates-policy:policy.js
//! lists.countries
var list0 = ["US", "CA", "DE", "FR"];
//! lists.names
var list1 = ["Zo\xEB", "\u65E5\u672C", "\u{1F600}", 'a"b', ""];
//! lists.counts
var list2 = [1n, 2n, 3n, -9223372036854775808n, 9223372036854775807n];
//! lists.latitudes
var list3 = [1, 2.5, -0, 1e10];
//! lists.flags
var list4 = [true, false];
//! lists.nothing
var list5 = [];
//! rule empty (policy.yaml:12:5)
//!   event.request.geoip.countryCode in lists.nothing || size(lists.nothing) > 0
function rule0(event) {
  let fv, left, right;
  try {
    left = list5.includes((fv = event?.request?.geoip?.countryCode, typeof fv === "string" ? fv : read_string(event, "request.geoip.countryCode")));
  } catch (e) {
    left = caught(e);
  }
  if (left === true) return true;
  try {
    right = size_list(list5) > 0n;
  } catch (e) {
    right = caught(e);
  }
  return left === false && typeof right === "boolean" ? right : or_values(left, right);
}
//! rule count (policy.yaml:16:5)
//!   event.stats.logins_count in lists.counts && lists.counts[3] < 0
function rule1(event) {
  let fv, left, right;
  try {
    left = in_list((fv = event?.stats?.logins_count, typeof fv === "number" && Number.isSafeInteger(fv) ? BigInt(fv) : read_int(event, "stats.logins_count")), list2);
  } catch (e) {
    left = caught(e);
  }
  if (left === false) return false;
  try {
    right = index_list(list2, 3n) < 0n;
  } catch (e) {
    right = caught(e);
  }
  return left === true && typeof right === "boolean" ? right : and_values(left, right);
}
//! rule latitude (policy.yaml:20:5)
//!   has(event.request.geoip.latitude) && (event.request.geoip.latitude in lists.latitudes || lists.latitudes.exists(l, l > 1e9 && event.request.geoip.latitude > l))
function rule2(event) {
  let fv, left, right, right1;
  try {
    left = event?.request?.geoip?.latitude != null || has_field(event, "request.geoip.latitude");
  } catch (e) {
    left = caught(e);
  }
  if (left === false) return false;
  try {
    right = in_list((fv = event?.request?.geoip?.latitude, typeof fv === "number" ? fv : read_double(event, "request.geoip.latitude")), list3);
  } catch (e) {
    right = caught(e);
  }
  if (right !== true) {
    try {
      right1 = rule2_exists0(list3, event);
    } catch (e) {
      right1 = caught(e);
    }
    right = right === false && typeof right1 === "boolean" ? right1 : or_outcome(right, right1);
  }
  return left === true && typeof right === "boolean" ? right : and_values(left, right);
}
function rule2_exists0(items, event) {
  let fv, ok, right1;
  const xs = range(items);
  let err = null;
  for (let i = 0; i < xs.length; i++) {
    const v0 = xs[i];
    try {
      ok = v0 > 1e9;
    } catch (e) {
      ok = caught(e);
    }
    if (ok !== false) {
      try {
        right1 = (fv = event?.request?.geoip?.latitude, typeof fv === "number" ? fv : read_double(event, "request.geoip.latitude")) > v0;
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
//! rule verified (policy.yaml:24:5)
//!   has(event.user.name) && event.user.email_verified in lists.flags && event.user.name in lists.names
function rule3(event) {
  let fv, left, right, right1;
  try {
    left = event?.user?.name != null || has_field(event, "user.name");
  } catch (e) {
    left = caught(e);
  }
  if (left !== false) {
    try {
      right1 = list4.includes((fv = event?.user?.email_verified, typeof fv === "boolean" ? fv : read_bool(event, "user.email_verified")));
    } catch (e) {
      right1 = caught(e);
    }
    left = left === true && typeof right1 === "boolean" ? right1 : and_outcome(left, right1);
  }
  if (left === false) return false;
  try {
    right = list1.includes((fv = event?.user?.name, typeof fv === "string" ? fv : read_string(event, "user.name")));
  } catch (e) {
    right = caught(e);
  }
  return left === true && typeof right === "boolean" ? right : and_values(left, right);
}
//! rule home (policy.yaml:28:5)
//!   event.request.geoip.countryCode in lists.countries
function rule4(event) {
  let fv;
  return list0.includes((fv = event?.request?.geoip?.countryCode, typeof fv === "string" ? fv : read_string(event, "request.geoip.countryCode")));
}
var rules = [
  { id: "empty", when: rule0, action: { outcome: "deny", factors: [], reason: "Never" } },
  { id: "count", when: rule1, action: { outcome: "challenge", factors: ["otp"], reason: "" } },
  { id: "latitude", when: rule2, action: { outcome: "challenge", factors: ["phone"], reason: "" } },
  { id: "verified", when: rule3, action: { outcome: "enroll", factors: ["otp"], reason: "" } },
  { id: "home", when: rule4, action: { outcome: "allow", factors: [], reason: "" } }
];
var defaultAction = { outcome: "challenge", factors: ["otp", "email"], reason: "" };
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
