package engine

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/dop251/goja"
	gojson "github.com/goccy/go-json"

	"github.com/mfapolicy/mfapolicy/simulate/internal/factor"
)

// The recording api object. Its shape follows the post-login API object
// (https://auth0.com/docs/customize/actions/explore-triggers/signup-and-login-triggers/login-trigger/post-login-api-object)
// and the @auth0/actions post-login v3 types and test harness: the same
// namespaces and methods, and the same return values (methods that return
// the api object in Auth0 return it here, so chains work; challengeWith*,
// enrollWith*, addScope and the session/refreshToken setters return
// undefined as they do there).
//
// Every call is recorded in order with its arguments as JSON. Arguments
// are checked as Auth0 documents them; a bad argument becomes a note on the
// decision rather than an exception, so that one odd call does not hide the
// rest of the Action's behaviour.

// retKind says what a recorded method returns.
type retKind int

const (
	retUndefined retKind = iota
	retAPI
)

// apiMethod is one method of one namespace of the api object.
type apiMethod struct {
	name string
	ret  retKind
	// check validates the arguments and may add a command or a note; it
	// may also return a value (cache.get, canRedirect...).
	check func(r *Runner, args []goja.Value, js []json.RawMessage) goja.Value
}

// apiNamespaces lists the namespaces in the order Auth0's harness builds
// them.
var apiNamespaces = []struct {
	name    string
	methods []apiMethod
}{
	{"access", []apiMethod{{"deny", retAPI, checkDeny}}},
	{"accessToken", []apiMethod{
		{"setCustomClaim", retAPI, checkClaim},
		{"addScope", retUndefined, checkString("scope")},
		{"removeScope", retUndefined, checkString("scope")},
	}},
	{"authentication", []apiMethod{
		{"challengeWith", retUndefined, checkFactorCall(CmdChallenge, false)},
		{"challengeWithAny", retUndefined, checkFactorCall(CmdChallenge, true)},
		{"enrollWith", retUndefined, checkFactorCall(CmdEnroll, false)},
		{"enrollWithAny", retUndefined, checkFactorCall(CmdEnroll, true)},
		{"recordMethod", retAPI, checkRecordMethod},
		{"setPrimaryUser", retUndefined, checkString("primary_user_id")},
	}},
	{"cache", []apiMethod{
		{"get", retUndefined, cacheGet},
		{"set", retUndefined, cacheSet},
		{"delete", retUndefined, cacheDelete},
	}},
	{"groups", []apiMethod{
		{"getUserGroups", retUndefined, resolved(`{"groups":[]}`)},
		{"hasGroupMembership", retUndefined, resolved(`{"memberships":{}}`)},
	}},
	{"roles", []apiMethod{
		{"getUserEffectiveRoles", retUndefined, resolved(`{"roles":[]}`)},
		{"getUserEffectiveRolesByIds", retUndefined, resolved(`{"roles":[]}`)},
		{"getUserEffectiveRolesByNames", retUndefined, resolved(`{"roles":[]}`)},
	}},
	{"idToken", []apiMethod{{"setCustomClaim", retAPI, checkClaim}}},
	{"multifactor", []apiMethod{{"enable", retAPI, checkEnable}}},
	{"prompt", []apiMethod{{"render", retUndefined, checkRender}}},
	{"refreshToken", []apiMethod{
		{"revoke", retUndefined, nil},
		{"setExpiresAt", retUndefined, nil},
		{"setIdleExpiresAt", retUndefined, nil},
		{"setMetadata", retUndefined, nil},
		{"deleteMetadata", retUndefined, nil},
		{"evictMetadata", retUndefined, nil},
	}},
	{"session", []apiMethod{
		{"setExpiresAt", retUndefined, nil},
		{"setIdleExpiresAt", retUndefined, nil},
		{"revoke", retUndefined, nil},
		{"setCookieMode", retUndefined, checkCookieMode},
		{"setMetadata", retUndefined, nil},
		{"deleteMetadata", retUndefined, nil},
		{"evictMetadata", retUndefined, nil},
	}},
	{"redirect", []apiMethod{
		{"sendUserTo", retAPI, checkRedirect},
		{"encodeToken", retUndefined, encodeToken},
		{"validateToken", retUndefined, validateToken},
		{"canRedirect", retUndefined, canRedirect},
	}},
	{"samlResponse", samlMethods()},
	{"user", []apiMethod{
		{"setAppMetadata", retAPI, checkString("key")},
		{"setUserMetadata", retAPI, checkString("key")},
	}},
	{"validation", []apiMethod{{"error", retAPI, nil}}},
	{"rules", []apiMethod{{"wasExecuted", retUndefined, func(r *Runner, _ []goja.Value, _ []json.RawMessage) goja.Value {
		// No legacy Rule runs in the simulator.
		return r.vm.ToValue(false)
	}}}},
	{"transaction", []apiMethod{{"setMetadata", retUndefined, checkString("key")}}},
}

