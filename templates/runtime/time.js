// Timestamps and durations with cel-go's semantics: nanosecond precision
// over CEL's range (years 1 to 9999), checked arithmetic, the getters in
// UTC or a fixed offset, and the conversions to and from strings and ints.
// A timestamp keeps the offset it was parsed with, as Go's time.Time keeps
// its location: string() writes it. The
// compiler accepts only fixed offsets and UTC as zones (docs/cel-support.md),
// so no zone rules are needed here.
import { CelError, CelTimestamp, CelDuration, INT_MIN, INT_MAX } from "./core.js";

const NS = 1000000000n;
// The seconds of 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z.
const MIN_SEC = -62135596800n;
const MAX_SEC = 253402300799n;

function floorDiv(a, b) {
  const q = a / b;
  return (a % b !== 0n && (a < 0n) !== (b < 0n)) ? q - 1n : q;
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

// clock is `now` for the decision being made: the Action's clock read once
// per decision (reset_clock), so that every rule sees the same instant.
let clock = null;

/** now is the time of the login: the Action's clock, in UTC. */
export function now() {
  if (clock === null) clock = new CelTimestamp(BigInt(Date.now()) * 1000000n, 0);
  return clock;
}

/** reset_clock makes the next now() read the clock again. */
export function reset_clock() {
  clock = null;
}

// Arithmetic, one function per cel-go overload id.

export function add_timestamp_duration(t, d) { return timestampOf(t.ns + d.ns, t.off); }
export function add_duration_timestamp(d, t) { return timestampOf(t.ns + d.ns, t.off); }
export function add_duration_duration(a, b) { return new CelDuration(int64(a.ns + b.ns)); }
export function subtract_duration_duration(a, b) { return new CelDuration(int64(a.ns - b.ns)); }

export function subtract_timestamp_duration(t, d) {
  return timestampOf(t.ns + int64(-d.ns), t.off);
}

// subtract_timestamp_timestamp scales the difference of the seconds before
// adding that of the nanoseconds, each step checked, as cel-go does.
export function subtract_timestamp_timestamp(a, b) {
  const sa = floorDiv(a.ns, NS);
  const sb = floorDiv(b.ns, NS);
  const scaled = int64((sa - sb) * NS);
  return new CelDuration(int64(scaled + (a.ns - sa * NS) - (b.ns - sb * NS)));
}

export function negate_duration(d) { return new CelDuration(int64(-d.ns)); }

// Ordering and equality compare instants (the offset is not compared).

export function cmpTime(a, b) {
  return a.ns < b.ns ? -1 : a.ns > b.ns ? 1 : 0;
}
export function less_timestamp(a, b) { return a.ns < b.ns; }
export function less_equals_timestamp(a, b) { return a.ns <= b.ns; }
export function greater_timestamp(a, b) { return a.ns > b.ns; }
export function greater_equals_timestamp(a, b) { return a.ns >= b.ns; }
export function less_duration(a, b) { return a.ns < b.ns; }
export function less_equals_duration(a, b) { return a.ns <= b.ns; }
export function greater_duration(a, b) { return a.ns > b.ns; }
export function greater_equals_duration(a, b) { return a.ns >= b.ns; }

// Calendar arithmetic on the proleptic Gregorian calendar, in days since
// 1970-01-01, with eras of 400 years (146097 days).

function daysFromCivil(y, m, d) {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function civilFromDays(days) {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { y: era * 400 + yoe + (m <= 2 ? 1 : 0), m, d };
}

// fields breaks a timestamp into its calendar fields at an offset.
function fields(t, off) {
  const sec = floorDiv(t.ns, NS);
  const nanos = Number(t.ns - sec * NS);
  const local = Number(sec) + off;
  const days = Math.floor(local / 86400);
  const tod = local - days * 86400;
  const c = civilFromDays(days);
  return {
    y: c.y, m: c.m, d: c.d, days,
    h: Math.floor(tod / 3600), min: Math.floor(tod / 60) % 60, s: tod % 60, nanos,
  };
}

function isLeap(y) {
  return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
}

const monthDays = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysIn(m, y) {
  return m === 2 && isLeap(y) ? 29 : monthDays[m - 1];
}

// The getters: without a zone in UTC, with one in the offset the compiler
// resolved from the zone literal (seconds east of UTC).

function get_year(f) { return BigInt(f.y); }
export function timestamp_to_year(t) { return get_year(fields(t, 0)); }
export function timestamp_to_year_with_tz(t, off) { return get_year(fields(t, off)); }
function get_month(f) { return BigInt(f.m - 1); }
export function timestamp_to_month(t) { return get_month(fields(t, 0)); }
export function timestamp_to_month_with_tz(t, off) { return get_month(fields(t, off)); }
function get_day_of_year(f) { return BigInt(f.days - daysFromCivil(f.y, 1, 1)); }
export function timestamp_to_day_of_year(t) { return get_day_of_year(fields(t, 0)); }
export function timestamp_to_day_of_year_with_tz(t, off) { return get_day_of_year(fields(t, off)); }
function get_day_of_month(f) { return BigInt(f.d - 1); }
export function timestamp_to_day_of_month(t) { return get_day_of_month(fields(t, 0)); }
export function timestamp_to_day_of_month_with_tz(t, off) { return get_day_of_month(fields(t, off)); }
function get_day_of_month_1_based(f) { return BigInt(f.d); }
export function timestamp_to_day_of_month_1_based(t) { return get_day_of_month_1_based(fields(t, 0)); }
export function timestamp_to_day_of_month_1_based_with_tz(t, off) { return get_day_of_month_1_based(fields(t, off)); }
function get_day_of_week(f) { return BigInt(((f.days % 7) + 11) % 7); }
export function timestamp_to_day_of_week(t) { return get_day_of_week(fields(t, 0)); }
export function timestamp_to_day_of_week_with_tz(t, off) { return get_day_of_week(fields(t, off)); }
function get_hours(f) { return BigInt(f.h); }
export function timestamp_to_hours(t) { return get_hours(fields(t, 0)); }
export function timestamp_to_hours_with_tz(t, off) { return get_hours(fields(t, off)); }
function get_minutes(f) { return BigInt(f.min); }
export function timestamp_to_minutes(t) { return get_minutes(fields(t, 0)); }
export function timestamp_to_minutes_with_tz(t, off) { return get_minutes(fields(t, off)); }
function get_seconds(f) { return BigInt(f.s); }
export function timestamp_to_seconds(t) { return get_seconds(fields(t, 0)); }
export function timestamp_to_seconds_tz(t, off) { return get_seconds(fields(t, off)); }
function get_milliseconds(f) { return BigInt(Math.floor(f.nanos / 1e6)); }
export function timestamp_to_milliseconds(t) { return get_milliseconds(fields(t, 0)); }
export function timestamp_to_milliseconds_with_tz(t, off) { return get_milliseconds(fields(t, off)); }

// The duration getters: Go's Duration.Hours(), Minutes() and Seconds() are
// floating-point (whole units plus the remainder's fraction), truncated by
// int(); Milliseconds() is integer division.

function floatUnits(d, unit) {
  const whole = d.ns / unit;
  return Number(whole) + Number(d.ns - whole * unit) / Number(unit);
}

export function duration_to_hours(d) { return BigInt(Math.trunc(floatUnits(d, 3600n * NS))); }
export function duration_to_minutes(d) { return BigInt(Math.trunc(floatUnits(d, 60n * NS))); }
export function duration_to_seconds(d) { return BigInt(Math.trunc(floatUnits(d, NS))); }
export function duration_to_milliseconds(d) { return d.ns / 1000000n; }

// Conversions.

function convErr(from, to) {
  return new CelError("type conversion error from '" + from + "' to '" + to + "'");
}

export function int64_to_timestamp(i) {
  if (i < MIN_SEC || i > MAX_SEC) throw new CelError("timestamp overflow");
  return new CelTimestamp(i * NS, 0);
}

export function timestamp_to_int64(t) { return floorDiv(t.ns, NS); }
export function duration_to_int64(d) { return d.ns; }

function digits(s, from, to, lo, hi) {
  let v = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v >= lo && v <= hi ? v : -1;
}

// rfc3339 parses what cel-go's timestamp(string) accepts: strict RFC 3339
// (upper- or lower-case T and Z, a leap second's :60 in the grammar) that
// Go's time.Parse(time.RFC3339) then accepts (upper-case T and Z, seconds
// up to 59, a day that exists); null for anything else.
function rfc3339(s) {
  if (s.length < 20) return null;
  const y = digits(s, 0, 4, 0, 9999), mo = digits(s, 5, 7, 1, 12), d = digits(s, 8, 10, 1, 31);
  const h = digits(s, 11, 13, 0, 23), mi = digits(s, 14, 16, 0, 59), se = digits(s, 17, 19, 0, 59);
  if (y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || se < 0) return null;
  if (s[4] !== "-" || s[7] !== "-" || s[10] !== "T" || s[13] !== ":" || s[16] !== ":") return null;
  if (d > daysIn(mo, y)) return null;
  let i = 19;
  let nanos = 0;
  if (s[i] === ".") {
    let n = 0;
    let frac = "";
    for (i++; i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57; i++, n++) {
      if (n < 9) frac += s[i];
    }
    if (n === 0) return null;
    nanos = Number(frac.padEnd(9, "0"));
  }
  let off = 0;
  const zone = s.slice(i);
  if (zone !== "Z") {
    if (zone.length !== 6 || (zone[0] !== "+" && zone[0] !== "-") || zone[3] !== ":") return null;
    const oh = digits(zone, 1, 3, 0, 23), om = digits(zone, 4, 6, 0, 59);
    if (oh < 0 || om < 0) return null;
    off = (oh * 60 + om) * 60 * (zone[0] === "-" ? -1 : 1);
  }
  const sec = BigInt(daysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se - off);
  return { sec, nanos, off };
}

export function string_to_timestamp(s) {
  const p = rfc3339(s);
  if (p === null) throw convErr("string", "google.protobuf.Timestamp");
  if (p.sec < MIN_SEC || p.sec > MAX_SEC) throw new CelError("timestamp overflow");
  return new CelTimestamp(p.sec * NS + BigInt(p.nanos), p.off);
}

function pad(n, w) {
  return String(n).padStart(w, "0");
}

// timestamp_to_string formats as Go's time.RFC3339Nano in the timestamp's
// offset: the fraction without trailing zeros, Z for a zero offset.
export function timestamp_to_string(t) {
  const f = fields(t, t.off);
  const y = f.y < 0 ? "-" + pad(-f.y, 4) : pad(f.y, 4);
  let s = y + "-" + pad(f.m, 2) + "-" + pad(f.d, 2) + "T" + pad(f.h, 2) + ":" + pad(f.min, 2) + ":" + pad(f.s, 2);
  if (f.nanos !== 0) s += "." + pad(f.nanos, 9).replace(/0+$/, "");
  if (t.off === 0) return s + "Z";
  const m = Math.trunc(Math.abs(t.off) / 60);
  return s + (t.off < 0 ? "-" : "+") + pad(Math.floor(m / 60), 2) + ":" + pad(m % 60, 2);
}

// fixed writes a double in decimal without an exponent and with the
// shortest digits that read back as it, as Go's
// strconv.FormatFloat(x, 'f', -1, 64) does.
function fixed(x) {
  const s = String(x);
  const e = s.indexOf("e");
  if (e < 0) return s;
  const neg = s[0] === "-";
  const mant = s.slice(neg ? 1 : 0, e).replace(".", "");
  const point = (s.indexOf(".") < 0 ? e - (neg ? 1 : 0) : s.indexOf(".") - (neg ? 1 : 0)) + Number(s.slice(e + 1));
  let out;
  if (point <= 0) out = "0." + "0".repeat(-point) + mant;
  else if (point >= mant.length) out = mant + "0".repeat(point - mant.length);
  else out = mant.slice(0, point) + "." + mant.slice(point);
  return (neg ? "-" : "") + out;
}

/** duration_to_string is Go's FormatFloat(d.Seconds(), 'f', -1, 64) + "s", as cel-go writes it. */
export function duration_to_string(d) {
  return fixed(floatUnits(d, NS)) + "s";
}

const units = { ns: 1n, us: 1000n, "\u00b5s": 1000n, "\u03bcs": 1000n, ms: 1000000n, s: NS, m: 60n * NS, h: 3600n * NS };
const TWO63 = 1n << 63n;

function isDigit(c) {
  return c >= "0" && c <= "9";
}

// parseDuration accepts what Go's time.ParseDuration accepts, with its
// overflow rules: a sign, then one or more decimal numbers, each with an
// optional fraction and a unit (ns, us, µs, μs, ms, s, m, h); "0" alone.
// It returns null on any error.
function parseDuration(s) {
  let i = 0;
  let neg = false;
  if (s[0] === "-" || s[0] === "+") {
    neg = s[0] === "-";
    i = 1;
  }
  if (s.slice(i) === "0") return 0n;
  if (i === s.length) return null;
  let total = 0n;
  while (i < s.length) {
    if (!(s[i] === "." || isDigit(s[i]))) return null;
    let v = 0n;
    const start = i;
    for (; i < s.length && isDigit(s[i]); i++) {
      if (v > TWO63 / 10n) return null;
      v = v * 10n + BigInt(s.charCodeAt(i) - 48);
      if (v > TWO63) return null;
    }
    const pre = i > start;
    let f = 0n;
    let scale = 1;
    let post = false;
    if (s[i] === ".") {
      i++;
      const fs = i;
      let over = false;
      for (; i < s.length && isDigit(s[i]); i++) {
        if (over) continue;
        if (f > (TWO63 - 1n) / 10n) { over = true; continue; }
        const y = f * 10n + BigInt(s.charCodeAt(i) - 48);
        if (y > TWO63) { over = true; continue; }
        f = y;
        scale *= 10;
      }
      post = i > fs;
    }
    if (!pre && !post) return null;
    let j = i;
    while (j < s.length && s[j] !== "." && !isDigit(s[j])) j++;
    if (j === i) return null;
    const unit = units[s.slice(i, j)];
    if (unit === undefined || !Object.hasOwn(units, s.slice(i, j))) return null;
    i = j;
    if (v > TWO63 / unit) return null;
    v *= unit;
    if (f > 0n) {
      v += BigInt(Math.trunc(Number(f) * (Number(unit) / scale)));
      if (v > TWO63) return null;
    }
    total += v;
    if (total > TWO63) return null;
  }
  if (neg) return -total;
  if (total > TWO63 - 1n) return null;
  return total;
}

export function string_to_duration(s) {
  const ns = parseDuration(s);
  if (ns === null) throw convErr("string", "google.protobuf.Duration");
  return new CelDuration(ns);
}

export function timestamp_to_timestamp(t) { return t; }
export function duration_to_duration(d) { return d; }
