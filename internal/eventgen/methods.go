package eventgen

import (
	"time"
)

// hourWeights is how logins spread over the local hours of a day: quiet at
// night, a morning peak, a dip at lunch, an evening tail.
var hourWeights = []int{2, 1, 1, 1, 1, 2, 4, 8, 14, 16, 15, 13, 10, 12, 14, 14, 13, 11, 9, 8, 7, 6, 4, 3}

// dayWeights is how logins spread over the week, Monday first: weekends
// are quieter.
var dayWeights = []int{10, 10, 10, 10, 9, 4, 3}

// mfaTypes are the factors a user may have completed earlier in the
// session.
var mfaTypes = []string{"otp", "push-notification", "webauthn-platform", "phone"}

// methods returns event.authentication.methods: the first factor completed
// (federated for social and enterprise connections, pwd or passkey for the
// database), sometimes an earlier MFA of the same session, each with its
// time. One login in a hundred carries no methods, as events captured by
// hand sometimes do. Source: the post-login event object,
// https://auth0.com/docs/customize/actions/explore-triggers/signup-and-login-triggers/login-trigger/post-login-event-object
func (g *Generator) methods(c country, cn conn) []ordered {
	if g.clock.Float64() < 0.01 {
		return nil
	}
	at := g.loginTime(c)
	first := "federated"
	if cn.strategy == "auth0" {
		first = "pwd"
		if g.clock.Float64() < 0.1 {
			first = "passkey"
		}
	}
	out := []ordered{{{"name", first}, {"timestamp", stamp(at)}}}
	if g.clock.Float64() < 0.12 {
		later := at.Add(time.Duration(5+g.clock.IntN(40)) * time.Second)
		out = append(out, ordered{{"name", "mfa"}, {"timestamp", stamp(later)},
			{"type", mfaTypes[g.clock.IntN(len(mfaTypes))]}})
	}
	return out
}

// loginTime draws a moment in the generator's month, with weekdays busier
// than weekends and office hours busier than nights, in the country's
// local time (approximated from its longitude).
func (g *Generator) loginTime(c country) time.Time {
	for {
		day := g.clock.IntN(30)
		local := g.start.AddDate(0, 0, day)
		wd := (int(local.Weekday()) + 6) % 7 // Monday = 0
		if g.clock.IntN(10) >= dayWeights[wd] {
			continue
		}
		hour := weighted(g.clock.IntN(sum(hourWeights)), hourWeights)
		offset := time.Duration(c.lon / 15 * float64(time.Hour))
		at := local.Add(time.Duration(hour)*time.Hour + time.Duration(g.clock.Int64N(int64(time.Hour)))).Add(-offset)
		if at.Before(g.start) || !at.Before(g.start.AddDate(0, 0, 30)) {
			continue // keep every login inside the month
		}
		return at.Truncate(time.Millisecond)
	}
}

func stamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

func sum(ws []int) int {
	t := 0
	for _, w := range ws {
		t += w
	}
	return t
}

// weighted returns the index that n (in [0, sum(ws))) falls in.
func weighted(n int, ws []int) int {
	for i, w := range ws {
		if n < w {
			return i
		}
		n -= w
	}
	return len(ws) - 1
}
