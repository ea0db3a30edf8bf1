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

// mfapolicy-templates:runtime/strings.js
function matches_string(s, re) {
  if (typeof s !== "string") throw noSuchOverload("matches", s);
  return re.test(s);
}

// mfapolicy-templates-policy:policy.js
//! RE2 (?i)(curl|wget|python-requests)/\x5cd+
var re0 = /(?:[Cc][Uu][Rr][Ll]|[Ww][Gg][Ee][Tt]|[Pp][Yy][Tt][Hh][Oo][Nn]\u{2d}[Rr][Ee][Qq][Uu][Ee][Ss\u{17f}][Tt][Ss\u{17f}])\u{2f}(?:[0-9])+/u;
//! RE2 ^[a-z0-9._%+-]+\x40(corp|internal)\x5c.example\x5c.com$
var re1 = /(?:^)(?:[\u{25}\u{2b}\u{2d}-\u{2e}0-9\u{5f}a-z])+\u{40}(?:corp|internal)(?:\u{2e}example\u{2e}com)(?:$)/u;
//! RE2 ^[\x5cpL ]+$
var re2 = /(?:^)(?:[\u{20}A-Za-z\u{aa}\u{b5}\u{ba}\u{c0}-\u{d6}\u{d8}-\u{f6}\u{f8}-\u{2c1}\u{2c6}-\u{2d1}\u{2e0}-\u{2e4}\u{2ec}\u{2ee}\u{370}-\u{374}\u{376}-\u{377}\u{37a}-\u{37d}\u{37f}\u{386}\u{388}-\u{38a}\u{38c}\u{38e}-\u{3a1}\u{3a3}-\u{3f5}\u{3f7}-\u{481}\u{48a}-\u{52f}\u{531}-\u{556}\u{559}\u{560}-\u{588}\u{5d0}-\u{5ea}\u{5ef}-\u{5f2}\u{620}-\u{64a}\u{66e}-\u{66f}\u{671}-\u{6d3}\u{6d5}\u{6e5}-\u{6e6}\u{6ee}-\u{6ef}\u{6fa}-\u{6fc}\u{6ff}\u{710}\u{712}-\u{72f}\u{74d}-\u{7a5}\u{7b1}\u{7ca}-\u{7ea}\u{7f4}-\u{7f5}\u{7fa}\u{800}-\u{815}\u{81a}\u{824}\u{828}\u{840}-\u{858}\u{860}-\u{86a}\u{870}-\u{887}\u{889}-\u{88e}\u{8a0}-\u{8c9}\u{904}-\u{939}\u{93d}\u{950}\u{958}-\u{961}\u{971}-\u{980}\u{985}-\u{98c}\u{98f}-\u{990}\u{993}-\u{9a8}\u{9aa}-\u{9b0}\u{9b2}\u{9b6}-\u{9b9}\u{9bd}\u{9ce}\u{9dc}-\u{9dd}\u{9df}-\u{9e1}\u{9f0}-\u{9f1}\u{9fc}\u{a05}-\u{a0a}\u{a0f}-\u{a10}\u{a13}-\u{a28}\u{a2a}-\u{a30}\u{a32}-\u{a33}\u{a35}-\u{a36}\u{a38}-\u{a39}\u{a59}-\u{a5c}\u{a5e}\u{a72}-\u{a74}\u{a85}-\u{a8d}\u{a8f}-\u{a91}\u{a93}-\u{aa8}\u{aaa}-\u{ab0}\u{ab2}-\u{ab3}\u{ab5}-\u{ab9}\u{abd}\u{ad0}\u{ae0}-\u{ae1}\u{af9}\u{b05}-\u{b0c}\u{b0f}-\u{b10}\u{b13}-\u{b28}\u{b2a}-\u{b30}\u{b32}-\u{b33}\u{b35}-\u{b39}\u{b3d}\u{b5c}-\u{b5d}\u{b5f}-\u{b61}\u{b71}\u{b83}\u{b85}-\u{b8a}\u{b8e}-\u{b90}\u{b92}-\u{b95}\u{b99}-\u{b9a}\u{b9c}\u{b9e}-\u{b9f}\u{ba3}-\u{ba4}\u{ba8}-\u{baa}\u{bae}-\u{bb9}\u{bd0}\u{c05}-\u{c0c}\u{c0e}-\u{c10}\u{c12}-\u{c28}\u{c2a}-\u{c39}\u{c3d}\u{c58}-\u{c5a}\u{c5d}\u{c60}-\u{c61}\u{c80}\u{c85}-\u{c8c}\u{c8e}-\u{c90}\u{c92}-\u{ca8}\u{caa}-\u{cb3}\u{cb5}-\u{cb9}\u{cbd}\u{cdd}-\u{cde}\u{ce0}-\u{ce1}\u{cf1}-\u{cf2}\u{d04}-\u{d0c}\u{d0e}-\u{d10}\u{d12}-\u{d3a}\u{d3d}\u{d4e}\u{d54}-\u{d56}\u{d5f}-\u{d61}\u{d7a}-\u{d7f}\u{d85}-\u{d96}\u{d9a}-\u{db1}\u{db3}-\u{dbb}\u{dbd}\u{dc0}-\u{dc6}\u{e01}-\u{e30}\u{e32}-\u{e33}\u{e40}-\u{e46}\u{e81}-\u{e82}\u{e84}\u{e86}-\u{e8a}\u{e8c}-\u{ea3}\u{ea5}\u{ea7}-\u{eb0}\u{eb2}-\u{eb3}\u{ebd}\u{ec0}-\u{ec4}\u{ec6}\u{edc}-\u{edf}\u{f00}\u{f40}-\u{f47}\u{f49}-\u{f6c}\u{f88}-\u{f8c}\u{1000}-\u{102a}\u{103f}\u{1050}-\u{1055}\u{105a}-\u{105d}\u{1061}\u{1065}-\u{1066}\u{106e}-\u{1070}\u{1075}-\u{1081}\u{108e}\u{10a0}-\u{10c5}\u{10c7}\u{10cd}\u{10d0}-\u{10fa}\u{10fc}-\u{1248}\u{124a}-\u{124d}\u{1250}-\u{1256}\u{1258}\u{125a}-\u{125d}\u{1260}-\u{1288}\u{128a}-\u{128d}\u{1290}-\u{12b0}\u{12b2}-\u{12b5}\u{12b8}-\u{12be}\u{12c0}\u{12c2}-\u{12c5}\u{12c8}-\u{12d6}\u{12d8}-\u{1310}\u{1312}-\u{1315}\u{1318}-\u{135a}\u{1380}-\u{138f}\u{13a0}-\u{13f5}\u{13f8}-\u{13fd}\u{1401}-\u{166c}\u{166f}-\u{167f}\u{1681}-\u{169a}\u{16a0}-\u{16ea}\u{16f1}-\u{16f8}\u{1700}-\u{1711}\u{171f}-\u{1731}\u{1740}-\u{1751}\u{1760}-\u{176c}\u{176e}-\u{1770}\u{1780}-\u{17b3}\u{17d7}\u{17dc}\u{1820}-\u{1878}\u{1880}-\u{1884}\u{1887}-\u{18a8}\u{18aa}\u{18b0}-\u{18f5}\u{1900}-\u{191e}\u{1950}-\u{196d}\u{1970}-\u{1974}\u{1980}-\u{19ab}\u{19b0}-\u{19c9}\u{1a00}-\u{1a16}\u{1a20}-\u{1a54}\u{1aa7}\u{1b05}-\u{1b33}\u{1b45}-\u{1b4c}\u{1b83}-\u{1ba0}\u{1bae}-\u{1baf}\u{1bba}-\u{1be5}\u{1c00}-\u{1c23}\u{1c4d}-\u{1c4f}\u{1c5a}-\u{1c7d}\u{1c80}-\u{1c88}\u{1c90}-\u{1cba}\u{1cbd}-\u{1cbf}\u{1ce9}-\u{1cec}\u{1cee}-\u{1cf3}\u{1cf5}-\u{1cf6}\u{1cfa}\u{1d00}-\u{1dbf}\u{1e00}-\u{1f15}\u{1f18}-\u{1f1d}\u{1f20}-\u{1f45}\u{1f48}-\u{1f4d}\u{1f50}-\u{1f57}\u{1f59}\u{1f5b}\u{1f5d}\u{1f5f}-\u{1f7d}\u{1f80}-\u{1fb4}\u{1fb6}-\u{1fbc}\u{1fbe}\u{1fc2}-\u{1fc4}\u{1fc6}-\u{1fcc}\u{1fd0}-\u{1fd3}\u{1fd6}-\u{1fdb}\u{1fe0}-\u{1fec}\u{1ff2}-\u{1ff4}\u{1ff6}-\u{1ffc}\u{2071}\u{207f}\u{2090}-\u{209c}\u{2102}\u{2107}\u{210a}-\u{2113}\u{2115}\u{2119}-\u{211d}\u{2124}\u{2126}\u{2128}\u{212a}-\u{212d}\u{212f}-\u{2139}\u{213c}-\u{213f}\u{2145}-\u{2149}\u{214e}\u{2183}-\u{2184}\u{2c00}-\u{2ce4}\u{2ceb}-\u{2cee}\u{2cf2}-\u{2cf3}\u{2d00}-\u{2d25}\u{2d27}\u{2d2d}\u{2d30}-\u{2d67}\u{2d6f}\u{2d80}-\u{2d96}\u{2da0}-\u{2da6}\u{2da8}-\u{2dae}\u{2db0}-\u{2db6}\u{2db8}-\u{2dbe}\u{2dc0}-\u{2dc6}\u{2dc8}-\u{2dce}\u{2dd0}-\u{2dd6}\u{2dd8}-\u{2dde}\u{2e2f}\u{3005}-\u{3006}\u{3031}-\u{3035}\u{303b}-\u{303c}\u{3041}-\u{3096}\u{309d}-\u{309f}\u{30a1}-\u{30fa}\u{30fc}-\u{30ff}\u{3105}-\u{312f}\u{3131}-\u{318e}\u{31a0}-\u{31bf}\u{31f0}-\u{31ff}\u{3400}-\u{4dbf}\u{4e00}-\u{a48c}\u{a4d0}-\u{a4fd}\u{a500}-\u{a60c}\u{a610}-\u{a61f}\u{a62a}-\u{a62b}\u{a640}-\u{a66e}\u{a67f}-\u{a69d}\u{a6a0}-\u{a6e5}\u{a717}-\u{a71f}\u{a722}-\u{a788}\u{a78b}-\u{a7ca}\u{a7d0}-\u{a7d1}\u{a7d3}\u{a7d5}-\u{a7d9}\u{a7f2}-\u{a801}\u{a803}-\u{a805}\u{a807}-\u{a80a}\u{a80c}-\u{a822}\u{a840}-\u{a873}\u{a882}-\u{a8b3}\u{a8f2}-\u{a8f7}\u{a8fb}\u{a8fd}-\u{a8fe}\u{a90a}-\u{a925}\u{a930}-\u{a946}\u{a960}-\u{a97c}\u{a984}-\u{a9b2}\u{a9cf}\u{a9e0}-\u{a9e4}\u{a9e6}-\u{a9ef}\u{a9fa}-\u{a9fe}\u{aa00}-\u{aa28}\u{aa40}-\u{aa42}\u{aa44}-\u{aa4b}\u{aa60}-\u{aa76}\u{aa7a}\u{aa7e}-\u{aaaf}\u{aab1}\u{aab5}-\u{aab6}\u{aab9}-\u{aabd}\u{aac0}\u{aac2}\u{aadb}-\u{aadd}\u{aae0}-\u{aaea}\u{aaf2}-\u{aaf4}\u{ab01}-\u{ab06}\u{ab09}-\u{ab0e}\u{ab11}-\u{ab16}\u{ab20}-\u{ab26}\u{ab28}-\u{ab2e}\u{ab30}-\u{ab5a}\u{ab5c}-\u{ab69}\u{ab70}-\u{abe2}\u{ac00}-\u{d7a3}\u{d7b0}-\u{d7c6}\u{d7cb}-\u{d7fb}\u{f900}-\u{fa6d}\u{fa70}-\u{fad9}\u{fb00}-\u{fb06}\u{fb13}-\u{fb17}\u{fb1d}\u{fb1f}-\u{fb28}\u{fb2a}-\u{fb36}\u{fb38}-\u{fb3c}\u{fb3e}\u{fb40}-\u{fb41}\u{fb43}-\u{fb44}\u{fb46}-\u{fbb1}\u{fbd3}-\u{fd3d}\u{fd50}-\u{fd8f}\u{fd92}-\u{fdc7}\u{fdf0}-\u{fdfb}\u{fe70}-\u{fe74}\u{fe76}-\u{fefc}\u{ff21}-\u{ff3a}\u{ff41}-\u{ff5a}\u{ff66}-\u{ffbe}\u{ffc2}-\u{ffc7}\u{ffca}-\u{ffcf}\u{ffd2}-\u{ffd7}\u{ffda}-\u{ffdc}\u{10000}-\u{1000b}\u{1000d}-\u{10026}\u{10028}-\u{1003a}\u{1003c}-\u{1003d}\u{1003f}-\u{1004d}\u{10050}-\u{1005d}\u{10080}-\u{100fa}\u{10280}-\u{1029c}\u{102a0}-\u{102d0}\u{10300}-\u{1031f}\u{1032d}-\u{10340}\u{10342}-\u{10349}\u{10350}-\u{10375}\u{10380}-\u{1039d}\u{103a0}-\u{103c3}\u{103c8}-\u{103cf}\u{10400}-\u{1049d}\u{104b0}-\u{104d3}\u{104d8}-\u{104fb}\u{10500}-\u{10527}\u{10530}-\u{10563}\u{10570}-\u{1057a}\u{1057c}-\u{1058a}\u{1058c}-\u{10592}\u{10594}-\u{10595}\u{10597}-\u{105a1}\u{105a3}-\u{105b1}\u{105b3}-\u{105b9}\u{105bb}-\u{105bc}\u{10600}-\u{10736}\u{10740}-\u{10755}\u{10760}-\u{10767}\u{10780}-\u{10785}\u{10787}-\u{107b0}\u{107b2}-\u{107ba}\u{10800}-\u{10805}\u{10808}\u{1080a}-\u{10835}\u{10837}-\u{10838}\u{1083c}\u{1083f}-\u{10855}\u{10860}-\u{10876}\u{10880}-\u{1089e}\u{108e0}-\u{108f2}\u{108f4}-\u{108f5}\u{10900}-\u{10915}\u{10920}-\u{10939}\u{10980}-\u{109b7}\u{109be}-\u{109bf}\u{10a00}\u{10a10}-\u{10a13}\u{10a15}-\u{10a17}\u{10a19}-\u{10a35}\u{10a60}-\u{10a7c}\u{10a80}-\u{10a9c}\u{10ac0}-\u{10ac7}\u{10ac9}-\u{10ae4}\u{10b00}-\u{10b35}\u{10b40}-\u{10b55}\u{10b60}-\u{10b72}\u{10b80}-\u{10b91}\u{10c00}-\u{10c48}\u{10c80}-\u{10cb2}\u{10cc0}-\u{10cf2}\u{10d00}-\u{10d23}\u{10e80}-\u{10ea9}\u{10eb0}-\u{10eb1}\u{10f00}-\u{10f1c}\u{10f27}\u{10f30}-\u{10f45}\u{10f70}-\u{10f81}\u{10fb0}-\u{10fc4}\u{10fe0}-\u{10ff6}\u{11003}-\u{11037}\u{11071}-\u{11072}\u{11075}\u{11083}-\u{110af}\u{110d0}-\u{110e8}\u{11103}-\u{11126}\u{11144}\u{11147}\u{11150}-\u{11172}\u{11176}\u{11183}-\u{111b2}\u{111c1}-\u{111c4}\u{111da}\u{111dc}\u{11200}-\u{11211}\u{11213}-\u{1122b}\u{1123f}-\u{11240}\u{11280}-\u{11286}\u{11288}\u{1128a}-\u{1128d}\u{1128f}-\u{1129d}\u{1129f}-\u{112a8}\u{112b0}-\u{112de}\u{11305}-\u{1130c}\u{1130f}-\u{11310}\u{11313}-\u{11328}\u{1132a}-\u{11330}\u{11332}-\u{11333}\u{11335}-\u{11339}\u{1133d}\u{11350}\u{1135d}-\u{11361}\u{11400}-\u{11434}\u{11447}-\u{1144a}\u{1145f}-\u{11461}\u{11480}-\u{114af}\u{114c4}-\u{114c5}\u{114c7}\u{11580}-\u{115ae}\u{115d8}-\u{115db}\u{11600}-\u{1162f}\u{11644}\u{11680}-\u{116aa}\u{116b8}\u{11700}-\u{1171a}\u{11740}-\u{11746}\u{11800}-\u{1182b}\u{118a0}-\u{118df}\u{118ff}-\u{11906}\u{11909}\u{1190c}-\u{11913}\u{11915}-\u{11916}\u{11918}-\u{1192f}\u{1193f}\u{11941}\u{119a0}-\u{119a7}\u{119aa}-\u{119d0}\u{119e1}\u{119e3}\u{11a00}\u{11a0b}-\u{11a32}\u{11a3a}\u{11a50}\u{11a5c}-\u{11a89}\u{11a9d}\u{11ab0}-\u{11af8}\u{11c00}-\u{11c08}\u{11c0a}-\u{11c2e}\u{11c40}\u{11c72}-\u{11c8f}\u{11d00}-\u{11d06}\u{11d08}-\u{11d09}\u{11d0b}-\u{11d30}\u{11d46}\u{11d60}-\u{11d65}\u{11d67}-\u{11d68}\u{11d6a}-\u{11d89}\u{11d98}\u{11ee0}-\u{11ef2}\u{11f02}\u{11f04}-\u{11f10}\u{11f12}-\u{11f33}\u{11fb0}\u{12000}-\u{12399}\u{12480}-\u{12543}\u{12f90}-\u{12ff0}\u{13000}-\u{1342f}\u{13441}-\u{13446}\u{14400}-\u{14646}\u{16800}-\u{16a38}\u{16a40}-\u{16a5e}\u{16a70}-\u{16abe}\u{16ad0}-\u{16aed}\u{16b00}-\u{16b2f}\u{16b40}-\u{16b43}\u{16b63}-\u{16b77}\u{16b7d}-\u{16b8f}\u{16e40}-\u{16e7f}\u{16f00}-\u{16f4a}\u{16f50}\u{16f93}-\u{16f9f}\u{16fe0}-\u{16fe1}\u{16fe3}\u{17000}-\u{187f7}\u{18800}-\u{18cd5}\u{18d00}-\u{18d08}\u{1aff0}-\u{1aff3}\u{1aff5}-\u{1affb}\u{1affd}-\u{1affe}\u{1b000}-\u{1b122}\u{1b132}\u{1b150}-\u{1b152}\u{1b155}\u{1b164}-\u{1b167}\u{1b170}-\u{1b2fb}\u{1bc00}-\u{1bc6a}\u{1bc70}-\u{1bc7c}\u{1bc80}-\u{1bc88}\u{1bc90}-\u{1bc99}\u{1d400}-\u{1d454}\u{1d456}-\u{1d49c}\u{1d49e}-\u{1d49f}\u{1d4a2}\u{1d4a5}-\u{1d4a6}\u{1d4a9}-\u{1d4ac}\u{1d4ae}-\u{1d4b9}\u{1d4bb}\u{1d4bd}-\u{1d4c3}\u{1d4c5}-\u{1d505}\u{1d507}-\u{1d50a}\u{1d50d}-\u{1d514}\u{1d516}-\u{1d51c}\u{1d51e}-\u{1d539}\u{1d53b}-\u{1d53e}\u{1d540}-\u{1d544}\u{1d546}\u{1d54a}-\u{1d550}\u{1d552}-\u{1d6a5}\u{1d6a8}-\u{1d6c0}\u{1d6c2}-\u{1d6da}\u{1d6dc}-\u{1d6fa}\u{1d6fc}-\u{1d714}\u{1d716}-\u{1d734}\u{1d736}-\u{1d74e}\u{1d750}-\u{1d76e}\u{1d770}-\u{1d788}\u{1d78a}-\u{1d7a8}\u{1d7aa}-\u{1d7c2}\u{1d7c4}-\u{1d7cb}\u{1df00}-\u{1df1e}\u{1df25}-\u{1df2a}\u{1e030}-\u{1e06d}\u{1e100}-\u{1e12c}\u{1e137}-\u{1e13d}\u{1e14e}\u{1e290}-\u{1e2ad}\u{1e2c0}-\u{1e2eb}\u{1e4d0}-\u{1e4eb}\u{1e7e0}-\u{1e7e6}\u{1e7e8}-\u{1e7eb}\u{1e7ed}-\u{1e7ee}\u{1e7f0}-\u{1e7fe}\u{1e800}-\u{1e8c4}\u{1e900}-\u{1e943}\u{1e94b}\u{1ee00}-\u{1ee03}\u{1ee05}-\u{1ee1f}\u{1ee21}-\u{1ee22}\u{1ee24}\u{1ee27}\u{1ee29}-\u{1ee32}\u{1ee34}-\u{1ee37}\u{1ee39}\u{1ee3b}\u{1ee42}\u{1ee47}\u{1ee49}\u{1ee4b}\u{1ee4d}-\u{1ee4f}\u{1ee51}-\u{1ee52}\u{1ee54}\u{1ee57}\u{1ee59}\u{1ee5b}\u{1ee5d}\u{1ee5f}\u{1ee61}-\u{1ee62}\u{1ee64}\u{1ee67}-\u{1ee6a}\u{1ee6c}-\u{1ee72}\u{1ee74}-\u{1ee77}\u{1ee79}-\u{1ee7c}\u{1ee7e}\u{1ee80}-\u{1ee89}\u{1ee8b}-\u{1ee9b}\u{1eea1}-\u{1eea3}\u{1eea5}-\u{1eea9}\u{1eeab}-\u{1eebb}\u{20000}-\u{2a6df}\u{2a700}-\u{2b739}\u{2b740}-\u{2b81d}\u{2b820}-\u{2cea1}\u{2ceb0}-\u{2ebe0}\u{2f800}-\u{2fa1d}\u{30000}-\u{3134a}\u{31350}-\u{323af}])+(?:$)/u;
//! RE2 [[:digit:]]
var re3 = /[0-9]/u;
//! RE2 (?s)^a.b$
var re4 = /(?:^)a[\s\S]b(?:$)/u;
//! RE2 ^x.y$
var re5 = /(?:^)x[^\n]y(?:$)/u;
//! RE2 (?i)^k\x5cx{212a}s$
var re6 = /(?:^)(?:[Kk\u{212a}][Kk\u{212a}][Ss\u{17f}])(?:$)/u;
//! RE2 ^[^\x5cn]{0,3}$
var re7 = /(?:^)(?:[\u{0}-\u{9}\u{b}-\u{10ffff}]){0,3}(?:$)/u;
//! rule bad-agent (policy.yaml:4:5)
//!   event.request.user_agent.matches('(?i)(curl|wget|python-requests)/\x5c\x5cd+')
function rule0(event) {
  let fv;
  return matches_string((fv = event?.request?.user_agent, typeof fv === "string" ? fv : read_string(event, "request.user_agent")), re0);
}
//! rule internal-email (policy.yaml:8:5)
//!   matches(event.user.email, '^[a-z0-9._%+-]+\x40(corp|internal)\x5c\x5c.example\x5c\x5c.com$')
function rule1(event) {
  let fv;
  return matches_string((fv = event?.user?.email, typeof fv === "string" ? fv : read_string(event, "user.email")), re1);
}
//! rule letters (policy.yaml:11:5)
//!   event.user.name.matches('^[\x5c\x5cpL ]+$') && !event.user.name.matches('[[:digit:]]')
function rule2(event) {
  let m0, fv, left, right;
  try {
    left = matches_string(m0 ??= (fv = event?.user?.name, typeof fv === "string" ? fv : read_string(event, "user.name")), re2);
  } catch (e) {
    left = caught(e);
  }
  if (left === false) return false;
  try {
    right = !matches_string(m0 ??= (fv = event?.user?.name, typeof fv === "string" ? fv : read_string(event, "user.name")), re3);
  } catch (e) {
    right = caught(e);
  }
  return left === true && typeof right === "boolean" ? right : and_values(left, right);
}
//! rule dotall (policy.yaml:15:5)
//!   event.user.nickname.matches('(?s)^a.b$') || event.user.nickname.matches('^x.y$')
function rule3(event) {
  let m0, fv, left, right;
  try {
    left = matches_string(m0 ??= (fv = event?.user?.nickname, typeof fv === "string" ? fv : read_string(event, "user.nickname")), re4);
  } catch (e) {
    left = caught(e);
  }
  if (left === true) return true;
  try {
    right = matches_string(m0 ??= (fv = event?.user?.nickname, typeof fv === "string" ? fv : read_string(event, "user.nickname")), re5);
  } catch (e) {
    right = caught(e);
  }
  return left === false && typeof right === "boolean" ? right : or_values(left, right);
}
//! rule kelvin (policy.yaml:19:5)
//!   event.user.given_name.matches('(?i)^k\x5c\x5cx{212a}s$') && event.user.family_name.matches('^[^\x5c\x5cn]{0,3}$')
function rule4(event) {
  let fv, left, right;
  try {
    left = matches_string((fv = event?.user?.given_name, typeof fv === "string" ? fv : read_string(event, "user.given_name")), re6);
  } catch (e) {
    left = caught(e);
  }
  if (left === false) return false;
  try {
    right = matches_string((fv = event?.user?.family_name, typeof fv === "string" ? fv : read_string(event, "user.family_name")), re7);
  } catch (e) {
    right = caught(e);
  }
  return left === true && typeof right === "boolean" ? right : and_values(left, right);
}
var rules = [
  { id: "bad-agent", when: rule0, action: { outcome: "deny", factors: [], reason: "Automated clients are not allowed" } },
  { id: "internal-email", when: rule1, action: { outcome: "allow", factors: [], reason: "" } },
  { id: "letters", when: rule2, action: { outcome: "challenge", factors: ["otp"], reason: "" } },
  { id: "dotall", when: rule3, action: { outcome: "challenge", factors: ["phone"], reason: "" } },
  { id: "kelvin", when: rule4, action: { outcome: "enroll", factors: ["otp"], reason: "" } }
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