func samlMethods() []apiMethod {
	names := []string{"setAttribute", "setAudience", "setRecipient", "setCreateUpnClaim",
		"setPassthroughClaimsWithNoMapping", "setMapUnknownClaimsAsIs", "setMapIdentities",
		"setSignatureAlgorithm", "setDigestAlgorithm", "setDestination", "setLifetimeInSeconds",
		"setSignResponse", "setNameIdentifierFormat", "setNameIdentifierProbes",
		"setAuthnContextClassRef", "setSigningCert", "setIncludeAttributeNameFormat",
		"setTypedAttributes", "setEncryptionCert", "setEncryptionPublicKey", "setCert", "setKey",
		"setRelayState", "setIssuer", "setEncryptionAlgorithm"}
	out := make([]apiMethod, len(names))
	for i, n := range names {
		out[i] = apiMethod{n, retAPI, nil}
	}
	return out
}

// buildAPIPrototypes creates, once per runtime, one prototype object per
// namespace holding its recording methods, and the prototype of the api
// object itself. newAPI then makes a fresh api object per login, whose
// namespace objects inherit from the namespace prototypes: much cheaper
// than creating every function again for each login.
//
// The api prototype has one accessor per namespace. Reading
// api.authentication the first time in a login makes that login's
// namespace object and keeps it on the api object as an own data
// property, so that later reads are plain property reads and changes an
// Action makes to it stay within the login. An Action reads one or two of
// the 19 namespaces, so the others are never made; what differs from an
// api object built whole is only what no Action does: Object.keys(api)
// lists the namespaces read so far.
func (r *Runner) buildAPIPrototypes() {
	r.apiProto = r.vm.NewObject()
	for _, ns := range apiNamespaces {
		proto := r.vm.NewObject()
		for _, m := range ns.methods {
			full := ns.name + "." + m.name
			m := m
			fn := func(call goja.FunctionCall) goja.Value { return r.record(full, m, call.Arguments) }
			_ = proto.DefineDataProperty(m.name, r.vm.ToValue(fn), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
		}
		name := ns.name
		get := r.vm.ToValue(func(call goja.FunctionCall) goja.Value {
			o := r.vm.NewObject()
			_ = o.SetPrototype(proto)
			if this, ok := call.This.(*goja.Object); ok && this != r.apiProto {
				_ = this.DefineDataProperty(name, o, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE)
			}
			return o
		})
		_ = r.apiProto.DefineAccessorProperty(name, get, nil, goja.FLAG_TRUE, goja.FLAG_FALSE)
	}
}

// newAPI returns a fresh api object for one login.
func (r *Runner) newAPI() *goja.Object {
	api := r.vm.NewObject()
	_ = api.SetPrototype(r.apiProto)
	return api
}

// record stores one call, runs its check and returns what Auth0 returns.
func (r *Runner) record(method string, m apiMethod, args []goja.Value) goja.Value {
	st := r.cur
	js := make([]json.RawMessage, len(args))
	for i, a := range args {
		js[i] = r.toJSON(a)
	}
	st.Calls = append(st.Calls, Call{Method: method, Args: js})
	var ret goja.Value
	if m.check != nil {
		ret = m.check(r, args, js)
	}
	if ret != nil {
		return ret
	}
	if m.ret == retAPI {
		return st.api
	}
	return goja.Undefined()
}

// toJSON is JSON.stringify(v), or null when v is undefined, a function or
// not serialisable (a cycle, a BigInt).
func (r *Runner) toJSON(v goja.Value) json.RawMessage {
	if v == nil || goja.IsUndefined(v) {
		return json.RawMessage("null")
	}
	if r.compiled {
		if b := r.plainJSON(v, r.jsonScratch[:0], 0); b != nil {
			r.jsonScratch = b[:0]
			return r.internJSON(b)
		}
	}
	s, err := r.stringify(goja.Undefined(), v)
	if err != nil || goja.IsUndefined(s) {
		if err != nil {
			r.note("an argument could not be turned into JSON: %s", ErrorText(err))
		}
		return json.RawMessage("null")
	}
	return json.RawMessage(s.String())
}

// internJSON is a copy of b that is not to be changed, the same copy for
// the same text while the table of them holds it: a compiled policy's
// handler passes the same few arguments login after login.
func (r *Runner) internJSON(b []byte) json.RawMessage {
	if j, ok := r.jsonTexts[string(b)]; ok {
		return j
	}
	if r.jsonTexts == nil || len(r.jsonTexts) >= maxJSONTexts {
		r.jsonTexts = map[string]json.RawMessage{}
	}
	j := json.RawMessage(slices.Clip(bytes.Clone(b)))
	r.jsonTexts[string(j)] = j
	return j
}

// maxJSONTexts bounds the arguments' texts a runner keeps (internJSON).
const maxJSONTexts = 256

// plainJSON appends to b what JSON.stringify(v) gives for the arguments
// a compiled policy's handler passes (templates/action.js): a string, a
// selector {type} made by an object literal, or an array of selectors.
// It answers only where the text is plain: strings of printable ASCII
// without a quote or a backslash, which JSON.stringify writes as they are
// between quotes; objects and arrays with their own prototypes, no
// toJSON, and for an object the one key "type". Anything else is nil,
// for JSON.stringify to write. The policy's code defines no toJSON and no
// accessor: only an Action could, and this is for compiled policies only.
func (r *Runner) plainJSON(v goja.Value, b []byte, depth int) []byte {
	if s, ok := v.(goja.String); ok {
		text := s.String()
		for i := 0; i < len(text); i++ {
			if c := text[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' {
				return nil
			}
		}
		return append(append(append(b, '"'), text...), '"')
	}
	o, ok := v.(*goja.Object)
	if !ok || depth > 1 {
		return nil
	}
	if toJSON := o.Get("toJSON"); toJSON != nil && !goja.IsUndefined(toJSON) {
		return nil
	}
	switch o.ClassName() {
	case "Object":
		if o.Prototype() != r.objectProto {
			return nil
		}
		keys := o.Keys()
		if len(keys) != 1 || keys[0] != "type" {
			return nil
		}
		t, ok := o.Get("type").(goja.String)
		if !ok {
			return nil
		}
		if b = r.plainJSON(t, append(b, `{"type":`...), depth+1); b == nil {
			return nil
		}
		return append(b, '}')
	case "Array":
		if o.Prototype() != r.arrayProto || depth > 0 {
			return nil
		}
		n := o.Get("length").ToInteger()
		b = append(b, '[')
		for i := int64(0); i < n; i++ {
			if i > 0 {
				b = append(b, ',')
			}
			if b = r.plainJSON(o.Get(strconv.FormatInt(i, 10)), b, depth+1); b == nil {
				return nil
			}
		}
		return append(b, ']')
	}
	return nil
}

func (r *Runner) note(format string, args ...any) {
	r.cur.Notes = append(r.cur.Notes, fmt.Sprintf(format, args...))
}

func arg(js []json.RawMessage, i int) json.RawMessage {
	if i < len(js) {
		return js[i]
	}
	return json.RawMessage("null")
}

func jsonString(raw json.RawMessage) (string, bool) {
	var s string
	if err := gojson.Unmarshal(raw, &s); err != nil {
		return "", false
	}
	return s, true
}

func checkString(param string) func(*Runner, []goja.Value, []json.RawMessage) goja.Value {
	return func(r *Runner, args []goja.Value, js []json.RawMessage) goja.Value {
		if _, ok := jsonString(arg(js, 0)); !ok {
			r.note("%s: %s must be a string", r.lastMethod(), param)
		}
		return nil
	}
}

func (r *Runner) lastMethod() string { return r.cur.Calls[len(r.cur.Calls)-1].Method }

func checkDeny(r *Runner, _ []goja.Value, js []json.RawMessage) goja.Value {
	reason, ok := jsonString(arg(js, 0))
	if !ok {
		r.note("access.deny: the reason must be a string")
		reason = string(arg(js, 0))
	}
	r.cur.Cmds = append(r.cur.Cmds, Command{Kind: CmdDeny, Method: "access.deny", Reason: reason})
	return nil
}

// reservedClaims cannot be set as custom claims
// (https://auth0.com/docs/secure/tokens/json-web-tokens/create-custom-claims).
var reservedClaims = map[string]bool{
	"acr": true, "amr": true, "aud": true, "auth_time": true, "azp": true, "exp": true, "iat": true,
	"iss": true, "jti": true, "nbf": true, "nonce": true, "sub": true, "scope": true, "gty": true,
	"permissions": true, "roles": true, "org_id": true, "org_name": true, "cnf": true, "act": true,
}

func checkClaim(r *Runner, _ []goja.Value, js []json.RawMessage) goja.Value {
	key, ok := jsonString(arg(js, 0))
	switch {
	case !ok:
		r.note("%s: the claim name must be a string", r.lastMethod())
	case reservedClaims[key]:
		r.note("%s: %q is a reserved claim; Auth0 does not let an Action set it", r.lastMethod(), key)
	}
	return nil
}

// factorCallKey is one call of challengeWith and the like, by its
// arguments' JSON; factorCallResult what it means: the valid factors and
// the notes about the others.
type factorCallKey struct {
	kind         CmdKind
	method, args string
}

type factorCallResult struct {
	factors, notes []string
}

// maxFactorCalls bounds the calls a runner remembers.
const maxFactorCalls = 256

// joinRaw joins JSON values with a byte no JSON text holds.
func joinRaw(js []json.RawMessage) string {
	n := 0
	for _, j := range js {
		n += len(j) + 1
	}
	b := make([]byte, 0, n)
	for _, j := range js {
		b = append(append(b, j...), 0)
	}
	return string(b)
}

// checkFactorCall validates challengeWith/enrollWith (a factor and
// {additionalFactors}) and challengeWithAny/enrollWithAny (a list), and
// records the command with its valid factors.
func checkFactorCall(kind CmdKind, list bool) func(*Runner, []goja.Value, []json.RawMessage) goja.Value {
	return func(r *Runner, _ []goja.Value, js []json.RawMessage) goja.Value {
		method := r.lastMethod()
		// An Action calls these with the same few literals on every
		// login: what they mean is worked out once per runner.
		key := factorCallKey{kind: kind, method: method, args: joinRaw(js)}
		if res, ok := r.factorCalls[key]; ok {
			r.cur.Notes = append(r.cur.Notes, res.notes...)
			r.cur.Cmds = append(r.cur.Cmds, Command{Kind: kind, Method: method, Factors: slices.Clone(res.factors)})
			return nil
		}
		notes := len(r.cur.Notes)
		defer func() {
			if len(r.factorCalls) >= maxFactorCalls {
				clear(r.factorCalls)
			}
			c := r.cur.Cmds[len(r.cur.Cmds)-1]
			r.factorCalls[key] = factorCallResult{factors: slices.Clone(c.Factors), notes: slices.Clone(r.cur.Notes[notes:])}
		}()
		var selectors []json.RawMessage
		if list {
			if err := gojson.Unmarshal(arg(js, 0), &selectors); err != nil || selectors == nil {
				r.note("%s expects an array of factors, got %s", method, arg(js, 0))
			}
		} else {
			selectors = append(selectors, arg(js, 0))
			var opts struct {
				AdditionalFactors json.RawMessage `json:"additionalFactors"`
			}
			if len(js) > 1 && string(js[1]) != "null" {
				if gojson.Unmarshal(js[1], &opts) != nil {
					r.note("%s: the options must be an object", method)
				}
			}
			if len(opts.AdditionalFactors) > 0 && string(opts.AdditionalFactors) != "null" {
				var more []json.RawMessage
				if gojson.Unmarshal(opts.AdditionalFactors, &more) != nil {
					r.note("%s: additionalFactors must be an array", method)
				}
				selectors = append(selectors, more...)
			}
		}
		c := Command{Kind: kind, Method: method}
		for _, s := range selectors {
			if f, ok := r.factor(method, s, kind == CmdEnroll); ok {
				c.Factors = AppendNew(c.Factors, f)
			}
		}
		r.cur.Cmds = append(r.cur.Cmds, c)
		return nil
	}
}

// factor validates one factor selector: {type, options?}.
func (r *Runner) factor(method string, raw json.RawMessage, enroll bool) (string, bool) {
	var sel struct {
		Type    *string         `json:"type"`
		Options json.RawMessage `json:"options"`
	}
	if err := gojson.Unmarshal(raw, &sel); err != nil || sel.Type == nil || raw[0] != '{' {
		r.note("%s: a factor must be an object such as {type: 'otp'}, got %s", method, raw)
		return "", false
	}
	t := factor.Normalize(*sel.Type)
	switch {
	case enroll && t == "email":
		r.note("%s: email cannot be enrolled with enrollWith; ignored", method)
		return "", false
	case !IsChallengeFactor(t):
		r.note("%s: unknown factor type %q; ignored", method, *sel.Type)
		return "", false
	}
	var opts struct {
		PreferredMethod *string `json:"preferredMethod"`
		OTPFallback     any     `json:"otpFallback"`
	}
	if len(sel.Options) > 0 {
		_ = gojson.Unmarshal(sel.Options, &opts)
	}
	if t == "phone" && opts.PreferredMethod != nil {
		if m := *opts.PreferredMethod; m != "sms" && m != "voice" && m != "both" {
			r.note("%s: phone preferredMethod must be sms, voice or both, got %q", method, m)
		}
	}
	if _, isBool := opts.OTPFallback.(bool); opts.OTPFallback != nil && !isBool {
		r.note("%s: push-notification otpFallback must be a boolean", method)
	}
	return t, true
}

var mfaProviders = map[string]bool{"any": true, "guardian": true, "google-authenticator": true, "duo": true, "none": true}

func checkEnable(r *Runner, _ []goja.Value, js []json.RawMessage) goja.Value {
	p, ok := jsonString(arg(js, 0))
	if !ok || !mfaProviders[p] {
		r.note("multifactor.enable: unknown provider %s (known: any, guardian, google-authenticator, duo, none)", arg(js, 0))
	}
	r.cur.Cmds = append(r.cur.Cmds, Command{Kind: CmdMFAEnable, Method: "multifactor.enable", Provider: p})
	return nil
}

func checkRecordMethod(r *Runner, _ []goja.Value, js []json.RawMessage) goja.Value {
	u, ok := jsonString(arg(js, 0))
	if !ok || !(strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://")) {
		r.note("authentication.recordMethod: the provider must be an http(s) URL")
	}
	// recordMethod is meant for onContinuePostLogin, after a redirect.
	r.note("authentication.recordMethod is only honoured in onContinuePostLogin")
	return nil
}

func checkCookieMode(r *Runner, _ []goja.Value, js []json.RawMessage) goja.Value {
	if m, _ := jsonString(arg(js, 0)); m != "persistent" && m != "non-persistent" {
		panic(r.newError(fmt.Sprintf("Invalid cookie mode: %s. Valid values are 'persistent' and 'non-persistent'.", arg(js, 0))))
	}
	return nil
}

// checkRender and checkRedirect note what Auth0 refuses: a redirect and a
// prompt in one Action, and MFA commands in the Action that redirects
// ("keep MFA commands and the redirect in separate Actions", customize MFA
// selection page).
func checkRender(r *Runner, _ []goja.Value, _ []json.RawMessage) goja.Value {
	if r.cur.redirected {
		r.note("prompt.render: redirect and render commands cannot be used in the same Action")
	}
	r.cur.rendered = true
	return nil
}

func checkRedirect(r *Runner, _ []goja.Value, js []json.RawMessage) goja.Value {
	if u, ok := jsonString(arg(js, 0)); !ok || !(strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://")) {
		r.note("redirect.sendUserTo: the URL must be an absolute http(s) URL")
	}
	if r.cur.rendered {
		r.note("redirect.sendUserTo: redirect and render commands cannot be used in the same Action")
	}
	r.cur.redirected = true
	r.note("redirect.sendUserTo: the login continues in onContinuePostLogin, which the simulator does not run")
	return nil
}

func encodeToken(r *Runner, _ []goja.Value, _ []json.RawMessage) goja.Value {
	return r.vm.ToValue("simulated.session.token")
}

// validateToken throws when the continue request carries no token, as
// Auth0 does; the simulator never verifies a signature.
func validateToken(r *Runner, args []goja.Value, _ []json.RawMessage) goja.Value {
	name := "session_token"
	if len(args) > 0 {
		if o, ok := args[0].(*goja.Object); ok {
			if v := o.Get("tokenParameterName"); v != nil && !goja.IsUndefined(v) && v.String() != "" {
				name = v.String()
			}
		}
	}
	if tok := r.eventPath("request", "query", name); tok == nil || !tok.ToBoolean() {
		if tok = r.eventPath("request", "body", name); tok == nil || !tok.ToBoolean() {
			panic(r.newError(fmt.Sprintf("There is no parameter called '%s' available in either the POST body or query string.", name)))
		}
	}
	r.note("redirect.validateToken: the token is not verified by the simulator")
	return r.vm.NewObject()
}

// noRedirectProtocols cannot redirect; nor can prompt=none (@auth0/actions
// post-login v3: canRedirect).
var noRedirectProtocols = map[string]bool{
	"oauth2-resource-owner": true, "oauth2-refresh-token": true, "oauth2-password": true, "oauth2-webauthn": true,
}

func canRedirect(r *Runner, _ []goja.Value, _ []json.RawMessage) goja.Value {
	if p := r.eventPath("request", "query", "prompt"); p != nil && p.String() == "none" {
		return r.vm.ToValue(false)
	}
	proto := r.eventPath("transaction", "protocol")
	return r.vm.ToValue(proto == nil || !noRedirectProtocols[proto.String()])
}

// eventPath reads a nested property of the current event, or nil.
func (r *Runner) eventPath(path ...string) goja.Value {
	var v goja.Value = r.cur.event
	for _, p := range path {
		o, ok := v.(*goja.Object)
		if !ok {
			return nil
		}
		v = o.Get(p)
		if v == nil || goja.IsUndefined(v) || goja.IsNull(v) {
			return nil
		}
	}
	return v
}

// resolved returns a promise of an empty result: the simulator has no
// directory data for groups and roles.
func resolved(result string) func(*Runner, []goja.Value, []json.RawMessage) goja.Value {
	return func(r *Runner, _ []goja.Value, _ []json.RawMessage) goja.Value {
		r.note("%s: the simulator has no directory data and returns an empty result", r.lastMethod())
		p, resolve, _ := r.vm.NewPromise()
		v, err := r.buildValue(r.vm, []byte(result))
		if err != nil {
			v = goja.Undefined()
		}
		_ = resolve(v)
		return r.vm.ToValue(p)
	}
}

// The cache is per login in the simulator: a real Action's cache outlives
// one execution, with at most 20 entries of 4 kB
// (https://auth0.com/docs/customize/actions/limitations).
const maxCacheEntries = 20

func cacheGet(r *Runner, _ []goja.Value, js []json.RawMessage) goja.Value {
	key, _ := jsonString(arg(js, 0))
	v, ok := r.cur.cache[key]
	if !ok {
		return goja.Undefined()
	}
	o := r.vm.NewObject()
	_ = o.Set("value", v)
	return o
}

func cacheSet(r *Runner, args []goja.Value, js []json.RawMessage) goja.Value {
	key, ok := jsonString(arg(js, 0))
	val, vok := jsonString(arg(js, 1))
	res := r.vm.NewObject()
	if !ok || !vok {
		r.note("cache.set: the key and the value must be strings")
	}
	if _, exists := r.cur.cache[key]; !exists && len(r.cur.cache) >= maxCacheEntries {
		r.note("cache.set: more than %d cache entries", maxCacheEntries)
		_ = res.Set("type", "error")
		_ = res.Set("code", "cache_entries_limit_exceeded")
		return res
	}
	if r.cur.cache == nil {
		r.cur.cache = map[string]string{}
	}
	r.cur.cache[key] = val
	record := r.vm.NewObject()
	_ = record.Set("value", val)
	_ = res.Set("type", "success")
	_ = res.Set("record", record)
	return res
}

func cacheDelete(r *Runner, _ []goja.Value, js []json.RawMessage) goja.Value {
	key, _ := jsonString(arg(js, 0))
	delete(r.cur.cache, key)
	res := r.vm.NewObject()
	_ = res.Set("type", "success")
	return res
}
