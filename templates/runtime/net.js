// IP addresses and CIDR ranges, after cel-go's ext.Network(). Parsing
// accepts exactly what Go's net/netip ParseAddr and ParsePrefix accept, minus
// what cel-go also rejects (zones and IPv4-mapped IPv6 addresses), and
// string forms are netip's String().
import { CelError, CelIP, CelCIDR } from "./core.js";

// v4Fields parses s[off:end] as dotted IPv4 into out[at..at+4); false if invalid.
function v4Fields(s, off, end, out, at) {
  let val = 0, pos = 0, digits = 0;
  for (let i = off; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) { // a digit
      if (digits === 1 && val === 0) return false; // leading zero
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

// V6_TEXT is what an IPv6 address without a zone is written with: hex
// digits, colons, and the dots of an embedded IPv4 address, with no run
// of more than four hex digits (no group has more, and no field of an
// IPv4 address more than three). A zone ("%") is rejected, as cel-go
// does. Testing the runs here saves reading each group's length.
const V6_TEXT = /^[:.]*(?:[0-9A-Fa-f]{1,4}[:.]+)*[0-9A-Fa-f]{0,4}$/;

// parseV6 parses s, which has a colon, as netip's parseIPv6 does: its 16
// bytes, or null when Go (or cel-go) rejects it. The text is split at its
// colons once and each part read with one parseInt call: an interpreter
// pays for every operation, and a string method call per character costs
// several times what the split does.
//
// What Go accepts: groups of one to four hex digits separated by single
// colons, with at most one ellipsis standing for one or more zero groups
// (at the start, between groups or at the end), and optionally an IPv4
// address as the last group, in the place of the last two groups; eight
// groups in all without an ellipsis, fewer with one. Split at the colons,
// an ellipsis between groups is one empty part, and one at the start or
// at the end of the text two; any other empty part is a stray colon.
function parseV6(s) {
  if (!V6_TEXT.test(s)) return null;
  const gs = s.split(":");
  let end = gs.length; // the groups are gs[j..end)
  let v4 = 0; // bytes of an embedded IPv4 address, the last part
  const dot = s.indexOf(".");
  if (dot >= 0) {
    // An embedded IPv4 address follows the last colon and holds every dot.
    if (dot < s.lastIndexOf(":")) return null;
    v4 = 4;
    end--;
  } else if (gs[end - 1] === "") {
    if (gs[end - 2] !== "") return null; // a colon at the end
    end--;
  }
  let j = 0;
  if (gs[0] === "") {
    if (gs[1] !== "") return null; // a colon at the start
    j = 1;
  }
  // Each group takes two bytes; an ellipsis, counted as a group here,
  // stands for at least one: more than 16 bytes cannot fit either way.
  if (2 * (end - j) + v4 > 16) return null;
  const ip = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
  let at = 0, ellipsis = false;
  for (; j < end; j++) {
    const g = gs[j];
    if (g === "") {
      // The ellipsis: the groups after it go last.
      if (ellipsis) return null;
      ellipsis = true;
      at = 16 - v4 - 2 * (end - j - 1);
    } else {
      // V6_TEXT matched and the dots are all in the IPv4 part, so g is
      // one to four hex digits, and parseInt reads all of them.
      const v = parseInt(g, 16);
      ip[at] = v >> 8;
      ip[at + 1] = v & 0xff;
      at += 2;
    }
  }
  if (at !== 16 - v4) return null; // eight groups without an ellipsis
  if (v4 > 0 && !v4Fields(s, s.length - gs[gs.length - 1].length, s.length, ip, 12)) return null;
  return ip;
}

// is4in6 reports whether b is an IPv4-mapped IPv6 address (::ffff:a.b.c.d).
// Bytes 10 and 11 are tested first: they rule out nearly every address
// without the loop.
function is4in6(b) {
  if (b.length !== 16 || b[10] !== 0xff || b[11] !== 0xff) return false;
  for (let i = 0; i < 10; i++) if (b[i] !== 0) return false;
  return true;
}

// DOTTED_QUAD matches the dotted quads netip.ParseAddr accepts, but for
// the value of each field (at most 255): four decimal fields without
// leading zeros.
const DOTTED_QUAD = /^(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})$/;

// addr parses s as netip.ParseAddr does; null when Go or cel-go reject it.
// A dotted quad, the common case, is one regular expression match: a
// string method call per character costs an interpreter a wrapper object
// each. Anything else, including a quad with a field above 255, is for
// parseV6 or v4Fields to decide.
function addr(s) {
  const m = DOTTED_QUAD.exec(s);
  if (m !== null) {
    const out = [+m[1], +m[2], +m[3], +m[4]];
    if (out[0] <= 255 && out[1] <= 255 && out[2] <= 255 && out[3] <= 255) return out;
  }
  // Go parses IPv6 when a colon comes before any dot (parseV6 rejects a
  // dot before a colon, and a zone), IPv4 otherwise.
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

// Parses are memoised per string: the policy's constant ranges come back
// on every event, and a login's IP in every rule that reads it. Cached
// values are shared, so no helper may change them (masked() and
// cidr_masked() copy). A full cache starts over, which keeps it small:
// addresses are mostly the events' own, so their cache is the smaller.
// A cache is an object without a prototype, so that any string, even
// "__proto__", is an ordinary key, and a lookup is a property read rather
// than a Map method call (several times faster in interpreters).
function newCache(max) {
  return { map: Object.create(null), n: 0, max };
}

const ips = /* @__PURE__ */ newCache(256); // string → CelIP, or null when not an address
const cidrs = /* @__PURE__ */ newCache(1024); // string → CelCIDR, or null when not a prefix

// The address parsed last, and its parse: a login's IP is parsed once and
// then looked up again by each range of a list it is tested against, and
// comparing it with the last one is cheaper than a cache lookup.
let lastIPText = null;
let lastIP = null;

// ipOf is the address s, from the cache, parsing it when the cache does
// not have it; null when s is not an address. The helpers a list of ranges
// calls for each range compare s with lastIPText themselves first, which
// saves them this call.
function ipOf(s) {
  const ip = ips.map[s];
  return ip === undefined ? store(ips, s, parseIP) : ip;
}

// lastIPOf is ipOf for the login's own address, which logins rarely share:
// it parses s without storing it in the cache (a store costs about a third
// of an IPv4 parse in an interpreter, and a full cache starting over more),
// and only remembers it as the address parsed last. A parse is a function
// of the text alone, so this gives what the cache would.
function lastIPOf(s) {
  lastIPText = s;
  lastIP = parseIP(s);
  return lastIP;
}

function parseIP(s) {
  const b = addr(s);
  return b === null ? null : new CelIP(b);
}

// A lookup reads the cache's map itself and calls store only when the
// string is not there: a function call is dear in an interpreter.
function store(c, s, parse) {
  if (c.n >= c.max) {
    c.map = Object.create(null);
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

export function string_to_ip(s) {
  const ip = s === lastIPText ? lastIP : ipOf(s);
  if (ip === null) throw badIP(s);
  return ip;
}

export function string_to_cidr(s) {
  let c = cidrs.map[s];
  if (c === undefined) c = store(cidrs, s, prefix);
  if (c === null) throw new CelError("CIDR '" + s + "' parse error during conversion from string");
  return c;
}

export function is_ip(s) {
  return (s === lastIPText ? lastIP : ipOf(s)) !== null;
}

export function is_cidr(s) {
  const c = cidrs.map[s];
  return (c === undefined ? store(cidrs, s, prefix) : c) !== null;
}

export function ip_is_canonical(s) {
  return ip_to_string(string_to_ip(s)) === s;
}

export function ip_to_string(ip) {
  const b = ip.b;
  if (b.length === 4) return b.join(".");
  const g = [];
  for (let i = 0; i < 16; i += 2) g.push((b[i] << 8) | b[i + 1]);
  let zs = -1, ze = -1;
  for (let i = 0; i < 8; i++) {
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i >= 2 && j - i > ze - zs) { zs = i; ze = j; }
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

export function cidr_to_string(c) { return ip_to_string(c.ip) + "/" + c.bits; }
export function ip_family(ip) { return ip.b.length === 4 ? 4n : 6n; }

function zero(b) { return b.every((x) => x === 0); }

export function ip_is_unspecified(ip) { return zero(ip.b); }

export function ip_is_loopback(ip) {
  const b = ip.b;
  if (b.length === 4) return b[0] === 127;
  return zero(b.slice(0, 15)) && b[15] === 1;
}

function isMulticast(b) { return b.length === 4 ? (b[0] & 0xf0) === 0xe0 : b[0] === 0xff; }

export function ip_is_link_local_multicast(ip) {
  const b = ip.b;
  if (b.length === 4) return b[0] === 224 && b[1] === 0 && b[2] === 0;
  return b[0] === 0xff && (b[1] & 0x0f) === 0x02;
}

export function ip_is_link_local_unicast(ip) {
  const b = ip.b;
  if (b.length === 4) return b[0] === 169 && b[1] === 254;
  return b[0] === 0xfe && (b[1] & 0xc0) === 0x80;
}

export function ip_is_global_unicast(ip) {
  const b = ip.b;
  if (b.length === 4 && b.every((x) => x === 255)) return false;
  return !zero(b) && !ip_is_loopback(ip) && !isMulticast(b) && !ip_is_link_local_unicast(ip);
}

function masked(b, bits) {
  const out = b.slice();
  for (let i = 0; i < out.length; i++) {
    const keep = Math.max(0, Math.min(8, bits - i * 8));
    out[i] &= (0xff << (8 - keep)) & 0xff;
  }
  return out;
}

function sameBytes(x, y) {
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

// samePrefix reports whether x and y, of one length, agree in their first
// bits bits (at most all of them): masked(x, bits) equals masked(y, bits),
// without the copies.
function samePrefix(x, y, bits) {
  let i = 0;
  for (; bits >= 8; i++, bits -= 8) if (x[i] !== y[i]) return false;
  return bits === 0 || ((x[i] ^ y[i]) & (0xff << (8 - bits)) & 0xff) === 0;
}

export function cidr_contains_ip_ip(c, ip) {
  const x = c.ip.b, y = ip.b;
  return x.length === y.length && samePrefix(x, y, c.bits);
}

// cidr_contains_ip_string is cidr_contains_ip_ip on the address s, with
// samePrefix written out: a list of ranges calls it once per range.
export function cidr_contains_ip_string(c, s) {
  const ip = s === lastIPText ? lastIP : ipOf(s);
  if (ip === null) throw badIP(s);
  const x = c.ip.b, y = ip.b;
  if (x.length !== y.length) return false;
  let i = 0, bits = c.bits;
  for (; bits >= 8; i++, bits -= 8) if (x[i] !== y[i]) return false;
  return bits === 0 || ((x[i] ^ y[i]) & (0xff << (8 - bits)) & 0xff) === 0;
}

// cidr_list parses a constant list of ranges once, for cidr_exists: the
// ranges by family, or null when one of them is not a range (the
// quantifier then decides every login, and makes its error). An IPv4
// range is two 32-bit integers, its address masked and its mask, so that
// testing an address against it is one expression; IPv6 ranges stay
// CelCIDRs, tested byte by byte.
export function cidr_list(items) {
  const v4 = [], v6 = [];
  for (let i = 0; i < items.length; i++) {
    const s = items[i];
    if (typeof s !== "string") return null;
    let c = cidrs.map[s];
    if (c === undefined) c = store(cidrs, s, prefix);
    if (c === null) return null;
    const b = c.ip.b;
    if (b.length === 4) {
      const mask = c.bits === 0 ? 0 : -1 << (32 - c.bits);
      v4.push(v4Word(b) & mask, mask);
    } else {
      v6.push(c);
    }
  }
  return { v4, v6 };
}

// v4Word is the IPv4 address b as a 32-bit integer (negative from
// 128.0.0.0 on, which the masks of cidr_list match).
function v4Word(b) {
  return (b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3];
}

// cidr_exists decides lists.R.exists(r, isIP(s) && cidr(r).containsIP(s))
// (the isIP guard on either side, or none) for an address s from the
// ranges cs of cidr_list: true when one contains s, false when none does.
// It is undefined, for the quantifier to decide as written, when s is not
// an address (the quantifier's own false, or its error, follows) or cs is
// null. The compiler puts it before such a quantifier over a constant
// list (policy.AddressRanges: the evaluator decides it the same way), for
// an address read from the login, which lastIPOf parses. Only the ranges
// of the address's family can contain it.
export function cidr_exists(cs, s) {
  if (cs === null) return undefined;
  const ip = s === lastIPText ? lastIP : lastIPOf(s);
  if (ip === null) return undefined;
  const y = ip.b;
  if (y.length === 4) {
    // v4Word(y), written out: a call is dear in an interpreter.
    const r4 = cs.v4;
    if (r4.length === 0) return false;
    const a = (y[0] << 24) | (y[1] << 16) | (y[2] << 8) | y[3];
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
    if (bits === 0 || (bits < 8 && ((x[i] ^ y[i]) & (0xff << (8 - bits)) & 0xff) === 0)) return true;
  }
  return false;
}

// cidr_contains_cidr is netip's Overlaps plus "the parent is no narrower".
export function cidr_contains_cidr(p, o) {
  if (p.ip.b.length !== o.ip.b.length || p.bits > o.bits) return false;
  return samePrefix(p.ip.b, o.ip.b, p.bits);
}

export function cidr_contains_cidr_string(p, s) { return cidr_contains_cidr(p, string_to_cidr(s)); }
export function cidr_ip(c) { return c.ip; }
export function cidr_masked(c) { return new CelCIDR(new CelIP(masked(c.ip.b, c.bits)), c.bits); }
export function cidr_prefix_length(c) { return BigInt(c.bits); }
export function cidr_is_mask(c) { return sameBytes(c.ip.b, masked(c.ip.b, c.bits)); }
