package fidelity

// Event returns a random post-login event as decoded JSON: each field is
// absent, null, well-typed or (rarely) of the wrong type, so the missing-
// data and wrong-type rules of docs/semantics.md are exercised.
func (g *Gen) Event() map[string]any {
	// A third of the events are hostile (nulls and wrong JSON types); the
	// rest only leave fields out, so rule results are not drowned in errors.
	g.hostile = g.chance(0.33)
	ev := map[string]any{}
	g.set(ev, "request", func() any {
		req := map[string]any{}
		g.set(req, "ip", func() any {
			return g.pick("1.2.3.4", "10.1.2.3", "2001:db8::5", "::1", "127.0.0.1", "1.2.3.04", "::ffff:1.2.3.4", "fe80::1", "", "garbage", "0.0.0.0")
		})
		g.set(req, "user_agent", g.anyString)
		g.set(req, "geoip", func() any {
			geo := map[string]any{}
			g.set(geo, "countryCode", func() any { return g.pick("US", "CA", "KP", "GB", "DE", "", "us") })
			g.set(geo, "countryCode3", func() any { return g.pick("USA", "CAN", "GBR") })
			g.set(geo, "cityName", g.anyString)
			g.set(geo, "latitude", func() any { return g.pickAny(47.6, -33.9, 0.0, 1e308, -1e308) })
			g.set(geo, "longitude", func() any { return g.pickAny(-122.2, 151.2, 0.0) })
			return geo
		})
		g.set(req, "query", func() any { return map[string]any{"prompt": "login"} })
		return req
	})
	g.set(ev, "client", func() any {
		c := map[string]any{}
		g.set(c, "name", func() any { return g.pick("Admin Console", "Billing", "Storefront", "") })
		g.set(c, "client_id", g.anyString)
		g.set(c, "metadata", func() any {
			return map[string]any{"tier": g.pick("gold", "free"), "region": g.pickAny("eu", 5.0)}
		})
		return c
	})
	g.set(ev, "connection", func() any {
		return map[string]any{"name": g.pick("Username-Password-Authentication", "google-oauth2"), "strategy": g.pick("auth0", "google-oauth2", "waad")}
	})
	g.set(ev, "authorization", func() any {
		return map[string]any{"roles": g.roles()}
	})
	g.set(ev, "stats", func() any {
		return map[string]any{"logins_count": g.pickAny(0.0, 1.0, 3.0, 4.0, 62.0, 1.5, -1.0, 1e19, 9007199254740993.0, 9.223372036854776e18)}
	})
	g.set(ev, "authentication", func() any {
		a := map[string]any{}
		g.set(a, "riskAssessment", func() any {
			ra := map[string]any{"version": "1"}
			g.set(ra, "confidence", func() any { return g.pick("low", "medium", "high", "neutral") })
			g.set(ra, "assessments", func() any {
				as := map[string]any{}
				for _, name := range []string{"UntrustedIP", "NewDevice", "ImpossibleTravel"} {
					g.set(as, name, func() any {
						return map[string]any{
							"confidence": g.pick("low", "medium", "high"),
							"code":       g.pick("found_on_deny_list", "not_found_on_deny_list", "match", "no_match", "impossible_travel_from_last_login", "ip_not_found"),
						}
					})
				}
				return as
			})
			return ra
		})
		g.set(a, "methods", func() any {
			var ms []any
			for range g.r.IntN(3) {
				ms = append(ms, map[string]any{"name": g.pick("pwd", "mfa", "federated"), "timestamp": g.pick(timestampPool...)})
			}
			return ms
		})
		return a
	})
	g.set(ev, "user", func() any {
		u := map[string]any{}
		g.set(u, "user_id", func() any { return g.pick("auth0|1", "google-oauth2|2") })
		g.set(u, "email", g.anyString)
		g.set(u, "email_verified", func() any { return g.pickAny(true, false) })
		g.set(u, "created_at", func() any { return g.pick(timestampPool...) })
		g.set(u, "app_metadata", func() any {
			m := map[string]any{}
			g.set(m, "vip", func() any { return g.pickAny(true, false, "yes", 1.0) })
			g.set(m, "level", func() any { return g.pickAny(2.0, 2.5, "2", -1.0) })
			g.set(m, "tier", func() any { return g.pickAny("gold", nil) })
			g.set(m, "tags", func() any { return []any{1.0, 2.0} })
			return m
		})
		g.set(u, "enrolledFactors", func() any {
			var fs []any
			for range g.r.IntN(3) {
				fs = append(fs, map[string]any{"type": g.pick("otp", "email", "push-notification", "webauthn-platform", "phone")})
			}
			return fs
		})
		// Auth0 fills multifactor from the enrolments (the simulator
		// derives it); a few events carry a value of their own, kept.
		if g.chance(0.2) {
			g.set(u, "multifactor", func() any { return g.pickAny([]any{"guardian"}, []any{}, []any{"duo"}) })
		}
		return u
	})
	return ev
}

// timestampPool holds times around Clock (the logins' time) and 12 hours
// before it, to the nanosecond, at several offsets, the ends of CEL's
// range and texts that are not timestamps.
var timestampPool = []string{
	"2026-03-10T00:30:15.25Z", "2026-03-10T00:30:15.251Z", "2026-03-10T00:30:15.249999999Z",
	"2026-03-10T02:30:15.250000001+02:00", "2026-03-09T19:30:15.25-05:00", "2026-03-10T12:30:15.25Z",
	"2026-03-09T12:00:00Z", "2030-01-01T00:00:00Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z",
	"2026-03-10t00:30:15Z", "2026-02-29T00:00:00Z", "", "garbage",
}

func (g *Gen) roles() any {
	var rs []any
	for range g.r.IntN(4) {
		rs = append(rs, g.pick("admin", "Admin", "billing", "user", "", "😀"))
	}
	if g.chance(0.05) {
		rs = append(rs, 7.0)
	}
	return rs
}

func (g *Gen) anyString() any { return stringPool[g.r.IntN(len(stringPool))] }

func (g *Gen) pickAny(xs ...any) any { return xs[g.r.IntN(len(xs))] }

// set fills key with make() most of the time, and otherwise leaves it
// absent, sets null, or puts a value of the wrong JSON type.
func (g *Gen) set(m map[string]any, key string, make func() any) {
	switch x := g.r.Float64(); {
	case x < 0.12:
		// absent
	case !g.hostile:
		m[key] = make()
	case x < 0.18:
		m[key] = nil
	case x < 0.24:
		m[key] = g.pickAny(5.0, "str", true, []any{}, map[string]any{})
	default:
		m[key] = make()
	}
}
