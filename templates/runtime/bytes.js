// Bytes: literals, bytes(string) and string(bytes) through UTF-8 as Go
// converts them, +, size and the ordering of Go's bytes.Compare. One
// function per cel-go overload id.
import { CelError, CelBytes } from "./core.js";

/** bytes_of makes a bytes literal from its bytes in hexadecimal. */
export function bytes_of(hex) {
  const b = new Uint8Array(hex.length / 2);
  for (let i = 0; i < b.length; i++) b[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return new CelBytes(b);
}

/** string_to_bytes is the string's UTF-8 encoding. */
export function string_to_bytes(s) {
  const out = [];
  for (const ch of s) {
    let c = ch.codePointAt(0);
    if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd; // a lone surrogate, as Go encodes an invalid rune
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return new CelBytes(Uint8Array.from(out));
}

// decodeUTF8 decodes valid UTF-8 as Go's utf8.Valid defines it (no
// overlong forms, no surrogates, nothing above U+10FFFF), or returns null.
function decodeUTF8(b) {
  let s = "";
  for (let i = 0; i < b.length;) {
    const c = b[i];
    let n, cp, min;
    if (c < 0x80) { s += String.fromCharCode(c); i++; continue; }
    if (c >= 0xc2 && c <= 0xdf) { n = 1; cp = c & 0x1f; min = 0x80; }
    else if (c >= 0xe0 && c <= 0xef) { n = 2; cp = c & 0x0f; min = 0x800; }
    else if (c >= 0xf0 && c <= 0xf4) { n = 3; cp = c & 0x07; min = 0x10000; }
    else return null;
    if (i + n >= b.length) return null;
    for (let j = 1; j <= n; j++) {
      const d = b[i + j];
      if (d === undefined || (d & 0xc0) !== 0x80) return null;
      cp = (cp << 6) | (d & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return null;
    s += String.fromCodePoint(cp);
    i += n + 1;
  }
  return s;
}

export function bytes_to_string(b) {
  const s = decodeUTF8(b.b);
  if (s === null) throw new CelError("invalid UTF-8 in bytes, cannot convert to string");
  return s;
}

export function bytes_to_bytes(b) { return b; }

export function add_bytes(a, b) {
  const out = new Uint8Array(a.b.length + b.b.length);
  out.set(a.b, 0);
  out.set(b.b, a.b.length);
  return new CelBytes(out);
}

export function size_bytes(b) { return BigInt(b.b.length); }
export const bytes_size = size_bytes;

/** cmpBytes orders bytes as Go's bytes.Compare does. */
export function cmpBytes(a, b) {
  const n = Math.min(a.b.length, b.b.length);
  for (let i = 0; i < n; i++) {
    if (a.b[i] !== b.b[i]) return a.b[i] < b.b[i] ? -1 : 1;
  }
  return a.b.length < b.b.length ? -1 : a.b.length > b.b.length ? 1 : 0;
}

export function less_bytes(a, b) { return cmpBytes(a, b) < 0; }
export function less_equals_bytes(a, b) { return cmpBytes(a, b) <= 0; }
export function greater_bytes(a, b) { return cmpBytes(a, b) > 0; }
export function greater_equals_bytes(a, b) { return cmpBytes(a, b) >= 0; }
