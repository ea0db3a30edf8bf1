package deploy

import (
	"context"
	"net/http"
	"strconv"
	"time"
)

// RetryPolicy bounds how often and how long a request is retried when
// Auth0 rate-limits it (429) or is briefly unavailable (502, 503, 504 on a
// read). Auth0 says to wait for the time its rate-limit headers give
// (https://auth0.com/docs/troubleshoot/customer-support/operational-policies/rate-limit-policy):
// Retry-After, or else X-RateLimit-Reset (UTC epoch seconds). Without
// either, the wait doubles from Initial up to Max.
type RetryPolicy struct {
	// Retries is the most retries of one request; 0 means 4, and a
	// negative value turns retrying off.
	Retries int
	// Initial is the first wait without a header; 0 means 1s.
	Initial time.Duration
	// Max is the longest wait: a server asking for longer is not retried,
	// and its 429 is reported. 0 means 60s.
	Max time.Duration
	// Sleep waits; nil means a timer that stops when ctx is done. Tests
	// pass one that returns at once.
	Sleep func(ctx context.Context, d time.Duration) error
	// Now is the clock for X-RateLimit-Reset; nil means time.Now.
	Now func() time.Time
}

// Retry is one retry of a request, as reported to ClientOptions.OnRetry.
type Retry struct {
	Method  string
	Path    string
	Status  int
	Attempt int
	Wait    time.Duration
}

func (p RetryPolicy) withDefaults() RetryPolicy {
	if p.Retries == 0 {
		p.Retries = 4
	}
	if p.Initial <= 0 {
		p.Initial = time.Second
	}
	if p.Max <= 0 {
		p.Max = 60 * time.Second
	}
	if p.Sleep == nil {
		p.Sleep = sleepCtx
	}
	if p.Now == nil {
		p.Now = time.Now
	}
	return p
}

// sleepCtx waits d or until ctx is done.
func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// retryTransport retries requests that Auth0 did not act on: any request
// answered 429, and reads answered 502, 503 or 504. A write answered 5xx
// is not retried, because it may have taken effect.
type retryTransport struct {
	base    http.RoundTripper
	policy  RetryPolicy
	onRetry func(Retry)
}

func (t *retryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	base := t.base
	if base == nil {
		base = http.DefaultTransport
	}
	for attempt := 1; ; attempt++ {
		res, err := base.RoundTrip(req)
		if err != nil || attempt > t.policy.Retries || !retryable(req, res) {
			return res, err
		}
		wait, ok := t.wait(res, attempt)
		if !ok || (req.Body != nil && req.GetBody == nil) {
			return res, nil
		}
		next := req.Clone(req.Context())
		if req.GetBody != nil {
			if next.Body, err = req.GetBody(); err != nil {
				return res, nil
			}
		}
		drain(res)
		if t.onRetry != nil {
			t.onRetry(Retry{Method: req.Method, Path: req.URL.Path, Status: res.StatusCode, Attempt: attempt, Wait: wait})
		}
		if err := t.policy.Sleep(req.Context(), wait); err != nil {
			return nil, err
		}
		req = next
	}
}

func retryable(req *http.Request, res *http.Response) bool {
	switch res.StatusCode {
	case http.StatusTooManyRequests:
		return true
	case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return req.Method == http.MethodGet
	}
	return false
}

// wait is how long to wait before the attempt after this one, and false
// when the server asks for longer than the policy allows.
func (t *retryTransport) wait(res *http.Response, attempt int) (time.Duration, bool) {
	p := t.policy
	if d, ok := headerWait(res.Header, p.Now()); ok {
		return d, d <= p.Max
	}
	d := p.Initial << (attempt - 1)
	if d > p.Max || d <= 0 {
		d = p.Max
	}
	return d, true
}

// headerWait reads Retry-After (seconds or an HTTP date) and, failing
// that, X-RateLimit-Reset (epoch seconds).
func headerWait(h http.Header, now time.Time) (time.Duration, bool) {
	if v := h.Get("Retry-After"); v != "" {
		if s, err := strconv.Atoi(v); err == nil && s >= 0 {
			return time.Duration(s) * time.Second, true
		}
		if at, err := http.ParseTime(v); err == nil {
			return max(at.Sub(now), 0), true
		}
	}
	if v := h.Get("X-RateLimit-Reset"); v != "" {
		if s, err := strconv.ParseInt(v, 10, 64); err == nil {
			return max(time.Unix(s, 0).Sub(now), 0), true
		}
	}
	return 0, false
}

func drain(res *http.Response) {
	if res != nil && res.Body != nil {
		_ = res.Body.Close()
	}
}
