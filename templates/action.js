// The post-login Action entry. The compiler generates the module
// "mfapolicy:policy" (the rules, each a function of the event, and the
// default and on_error actions) and bundles it with this file and the CEL
// runtime into one CommonJS script.
//
// Auth0 facts this follows (https://auth0.com/docs/customize/actions/explore-triggers/signup-and-login-triggers/login-trigger/post-login-api-object):
// - api.authentication.challengeWith(factor) challenges with one factor;
//   challengeWithAny(factors) shows a picker of several.
// - api.authentication.enrollWith / enrollWithAny likewise for enrollment.
// - api.access.deny(reason) denies the login.
// - At most 4 challenge/enroll commands may run per login; this Action
//   makes at most one.
import { CelError, reset_clock } from "mfapolicy:runtime";
import { rules, defaultAction, onErrorAction } from "mfapolicy:policy";

function result(rule, action, error) {
  return {
    rule,
    outcome: action.outcome,
    factors: action.factors.slice(),
    reason: action.reason,
    error,
  };
}

function message(e) {
  if (e instanceof CelError) return e.message;
  return "internal error: " + String(e && e.message !== undefined ? e.message : e);
}

/**
 * decide evaluates the rules in order and returns the decision, without
 * side effects: the first rule whose condition is true decides; a rule
 * whose condition errors stops evaluation and on_error decides.
 */
export function decide(event) {
  reset_clock(); // `now` is read once per decision
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i];
    let matched;
    try {
      matched = rule.when(event);
    } catch (e) {
      return result(rule.id, onErrorAction, message(e));
    }
    if (matched === true) return result(rule.id, rule.action, "");
    if (matched !== false) return result(rule.id, onErrorAction, "the condition did not return a boolean");
  }
  return result("", defaultAction, "");
}

function selector(type) {
  return { type };
}

function selectors(factors) {
  return factors.map(selector);
}

// onExecutePostLogin applies the decision and resolves to it. Auth0 acts
// on the api calls alone and ignores what the handler returns (the api
// object's methods return the api for chaining, and Actions commonly end
// with `return api.access.deny(...)`:
// https://community.auth0.com/t/deny-plus-redirect-in-action-triggers/170287);
// the simulator reads the deciding rule from it, so that decide runs once
// per login.
export async function onExecutePostLogin(event, api) {
  const d = decide(event);
  switch (d.outcome) {
    case "challenge":
      if (d.factors.length === 1) api.authentication.challengeWith({ type: d.factors[0] });
      else api.authentication.challengeWithAny(selectors(d.factors));
      break;
    case "enroll":
      if (d.factors.length === 1) api.authentication.enrollWith({ type: d.factors[0] });
      else api.authentication.enrollWithAny(selectors(d.factors));
      break;
    case "deny":
      api.access.deny(d.reason);
      break;
  }
  return d;
}
