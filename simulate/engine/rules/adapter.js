// Runs a legacy Auth0 Rule, function (user, context, callback), as a
// post-login Action: user and context are built from the post-login event
// as the Rules runtime built them, and what the Rule leaves in context or
// passes to callback becomes the api call the Rules-to-Actions migration
// guide names for it:
//   context.multifactor = {provider, allowRememberBrowser}
//       -> api.multifactor.enable(provider, {allowRememberBrowser})
//   callback(new UnauthorizedError(msg)) -> api.access.deny(msg)
//   context.idToken[claim] / context.accessToken[claim]
//       -> api.idToken / api.accessToken.setCustomClaim(claim, value)
//   context.redirect = {url} -> api.redirect.sendUserTo(url)
//   auth0.users.updateAppMetadata / updateUserMetadata
//       -> api.user.setAppMetadata / setUserMetadata per key
// Sources: https://auth0.com/docs/customize/rules/context-object,
// https://auth0.com/docs/customize/rules/user-object-in-rules,
// https://auth0.com/docs/customize/actions/migrate/migrate-from-rules-to-actions
'use strict';

const host = globalThis.__mfapolicyHost;
const { deriveMultifactor } = require('../shims/user.js');

class UnauthorizedError extends Error {
  constructor(message) {
    super(message);
    this.name = 'UnauthorizedError';
  }
}

const clone = (v) => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));
const obj = (v) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? v : {});

// The shapes MFA guides use that were never Auth0's API, and the real ones.
const shapes = {
  ipCountry: 'context.connection.ip_country is not part of Auth0\'s Rules API (context.connection is the connection\'s name); the simulator gave the Rule the login\'s country, as its author meant; the real field is context.request.geoip.country_code',
  enable: 'context.multifactor.enable() is not part of Auth0\'s Rules API; the simulator counted it as requiring MFA; the real call is context.multifactor = { provider: \'any\' }',
  addFactor: 'context.multifactor.addFactor({...}) is not part of Auth0\'s Rules API; the simulator counted it as requiring MFA; the real call is context.multifactor = { provider: \'any\' }',
};

// context.connection is a string; MFA guides read context.connection.ip_country
// from it. A getter on String.prototype answers that read for the current
// login's connection name only, so that comparisons with === still see a
// plain string.
let current = null;
Object.defineProperty(String.prototype, 'ip_country', {
  configurable: true,
  get() {
    if (current !== null && current.connection !== undefined && String(this) === current.connection) {
      host.warn('ipCountry', shapes.ipCountry);
      return current.country;
    }
    return undefined;
  },
});

function geoip(g) {
  g = obj(g);
  const out = {};
  const map = {
    countryCode: 'country_code', countryCode3: 'country_code3', countryName: 'country_name',
    cityName: 'city_name', latitude: 'latitude', longitude: 'longitude', timeZone: 'time_zone',
    continentCode: 'continent_code', subdivisionCode: 'subdivision_code', subdivisionName: 'subdivision_name',
  };
  for (const k of Object.keys(map)) if (g[k] !== undefined) out[map[k]] = g[k];
  return out;
}

// buildUser is the Rules user object: the user profile, with multifactor
// (derived from the enrolments when the event does not carry it: as
// Auth0 fills it on every login) and without the Actions-only
// enrolledFactors.
function buildUser(event) {
  deriveMultifactor(event.user);
  const user = clone(obj(event.user));
  delete user.enrolledFactors;
  if (user.app_metadata === undefined) user.app_metadata = {};
  if (user.user_metadata === undefined) user.user_metadata = {};
  return user;
}

// newMultifactor is what context.multifactor holds until the Rule assigns
// it: nothing the real API offered, but enable() and addFactor() as MFA
// guides wrote them.
function newMultifactor() {
  const mf = {};
  Object.defineProperty(mf, 'enable', {
    value() {
      host.warn('enable', shapes.enable);
      mf.requested = true;
    },
  });
  Object.defineProperty(mf, 'addFactor', {
    value() {
      host.warn('addFactor', shapes.addFactor);
      mf.requested = true;
    },
  });
  Object.defineProperty(mf, 'requested', { value: false, writable: true });
  return mf;
}

