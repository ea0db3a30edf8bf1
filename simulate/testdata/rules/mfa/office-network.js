// Guardian MFA outside the office network, whose CIDR is in the Rule's
// configuration; the address library is an npm module.
function officeNetwork(user, context, callback) {
  const ip = require('ipaddr.js@2.2.0');
  const office = ip.parseCIDR(configuration.OFFICE_CIDR);
  const addr = ip.parse(context.request.ip);
  if (addr.kind() !== office[0].kind() || !addr.match(office)) {
    context.multifactor = { provider: 'guardian', allowRememberBrowser: false };
  }
  callback(null, user, context);
}
