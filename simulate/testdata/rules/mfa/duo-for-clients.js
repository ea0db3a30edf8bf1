// Duo for the clients listed in the configuration, with the Duo keys from
// it too; the country the login came from is noted in the ID token.
function (user, context, callback) {
  const clients = (configuration.DUO_CLIENTS || '').split(',');
  if (clients.indexOf(context.clientID) !== -1) {
    context.multifactor = {
      provider: 'duo',
      ikey: configuration.DUO_IKEY,
      skey: configuration.DUO_SKEY,
      host: configuration.DUO_HOST,
    };
  }
  const geo = context.request.geoip || {};
  context.idToken['https://example.com/country'] = geo.country_code + '/' + geo.country_code3 + '/' + geo.time_zone;
  callback(null, user, context);
}
