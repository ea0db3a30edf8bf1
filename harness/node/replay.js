#!/usr/bin/env node
// Replays post-login events through one or more Auth0 Actions in Node.js,
// the runtime Auth0 runs them in, and prints one decision record per Action
// per event as NDJSON. mfapolicy's fidelity tests and benchmarks compare its
// goja simulator with this output.
//
// usage: node replay.js --events FILE|- [--quiet] [--now MS] ACTION.js...
//
// Every event gets event.user.multifactor as Auth0 fills it before any
// Action runs, by the simulator's own definition (simulate/engine/shims/user.js):
// derived from event.user.enrolledFactors, a value the event carries kept.
//
// Each record: {"action": i, "line": n, "decide": {...} | null,
//               "calls": [{"method": "authentication.challengeWith", "args": [...]}],
//               "error": "message" | undefined}
// --quiet prints only a final count (for benchmarks). --now sets the clock
// the Actions read (Date.now() and new Date()) to MS milliseconds since
// 1970, as the simulator's --now does.
'use strict';

const fs = require('fs');
const path = require('path');
const readline = require('readline');

// The shim reports each derivation to the simulator's host; here nothing
// listens.
globalThis.__mfapolicyHost = { multifactor() {} };
const { deriveMultifactor } = require('../../simulate/engine/shims/user.js');

// auth0Event is the event Auth0 hands the Action, from one line.
function auth0Event(text) {
  const event = JSON.parse(text);
  if (event !== null && typeof event === 'object') deriveMultifactor(event.user);
  return event;
}

function parseArgs(argv) {
  const opts = { events: null, quiet: false, now: null, actions: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--events') opts.events = argv[++i];
    else if (a === '--quiet') opts.quiet = true;
    else if (a === '--now') opts.now = Number(argv[++i]);
    else opts.actions.push(a);
  }
  if (!opts.events || opts.actions.length === 0) {
    process.stderr.write('usage: node replay.js --events FILE|- [--quiet] [--now MS] ACTION.js...\n');
    process.exit(2);
  }
  return opts;
}

// recordingApi returns an api object on which any method path
// (api.authentication.challengeWith, api.access.deny, ...) is recorded in
// order and returns the api itself, as Auth0's chainable methods do.
function recordingApi(calls) {
  const make = (prefix) => new Proxy(function () {}, {
    get(_, prop) {
      if (typeof prop !== 'string') return undefined;
      return make(prefix ? prefix + '.' + prop : prop);
    },
    apply(_, __, args) {
      calls.push({ method: prefix, args: JSON.parse(JSON.stringify(args)) });
      return root;
    },
  });
  const root = make('');
  return root;
}

// fixClock makes Date read the instant now (milliseconds since 1970).
function fixClock(now) {
  const RealDate = Date;
  function FixedDate(...args) {
    if (!new.target) return new RealDate(now).toString();
    return args.length === 0 ? new RealDate(now) : new RealDate(...args);
  }
  FixedDate.prototype = RealDate.prototype;
  FixedDate.now = () => now;
  FixedDate.parse = RealDate.parse;
  FixedDate.UTC = RealDate.UTC;
  globalThis.Date = FixedDate;
}

function isDecision(v) {
  return v !== null && typeof v === 'object' && typeof v.outcome === 'string' && v.rule !== undefined;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.now !== null) fixClock(opts.now);
  const actions = opts.actions.map((file) => require(path.resolve(file)));
  const input = opts.events === '-' ? process.stdin : fs.createReadStream(opts.events);
  const rl = readline.createInterface({ input, crlfDelay: Infinity });
  const out = [];
  let line = 0;
  let count = 0;
  for await (const text of rl) {
    line++;
    if (text.trim() === '') continue;
    for (let i = 0; i < actions.length; i++) {
      const event = auth0Event(text); // a fresh object per Action, as in production
      const calls = [];
      const rec = { action: i, line, decide: null, calls };
      try {
        // A compiled policy's handler resolves to its decision; any other
        // Action exporting decide has it called on a fresh copy.
        const ret = await actions[i].onExecutePostLogin(event, recordingApi(calls));
        if (typeof actions[i].decide === 'function') {
          rec.decide = isDecision(ret) ? ret : actions[i].decide(auth0Event(text));
        }
      } catch (e) {
        rec.error = String(e && e.message !== undefined ? e.message : e);
      }
      count++;
      if (!opts.quiet) {
        out.push(JSON.stringify(rec));
        if (out.length >= 1024) { process.stdout.write(out.join('\n') + '\n'); out.length = 0; }
      }
    }
  }
  if (out.length) process.stdout.write(out.join('\n') + '\n');
  if (opts.quiet) process.stdout.write(JSON.stringify({ records: count }) + '\n');
}

main().catch((e) => { process.stderr.write(String(e && e.stack || e) + '\n'); process.exit(1); });
