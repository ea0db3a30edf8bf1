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
function uint(v) {
  return new CelUint(v);
}
var hasOwn = Object.hasOwn;
function own(o, k) {
  return hasOwn(o, k);
}

// mfapolicy-templates:runtime/bytes.js
function add_bytes(a, b) {
  const out = new Uint8Array(a.b.length + b.b.length);
  out.set(a.b, 0);
  out.set(b.b, a.b.length);
  return new CelBytes(out);
}

// mfapolicy-templates:runtime/time.js
var NS = 1000000000n;
var MIN_SEC = -62135596800n;
var MAX_SEC = 253402300799n;
function floorDiv(a, b) {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}
function timestampOf(ns, off) {
  const s = floorDiv(ns, NS);
  if (s < MIN_SEC || s > MAX_SEC) throw new CelError("timestamp overflow");
  return new CelTimestamp(ns, off);
}
function int64(v) {
  if (v < INT_MIN || v > INT_MAX) throw new CelError("integer overflow");
  return v;
}
var clock = null;
function reset_clock() {
  clock = null;
}
function add_timestamp_duration(t, d) {
  return timestampOf(t.ns + d.ns, t.off);
}
function add_duration_timestamp(d, t) {
  return timestampOf(t.ns + d.ns, t.off);
}
function add_duration_duration(a, b) {
  return new CelDuration(int64(a.ns + b.ns));
}
var units = { ns: 1n, us: 1000n, "\xB5s": 1000n, "\u03BCs": 1000n, ms: 1000000n, s: NS, m: 60n * NS, h: 3600n * NS };
var TWO63 = 1n << 63n;

// mfapolicy-templates:runtime/arith.js
function int(r) {
  if (r < INT_MIN || r > INT_MAX) throw new CelError("integer overflow");
  return r;
}
function uintOf(r) {
  if (r < 0n || r > UINT_MAX) throw new CelError("unsigned integer overflow");
  return new CelUint(r);
}
function add_int64(a, b) {
  return int(a + b);
}
function multiply_int64(a, b) {
  return int(a * b);
}
function negate_int64(a) {
  return int(-a);
}
function divide_int64(a, b) {
  if (b === 0n) throw new CelError("division by zero");
  return int(a / b);
}
function modulo_int64(a, b) {
  if (b === 0n) throw new CelError("modulus by zero");
  if (a === INT_MIN && b === -1n) throw new CelError("integer overflow");
  return a % b;
}
function add_uint64(a, b) {
  return uintOf(a.v + b.v);
}
function subtract_uint64(a, b) {
  return uintOf(a.v - b.v);
}
function add(a, b) {
  if (typeof a === "bigint" && typeof b === "bigint") return add_int64(a, b);
  if (typeof a === "number" && typeof b === "number") return a + b;
  if (typeof a === "string" && typeof b === "string") return a + b;
  if (a instanceof CelUint && b instanceof CelUint) return add_uint64(a, b);
  if (Array.isArray(a) && Array.isArray(b)) return a.concat(b);
  if (a instanceof CelBytes && b instanceof CelBytes) return add_bytes(a, b);
  if (a instanceof CelDuration) {
    if (b instanceof CelDuration) return add_duration_duration(a, b);
    if (b instanceof CelTimestamp) return add_duration_timestamp(a, b);
  }
  if (a instanceof CelTimestamp && b instanceof CelDuration) return add_timestamp_duration(a, b);
  throw noSuchOverload("_+_", a, b);
}

// mfapolicy-templates:runtime/compare.js
function sign(x, y) {
  return x < y ? -1 : x > y ? 1 : 0;
}
function cmpString(a, b) {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x !== y) {
      if (x >= 55296) x += x >= 57344 ? -2048 : 8192;
      if (y >= 55296) y += y >= 57344 ? -2048 : 8192;
      return x < y ? -1 : 1;
    }
  }
  return sign(a.length, b.length);
}
function less_string(a, b) {
  return cmpString(a, b) < 0;
}
function less_uint64(a, b) {
  return a.v < b.v;
}

