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
    this.m = /* \x40__PURE__ */ new Map();
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
var steps = /* \x40__PURE__ */ Object.create(null);
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
function or_values(va, vb) {
  const v = outcome("_||_", true, va, vb);
  if (typeof v !== "boolean") throw v;
  return v;
}
function or_outcome(va, vb) {
  return outcome("_||_", true, va, vb);
}

// mfapolicy-templates:runtime/strings.js
function matches_string(s, re) {
  if (typeof s !== "string") throw noSuchOverload("matches", s);
  return re.test(s);
}

// mfapolicy-templates-policy:policy.js
//! RE2 ^[*][/]$
var re0 = /(?:^)(?:\u{2a}\u{2f})(?:$)/u;
//! RE2 \x3c/script>
var re1 = /\u{3c}\u{2f}script\u{3e}/u;
//! lists.weird
var list0 = ['"); process.exit(1); //', "*/", "</script>", "\x23\x23KEY\x23\x23", "\x40\x40KEY\x40\x40", "\u2028", "a'b"];
//! rule 0.._--x (policy.yaml:11:5)
//!   event.user.name in lists.weird
function rule0(event) {
  let fv;
  return list0.includes((fv = event?.user?.name, typeof fv === "string" ? fv : read_string(event, "user.name")));
}
//! rule 9 (policy.yaml:15:5)
//!   event.user.nickname == "\x5c"); process.exit(1); //" || event.user.nickname.contains('*/') || event.user.nickname == '\x3c/script>'
function rule1(event) {
  let m0, fv, left, right, right1;
  try {
    left = (m0 ??= (fv = event?.user?.nickname, typeof fv === "string" ? fv : read_string(event, "user.nickname"))) === '"); process.exit(1); //';
  } catch (e) {
    left = caught(e);
  }
  if (left !== true) {
    try {
      right1 = (m0 ??= (fv = event?.user?.nickname, typeof fv === "string" ? fv : read_string(event, "user.nickname"))).includes("*/");
    } catch (e) {
      right1 = caught(e);
    }
    left = left === false && typeof right1 === "boolean" ? right1 : or_outcome(left, right1);
  }
  if (left === true) return true;
  try {
    right = (m0 ??= (fv = event?.user?.nickname, typeof fv === "string" ? fv : read_string(event, "user.nickname"))) === "</script>";
  } catch (e) {
    right = caught(e);
  }
  return left === false && typeof right === "boolean" ? right : or_values(left, right);
}
//! rule A.B-c_d. (policy.yaml:19:5)
//!   event.user.email.endsWith('\x40\x40KEY\x40\x40') || event.user.email.startsWith('\x23\x23KEY\x23\x23') || event.user.email == '\x5cu2028\x5c'\x5c\x5c'
function rule2(event) {
  let m0, fv, left, right, right1;
  try {
    left = (m0 ??= (fv = event?.user?.email, typeof fv === "string" ? fv : read_string(event, "user.email"))).endsWith("\x40\x40KEY\x40\x40");
  } catch (e) {
    left = caught(e);
  }
  if (left !== true) {
    try {
      right1 = (m0 ??= (fv = event?.user?.email, typeof fv === "string" ? fv : read_string(event, "user.email"))).startsWith("\x23\x23KEY\x23\x23");
    } catch (e) {
      right1 = caught(e);
    }
    left = left === false && typeof right1 === "boolean" ? right1 : or_outcome(left, right1);
  }
  if (left === true) return true;
  try {
    right = (m0 ??= (fv = event?.user?.email, typeof fv === "string" ? fv : read_string(event, "user.email"))) === "\u2028'\\";
  } catch (e) {
    right = caught(e);
  }
  return left === false && typeof right === "boolean" ? right : or_values(left, right);
}
//! rule xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx (policy.yaml:23:5)
//!   event.request.hostname.matches('^[*][/]$') || event.request.hostname.matches('\x3c/script>')
function rule3(event) {
  let m0, fv, left, right;
  try {
    left = matches_string(m0 ??= (fv = event?.request?.hostname, typeof fv === "string" ? fv : read_string(event, "request.hostname")), re0);
  } catch (e) {
    left = caught(e);
  }
  if (left === true) return true;
  try {
    right = matches_string(m0 ??= (fv = event?.request?.hostname, typeof fv === "string" ? fv : read_string(event, "request.hostname")), re1);
  } catch (e) {
    right = caught(e);
  }
  return left === false && typeof right === "boolean" ? right : or_values(left, right);
}
var rules = [
  { id: "0.._--x", when: rule0, action: { outcome: "deny", factors: [], reason: 'He said "no"; \'nope\' \\ </script><!-- */ /* \u2028\u2029 \x23\x23KEY\x23\x23 \x40\x40KEY\x40\x40 ${x} `tick` "); process.exit(1); // \xE9 \u{1F600}' } },
  { id: "9", when: rule1, action: { outcome: "deny", factors: [], reason: "\x23\x23KEY\x23\x23 \x40\x40KEY\x40\x40 */" } },
  { id: "A.B-c_d.", when: rule2, action: { outcome: "challenge", factors: ["otp"], reason: "" } },
  { id: "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", when: rule3, action: { outcome: "deny", factors: [], reason: "*/ //! not a comment \n second line" } }
];
var defaultAction = { outcome: "allow", factors: [], reason: "" };
var onErrorAction = { outcome: "deny", factors: [], reason: 'He said "no"; \'nope\' \\ </script><!-- */ /* \u2028\u2029 \x23\x23KEY\x23\x23 \x40\x40KEY\x40\x40 ${x} `tick` "); process.exit(1); // \xE9 \u{1F600} (on_error)' };

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
