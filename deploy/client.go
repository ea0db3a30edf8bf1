package deploy

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"

	"github.com/auth0/go-auth0/management"
	"golang.org/x/oauth2"
)

// Credentials say which tenant to deploy to and how to authenticate: a
// machine-to-machine application's client id and secret (exchanged for a
// token at https://DOMAIN/oauth/token), or a Management API access token.
// They follow the variables Auth0's own tools read: AUTH0_DOMAIN,
// AUTH0_CLIENT_ID, AUTH0_CLIENT_SECRET, and AUTH0_ACCESS_TOKEN.
//
// The secret and the token never appear in String, GoString, or any error
// this package returns.
type Credentials struct {
	Domain       string
	ClientID     string
	ClientSecret string
	AccessToken  string
}

// String describes the credentials without their secrets.
func (c Credentials) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "domain=%s", c.Domain)
	if c.ClientID != "" {
		fmt.Fprintf(&b, " client_id=%s", c.ClientID)
	}
	if c.ClientSecret != "" {
		b.WriteString(" client_secret=<redacted>")
	}
	if c.AccessToken != "" {
		b.WriteString(" access_token=<redacted>")
	}
	return b.String()
}

// GoString keeps the secrets out of %#v too.
func (c Credentials) GoString() string { return "deploy.Credentials{" + c.String() + "}" }

// Validate reports missing or contradictory credentials, naming the
// environment variables and flags that supply them.
func (c Credentials) Validate() error {
	if c.Domain == "" {
		return fmt.Errorf("no tenant domain: set AUTH0_DOMAIN or --domain (for example example.eu.auth0.com)")
	}
	if _, _, err := c.baseURL(); err != nil {
		return err
	}
	if c.AccessToken != "" {
		return nil
	}
	switch {
	case c.ClientID == "" && c.ClientSecret == "":
		return fmt.Errorf("no credentials: set AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET, or AUTH0_ACCESS_TOKEN (or the matching flags)")
	case c.ClientID == "":
		return fmt.Errorf("AUTH0_CLIENT_SECRET is set but AUTH0_CLIENT_ID is not")
	case c.ClientSecret == "":
		return fmt.Errorf("AUTH0_CLIENT_ID is set but AUTH0_CLIENT_SECRET is not")
	}
	return nil
}

// baseURL returns the host to talk to and whether plain HTTP is allowed.
// A bare domain means HTTPS, as go-auth0 assumes. An http:// URL is
// accepted only for a loopback host, so that a local stub can stand in for
// a tenant; credentials never travel in clear text to anywhere else.
func (c Credentials) baseURL() (host string, insecure bool, err error) {
	d := strings.TrimSuffix(strings.TrimSpace(c.Domain), "/")
	if rest, ok := strings.CutPrefix(d, "https://"); ok {
		return rest, false, nil
	}
	if !strings.HasPrefix(d, "http://") {
		if strings.Contains(d, "://") || strings.ContainsAny(d, "/ ") {
			return "", false, fmt.Errorf("domain %q is not a host name such as example.eu.auth0.com", c.Domain)
		}
		return d, false, nil
	}
	u, err := url.Parse(d)
	if err != nil || u.Host == "" {
		return "", false, fmt.Errorf("domain %q is not a URL", c.Domain)
	}
	if !isLoopback(u.Hostname()) {
		return "", false, fmt.Errorf("domain %q: plain http:// is allowed only for localhost; use the tenant's https domain", c.Domain)
	}
	return u.Host, true, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// ClientOptions tune the Management API client.
type ClientOptions struct {
	// Retry bounds the retries of rate-limited and unavailable requests.
	Retry RetryPolicy
	// OnRetry, when set, hears of each retry before its wait.
	OnRetry func(Retry)
	// Transport, when set, carries the requests (tests; proxies).
	Transport http.RoundTripper
	// UserAgent is sent as the User-Agent header when set.
	UserAgent string
}

// NewClient returns a go-auth0 Management API client for the credentials.
// go-auth0's own retries are replaced by this package's, which honour
// Retry-After and X-RateLimit-Reset within the bounds of opts.Retry and
// report each retry through opts.OnRetry.
func NewClient(ctx context.Context, c Credentials, opts ClientOptions) (*management.Management, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	host, insecure, _ := c.baseURL()
	rt := &retryTransport{base: opts.Transport, policy: opts.Retry.withDefaults(), onRetry: opts.OnRetry}
	mopts := []management.Option{
		management.WithClient(&http.Client{Transport: rt}),
		management.WithNoRetries(),
	}
	if opts.UserAgent != "" {
		mopts = append(mopts, management.WithUserAgent(opts.UserAgent))
	}
	// WithInsecure switches to http and must come before the token
	// source, which it would otherwise replace.
	if insecure {
		mopts = append(mopts, management.WithInsecure())
	}
	if c.AccessToken != "" {
		mopts = append(mopts, management.WithStaticToken(c.AccessToken))
	} else {
		// The token request goes through the same retrying transport.
		tctx := context.WithValue(ctx, oauth2.HTTPClient, &http.Client{Transport: rt})
		mopts = append(mopts, management.WithClientCredentials(tctx, c.ClientID, c.ClientSecret))
	}
	m, err := management.New(host, mopts...)
	if err != nil {
		return nil, fmt.Errorf("domain %q: %w", c.Domain, err)
	}
	return m, nil
}