// mfapolicy-templates:runtime/containers.js
var SURROGATE = /[\uD800-\uDFFF]/;
function size_string(s) {
  const n = s.length;
  if (!SURROGATE.test(s)) return BigInt(n);
  let pairs = 0;
  for (let i = 0; i < n - 1; i++) {
    const c = s.charCodeAt(i);
    if (c >= 55296 && c <= 56319) {
      const d = s.charCodeAt(i + 1);
      if (d >= 56320 && d <= 57343) {
        pairs++;
        i++;
      }
    }
  }
  return BigInt(n - pairs);
}
function index_map(m, k) {
  if (m instanceof CelMap) {
    const e = findKey(m, k);
    if (e === void 0) throw new CelError("no such key: " + String(k instanceof CelUint ? k.v : k));
    return e[1];
  }
  if (typeof k !== "string" || !own(m, k)) throw new CelError("no such key: " + String(k instanceof CelUint ? k.v : k));
  return m[k];
}

// mfapolicy-templates:runtime/convert.js
function convErr(from, to) {
  return new CelError("type conversion error from '" + from + "' to '" + to + "'");
}
function int64_to_string(a) {
  return a.toString();
}
function bool_to_string(a) {
  return a ? "true" : "false";
}
function int64_to_double(a) {
  return Number(a);
}
function int64_to_uint64(a) {
  if (a < 0n) throw new CelError("unsigned integer overflow");
  return new CelUint(a);
}
function string_to_int64(s) {
  if (!/^[+-]?[0-9]+$/.test(s)) throw convErr("string", "int");
  const v = BigInt(s);
  if (v < INT_MIN || v > INT_MAX) throw convErr("string", "int");
  return v;
}
function string_to_bool(s) {
  switch (s) {
    case "1":
    case "t":
    case "T":
    case "true":
    case "TRUE":
    case "True":
      return true;
    case "0":
    case "f":
    case "F":
    case "false":
    case "FALSE":
    case "False":
      return false;
  }
  throw convErr("string", "bool");
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
function read_double(o, path, base) {
  const v = lookup(o, path, base);
  if (v === void 0) return 0;
  if (typeof v !== "number") throw wrong(name(base, path), "number", v);
  return v;
}
function read_map_dyn(o, path, base) {
  const v = lookup(o, path, base);
  if (v === void 0) return EMPTY;
  if (!isPlainObject(v)) throw wrong(name(base, path), "object", v);
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

// mfapolicy-templates:runtime/strings.js
function string_lower_ascii(s) {
  return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}
function string_upper_ascii(s) {
  return s.replace(/[a-z]+/g, (m) => m.toUpperCase());
}

// mfapolicy-templates-policy:policy.js
//! rule overflow (policy.yaml:5:5)
//!   event.stats.logins_count * 2 > 100 && event.stats.logins_count + 1 > 0
function rule0(event) {
  let m0, fv, left, right;
  try {
    left = multiply_int64(m0 ??= (fv = event?.stats?.logins_count, typeof fv === "number" && Number.isSafeInteger(fv) ? BigInt(fv) : read_int(event, "stats.logins_count")), 2n) > 100n;
  } catch (e) {
    left = caught(e);
  }
  if (left === false) return false;
  try {
    right = add_int64(m0 ??= (fv = event?.stats?.logins_count, typeof fv === "number" && Number.isSafeInteger(fv) ? BigInt(fv) : read_int(event, "stats.logins_count")), 1n) > 0n;
  } catch (e) {
    right = caught(e);
  }
  return left === true && typeof right === "boolean" ? right : and_values(left, right);
}
//! rule ratio (policy.yaml:10:5)
//!   event.stats.logins_count > 0 && 100 / event.stats.logins_count == 50 && 7 % event.stats.logins_count == 1
function rule1(event) {
  let m0, fv, left, right, right1;
  try {
    left = (m0 ??= (fv = event?.stats?.logins_count, typeof fv === "number" && Number.isSafeInteger(fv) ? BigInt(fv) : read_int(event, "stats.logins_count"))) > 0n;
  } catch (e) {
    left = caught(e);
  }
  if (left !== false) {
    try {
      right1 = divide_int64(100n, m0 ??= (fv = event?.stats?.logins_count, typeof fv === "number" && Number.isSafeInteger(fv) ? BigInt(fv) : read_int(event, "stats.logins_count"))) === 50n;
    } catch (e) {
      right1 = caught(e);
    }
    left = left === true && typeof right1 === "boolean" ? right1 : and_outcome(left, right1);
  }
  if (left === false) return false;
  try {
    right = modulo_int64(7n, m0 ??= (fv = event?.stats?.logins_count, typeof fv === "number" && Number.isSafeInteger(fv) ? BigInt(fv) : read_int(event, "stats.logins_count"))) === 1n;
  } catch (e) {
    right = caught(e);
  }
  return left === true && typeof right === "boolean" ? right : and_values(left, right);
}
//! rule unsigned (policy.yaml:14:5)
//!   event.stats.logins_count >= 3 && uint(event.stats.logins_count) - 3u < 2u && -event.stats.logins_count < 0
function rule2(event) {
  let m0, fv, left, right, right1;
  try {
    left = (m0 ??= (fv = event?.stats?.logins_count, typeof fv === "number" && Number.isSafeInteger(fv) ? BigInt(fv) : read_int(event, "stats.logins_count"))) >= 3n;
  } catch (e) {
    left = caught(e);
  }
  if (left !== false) {
    try {
      right1 = less_uint64(subtract_uint64(int64_to_uint64(m0 ??= (fv = event?.stats?.logins_count, typeof fv === "number" && Number.isSafeInteger(fv) ? BigInt(fv) : read_int(event, "stats.logins_count"))), uint(3n)), uint(2n));
    } catch (e) {
      right1 = caught(e);
    }
    left = left === true && typeof right1 === "boolean" ? right1 : and_outcome(left, right1);
  }
  if (left === false) return false;
  try {
    right = negate_int64(m0 ??= (fv = event?.stats?.logins_count, typeof fv === "number" && Number.isSafeInteger(fv) ? BigInt(fv) : read_int(event, "stats.logins_count"))) < 0n;
  } catch (e) {
    right = caught(e);
  }
  return left === true && typeof right === "boolean" ? right : and_values(left, right);
}
//! rule doubles (policy.yaml:18:5)
//!   event.request.geoip.latitude / 0.0 > 1e308 || -event.request.geoip.longitude * 2.0 == 3.0 || double(event.stats.logins_count) - 0.5 == 10.5
function rule3(event) {
  let fv, left, right, right1;
  try {
    left = (fv = event?.request?.geoip?.latitude, typeof fv === "number" ? fv : read_double(event, "request.geoip.latitude")) / 0 > 1e308;
  } catch (e) {
    left = caught(e);
  }
  if (left !== true) {
    try {
      right1 = -(fv = event?.request?.geoip?.longitude, typeof fv === "number" ? fv : read_double(event, "request.geoip.longitude")) * 2 === 3;
    } catch (e) {
      right1 = caught(e);
    }
    left = left === false && typeof right1 === "boolean" ? right1 : or_outcome(left, right1);
  }
  if (left === true) return true;
  try {
    right = int64_to_double((fv = event?.stats?.logins_count, typeof fv === "number" && Number.isSafeInteger(fv) ? BigInt(fv) : read_int(event, "stats.logins_count"))) - 0.5 === 10.5;
  } catch (e) {
    right = caught(e);
  }
  return left === false && typeof right === "boolean" ? right : or_values(left, right);
}
//! rule seats (policy.yaml:22:5)
//!   event.user.app_metadata.seats + 1.0 > 10.0 && int(string(event.stats.logins_count) + '0') >= 10
function rule4(event) {
  let fv, left, right;
  try {
    left = add(index_map(read_map_dyn(event, "user.app_metadata"), "seats"), 1) > 10;
  } catch (e) {
    left = caught(e);
  }
  if (left === false) return false;
  try {
    right = string_to_int64(int64_to_string((fv = event?.stats?.logins_count, typeof fv === "number" && Number.isSafeInteger(fv) ? BigInt(fv) : read_int(event, "stats.logins_count"))) + "0") >= 10n;
  } catch (e) {
    right = caught(e);
  }
  return left === true && typeof right === "boolean" ? right : and_values(left, right);
}
//! rule strings (policy.yaml:26:5)
//!   size(event.user.name) == 3 && event.user.name.lowerAscii() == 'abc' || event.user.nickname.upperAscii() + '!' == 'H\u{c9}!' && event.user.nickname < 'z' || event.user.given_name != '' && bool(event.user.given_name) && string(true) == 'true'
function rule5(event) {
  let m0, m1, m2, fv, left, right, right1, right2, right3, right4, right5;
  try {
    left = size_string(m1 ??= (fv = event?.user?.name, typeof fv === "string" ? fv : read_string(event, "user.name"))) === 3n;
  } catch (e) {
    left = caught(e);
  }
  if (left !== false) {
    try {
      right2 = string_lower_ascii(m1 ??= (fv = event?.user?.name, typeof fv === "string" ? fv : read_string(event, "user.name"))) === "abc";
    } catch (e) {
      right2 = caught(e);
    }
    left = left === true && typeof right2 === "boolean" ? right2 : and_outcome(left, right2);
  }
  if (left !== true) {
    try {
      right1 = string_upper_ascii(m2 ??= (fv = event?.user?.nickname, typeof fv === "string" ? fv : read_string(event, "user.nickname"))) + "!" === "H\xC9!";
    } catch (e) {
      right1 = caught(e);
    }
    if (right1 !== false) {
      try {
        right3 = less_string(m2 ??= (fv = event?.user?.nickname, typeof fv === "string" ? fv : read_string(event, "user.nickname")), "z");
      } catch (e) {
        right3 = caught(e);
      }
      right1 = right1 === true && typeof right3 === "boolean" ? right3 : and_outcome(right1, right3);
    }
    left = left === false && typeof right1 === "boolean" ? right1 : or_outcome(left, right1);
  }
  if (left === true) return true;
  try {
    right = (m0 ??= (fv = event?.user?.given_name, typeof fv === "string" ? fv : read_string(event, "user.given_name"))) !== "";
  } catch (e) {
    right = caught(e);
  }
  if (right !== false) {
    try {
      right5 = string_to_bool(m0 ??= (fv = event?.user?.given_name, typeof fv === "string" ? fv : read_string(event, "user.given_name")));
    } catch (e) {
      right5 = caught(e);
    }
    right = right === true && typeof right5 === "boolean" ? right5 : and_outcome(right, right5);
  }
  if (right !== false) {
    try {
      right4 = bool_to_string(true) === "true";
    } catch (e) {
      right4 = caught(e);
    }
    right = right === true && typeof right4 === "boolean" ? right4 : and_outcome(right, right4);
  }
  return left === false && typeof right === "boolean" ? right : or_values(left, right);
}
var rules = [
  { id: "overflow", when: rule0, action: { outcome: "challenge", factors: ["otp"], reason: "" } },
  { id: "ratio", when: rule1, action: { outcome: "challenge", factors: ["phone"], reason: "" } },
  { id: "unsigned", when: rule2, action: { outcome: "enroll", factors: ["otp"], reason: "" } },
  { id: "doubles", when: rule3, action: { outcome: "challenge", factors: ["push-notification"], reason: "" } },
  { id: "seats", when: rule4, action: { outcome: "challenge", factors: ["webauthn-platform"], reason: "" } },
  { id: "strings", when: rule5, action: { outcome: "challenge", factors: ["email"], reason: "" } }
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