function buildContext(event) {
  const client = obj(event.client);
  const conn = obj(event.connection);
  const req = obj(event.request);
  const authn = obj(event.authentication);
  const ctx = {
    tenant: obj(event.tenant).id,
    clientID: client.client_id,
    clientName: client.name,
    clientMetadata: clone(obj(client.metadata)),
    connectionID: conn.id,
    connection: conn.name,
    connectionStrategy: conn.strategy,
    connectionOptions: {},
    connectionMetadata: clone(obj(conn.metadata)),
    samlConfiguration: {},
    protocol: obj(event.transaction).protocol,
    stats: { loginsCount: obj(event.stats).logins_count },
    sso: { with_auth0: false, with_dbconn: false, current_clients: [] },
    accessToken: {},
    idToken: {},
    sessionID: obj(event.session).id,
    request: {
      userAgent: req.user_agent,
      ip: req.ip,
      hostname: req.hostname,
      query: clone(obj(req.query)),
      body: clone(obj(req.body)),
      geoip: geoip(req.geoip),
    },
    primaryUser: obj(event.user).user_id,
    authentication: { methods: clone(Array.isArray(authn.methods) ? authn.methods : []) },
    authorization: { roles: clone(Array.isArray(obj(event.authorization).roles) ? event.authorization.roles : []) },
  };
  if (event.organization) ctx.organization = clone(event.organization);
  if (authn.riskAssessment !== undefined) ctx.riskAssessment = clone(authn.riskAssessment);
  const stub = newMultifactor();
  let mf = stub;
  Object.defineProperty(ctx, 'multifactor', {
    enumerable: true,
    configurable: true,
    get: () => mf,
    set: (v) => { mf = v; },
  });
  return { ctx, stub };
}

// apply turns what the Rule left in context into api calls.
function apply(ctx, stub, api) {
  const mf = ctx.multifactor;
  if (mf === stub) {
    if (stub.requested) api.multifactor.enable('any');
  } else if (mf !== undefined && mf !== null) {
    if (typeof mf !== 'object') {
      host.note('Rule: context.multifactor must be an object such as { provider: \'any\' }, got ' + JSON.stringify(mf));
    } else {
      const opts = {};
      if (mf.allowRememberBrowser !== undefined) opts.allowRememberBrowser = !!mf.allowRememberBrowser;
      // Duo's keys travel in providerOptions in Actions (migration guide).
      if (mf.provider === 'duo') opts.providerOptions = { host: mf.host, ikey: mf.ikey, skey: mf.skey, username: mf.username };
      api.multifactor.enable(mf.provider, opts);
    }
  }
  for (const [ns, claims] of [['idToken', ctx.idToken], ['accessToken', ctx.accessToken]]) {
    for (const k of Object.keys(obj(claims))) api[ns].setCustomClaim(k, claims[k]);
  }
  if (ctx.redirect && ctx.redirect.url) api.redirect.sendUserTo(ctx.redirect.url);
}

function management(api) {
  const set = (method) => (id, md) => {
    for (const k of Object.keys(obj(md))) api.user[method](k, md[k]);
    return Promise.resolve();
  };
  return {
    users: { updateAppMetadata: set('setAppMetadata'), updateUserMetadata: set('setUserMetadata') },
    domain: 'simulated.auth0.com',
    baseUrl: 'https://simulated.auth0.com/api/v2',
    accessToken: 'simulated-management-token',
  };
}

module.exports = function adapt(load, configuration) {
  const shared = {};
  let api = null;
  const auth0 = management(new Proxy({}, { get: (_, k) => api[k] }));
  const rule = load(Object.freeze(Object.assign({}, configuration)), UnauthorizedError, auth0, shared);
  if (typeof rule !== 'function') {
    throw new TypeError('a Rule must be a function (user, context, callback), got ' + typeof rule);
  }
  return {
    onExecutePostLogin(event, currentAPI) {
      api = currentAPI;
      const user = buildUser(event);
      const { ctx, stub } = buildContext(event);
      current = { connection: ctx.connection, country: ctx.request.geoip.country_code };
      return new Promise((resolve, reject) => {
        let called = false;
        const callback = (err, _user, context) => {
          if (called) {
            host.note('Rule: callback was called more than once; Auth0 uses the first call');
            return;
          }
          called = true;
          current = null;
          if (err) {
            if (err instanceof UnauthorizedError || (err && err.name === 'UnauthorizedError')) {
              api.access.deny(err.message);
              resolve();
            } else {
              reject(err);
            }
            return;
          }
          try {
            apply(context && typeof context === 'object' ? context : ctx, stub, api);
            resolve();
          } catch (e) {
            reject(e);
          }
        };
        try {
          const ret = rule.call(undefined, user, ctx, callback);
          if (ret && typeof ret.then === 'function') ret.then(undefined, (e) => { if (!called) { called = true; reject(e); } });
        } catch (e) {
          if (!called) {
            called = true;
            reject(e);
          }
        }
      });
    },
  };
};
