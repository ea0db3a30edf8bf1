// Buffer for simulation: the part of Node's Buffer that Actions use to
// encode and decode strings (utf8, hex, base64, base64url, latin1), backed
// by Go. Not a complete Buffer.
'use strict';
const host = globalThis.__mfapolicyHost;

function bytesOf(u8) {
  return u8.buffer.slice(u8.byteOffset, u8.byteOffset + u8.byteLength);
}

class Buffer extends Uint8Array {
  static from(value, encodingOrOffset, length) {
    if (typeof value === 'string') {
      return new Buffer(host.decode(value, encodingOrOffset || 'utf8'));
    }
    if (value instanceof ArrayBuffer) {
      const off = encodingOrOffset || 0;
      return new Buffer(value.slice(off, length === undefined ? undefined : off + length));
    }
    if (ArrayBuffer.isView(value)) {
      return new Buffer(bytesOf(new Uint8Array(value.buffer, value.byteOffset, value.byteLength)));
    }
    if (Array.isArray(value)) {
      const b = new Buffer(value.length);
      for (let i = 0; i < value.length; i++) b[i] = value[i] & 255;
      return b;
    }
    if (value && value.type === 'Buffer' && Array.isArray(value.data)) {
      return Buffer.from(value.data);
    }
    throw new TypeError('The first argument must be a string, Buffer, ArrayBuffer or Array');
  }
  static alloc(size, fill) {
    const b = new Buffer(size);
    if (fill !== undefined) b.fill(typeof fill === 'number' ? fill : Buffer.from(String(fill))[0] || 0);
    return b;
  }
  static isBuffer(v) { return v instanceof Buffer; }
  static byteLength(s, encoding) {
    return typeof s === 'string' ? Buffer.from(s, encoding).length : s.byteLength;
  }
  static concat(list, total) {
    if (total === undefined) total = list.reduce((n, b) => n + b.length, 0);
    const out = Buffer.alloc(total);
    let off = 0;
    for (const b of list) {
      out.set(b.subarray(0, Math.max(0, Math.min(b.length, total - off))), off);
      off += b.length;
      if (off >= total) break;
    }
    return out;
  }
  static isEncoding(e) {
    return ['utf8', 'utf-8', 'hex', 'base64', 'base64url', 'latin1', 'binary', 'ascii'].includes(String(e).toLowerCase());
  }
  toString(encoding, start, end) {
    const view = this.subarray(start || 0, end === undefined ? this.length : end);
    return host.encode(bytesOf(view), encoding || 'utf8');
  }
  toJSON() { return { type: 'Buffer', data: Array.from(this) }; }
  equals(other) {
    if (other.length !== this.length) return false;
    for (let i = 0; i < this.length; i++) if (this[i] !== other[i]) return false;
    return true;
  }
  write() { throw new Error('Buffer#write is not supported in simulation'); }
}

module.exports = { Buffer, bytesOf };
