// Trusted office networks (IPv4 CIDR) and home countries.
const OFFICE = ['203.0.113.0/24', '198.51.100.0/25'];

function toInt(ip) {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !(p >= 0 && p <= 255))) {
    throw new Error(`not an IPv4 address: ${ip}`);
  }
  return parts.reduce((n, p) => n * 256 + p, 0);
}

function inRange(ip, cidr) {
  const [base, bits] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  const start = Math.floor(toInt(base) / size) * size;
  const n = toInt(ip);
  return n >= start && n < start + size;
}

exports.isTrustedNetwork = (ip) => OFFICE.some((c) => inRange(ip, c));
exports.HOME_COUNTRIES = new Set(['US', 'CA']);
