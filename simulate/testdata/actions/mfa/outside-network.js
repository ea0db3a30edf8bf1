// MFA outside the corporate network, whose CIDR is a secret; the address
// library is an npm dependency.
const ipaddr = require('ipaddr.js');
exports.onExecutePostLogin = async (event, api) => {
  const range = ipaddr.parseCIDR(event.secrets.CORP_NETWORK);
  const addr = ipaddr.parse(event.request.ip);
  if (addr.kind() !== range[0].kind() || !addr.match(range)) {
    api.multifactor.enable('any', { allowRememberBrowser: false });
  }
};
