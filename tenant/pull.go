package tenant

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/auth0/go-auth0/management"
)

// PullOptions configure Pull.
type PullOptions struct {
	// Domain is recorded in the file.
	Domain string
	// Users are the user ids whose authentication methods to fetch, in
	// order; duplicates are fetched once.
	Users []string
	// Known and KnownRoles hold users' methods and roles fetched before
	// (a previous pull's file): they are kept and not fetched again, so
	// that an interrupted pull resumes where it stopped. A user known in
	// one and not the other has only the missing part fetched.
	Known      map[string][]Method
	KnownRoles map[string][]string
	// PerPage is the page size of the authentication-methods and roles
	// requests; 0 means 50, the Management API's default.
	PerPage int
	// Interval is the least time between two user requests, to stay
	// under the tenant's rate limit; 0 does not pace. Rate-limited (429)
	// requests are retried by the client (see deploy.NewClient) whatever
	// the pacing.
	Interval time.Duration
	// Sleep waits; nil means a timer that stops when ctx is done.
	Sleep func(ctx context.Context, d time.Duration) error
	// Progress, when set, hears how many of the users are done.
	Progress func(done, total int)
}

// PullResult is what Pull fetched.
type PullResult struct {
	File *File
	// Fetched counts the users fetched now, Cached the users kept from
	// Known.
	Fetched, Cached int
	// Unknown lists the users the tenant does not have (404).
	Unknown []string
}

// endpoint is one Management API call Pull makes, with the scope its page
// names.
type endpoint struct{ what, path, scope string }

var (
	// https://auth0.com/docs/api/management/v2/guardian/get-factors
	epFactors = endpoint{"read the MFA factors", "GET /api/v2/guardian/factors", "read:guardian_factors"}
	// https://auth0.com/docs/api/management/v2/guardian/get-policies
	epPolicies = endpoint{"read the MFA policy", "GET /api/v2/guardian/policies", "read:mfa_policies"}
	// https://auth0.com/docs/api/management/v2/guardian/get-message-types
	epMessageTypes = endpoint{"read the phone message types", "GET /api/v2/guardian/factors/phone/message-types", "read:guardian_factors"}
	// https://auth0.com/docs/api/management/v2/users/get-authentication-methods
	epMethods = endpoint{"read a user's authentication methods", "GET /api/v2/users/{id}/authentication-methods", "read:authentication_methods"}
	// https://auth0.com/docs/api/management/v2/users/get-user-roles lists
	// read:users, read:roles and read:role_members, any one of which
	// suffices; read:roles is the narrowest: role names, no user profiles
	// and no member lists.
	epRoles = endpoint{"read a user's roles", "GET /api/v2/users/{id}/roles", "read:roles"}
)

func (e endpoint) wrap(err error) error {
	var me management.Error
	if errors.As(err, &me) {
		if me.Status() == http.StatusForbidden {
			return fmt.Errorf("cannot %s (%s): %s; the token needs the %s scope", e.what, e.path, me.Error(), e.scope)
		}
		return fmt.Errorf("cannot %s (%s): %w", e.what, e.path, err)
	}
	return fmt.Errorf("cannot %s (%s): %w", e.what, e.path, err)
}

// Pull reads the tenant's MFA factors, MFA policy and phone message types,
// then the authentication methods of opts.Users. On an error part-way
// through the users it returns what it has so far along with the error,
// so that the caller can save it and resume.
func Pull(ctx context.Context, m *management.Management, opts PullOptions) (*PullResult, error) {
	f := &File{Domain: opts.Domain}
	mf, err := m.Guardian.MultiFactor.List(ctx)
	if err != nil {
		return nil, epFactors.wrap(err)
	}
	f.Factors = []Factor{}
	for _, x := range mf {
		f.Factors = append(f.Factors, Factor{Name: x.GetName(), Enabled: x.GetEnabled(), TrialExpired: x.GetTrialExpired()})
	}
	ps, err := m.Guardian.MultiFactor.Policy(ctx)
	if err != nil {
		return nil, epPolicies.wrap(err)
	}
	policies := []string{}
	if ps != nil {
		policies = append(policies, *ps...)
	}
	f.Policies = &policies
	mt, err := m.Guardian.MultiFactor.Phone.MessageTypes(ctx)
	if err != nil {
		return nil, epMessageTypes.wrap(err)
	}
	if mt != nil && mt.MessageTypes != nil {
		f.PhoneMessageTypes = *mt.MessageTypes
	}
	res := &PullResult{File: f}
	if len(opts.Users) == 0 && opts.Known == nil && opts.KnownRoles == nil {
		return res, nil
	}
	return res, pullUsers(ctx, m, opts, res)
}

// pullUsers fetches each user not already known, paced by opts.Interval.
func pullUsers(ctx context.Context, m *management.Management, opts PullOptions, res *PullResult) error {
	f := res.File
	f.Users = map[string][]Method{}
	for id, ms := range opts.Known {
		f.Users[id] = ms
	}
	f.Roles = map[string][]string{}
	for id, rs := range opts.KnownRoles {
		f.Roles[id] = rs
	}
	todo := dedupe(opts.Users)
	p := &pacer{interval: opts.Interval, sleep: opts.Sleep}
	if p.sleep == nil {
		p.sleep = sleepCtx
	}
	for i, id := range todo {
		_, hasMethods := f.Users[id]
		_, hasRoles := f.Roles[id]
		if hasMethods && hasRoles {
			res.Cached++
		} else {
			found, err := pullUser(ctx, m, opts.PerPage, p, f, id, !hasMethods, !hasRoles)
			if err != nil {
				return fmt.Errorf("user %s: %w", id, err)
			}
			res.Fetched++
			if !found {
				res.Unknown = append(res.Unknown, id)
			}
		}
		if opts.Progress != nil {
			opts.Progress(i+1, len(todo))
		}
	}
	return nil
}

// pullUser fetches what is missing of one user into f; found is false
// when the tenant has no such user.
func pullUser(ctx context.Context, m *management.Management, perPage int, p *pacer, f *File, id string, methods, roles bool) (found bool, err error) {
	if methods {
		if err := p.wait(ctx); err != nil {
			return false, err
		}
		ms, found, err := userMethods(ctx, m, id, perPage)
		if err != nil || !found {
			return false, err
		}
		f.Users[id] = ms
	}
	if roles {
		if err := p.wait(ctx); err != nil {
			return false, err
		}
		rs, found, err := userRoles(ctx, m, id, perPage)
		if err != nil || !found {
			return false, err
		}
		f.Roles[id] = rs
	}
	return true, nil
}

// pacer spaces user requests at least interval apart.
type pacer struct {
	interval time.Duration
	sleep    func(ctx context.Context, d time.Duration) error
	last     time.Time
}

func (p *pacer) wait(ctx context.Context) error {
	if wait := p.interval - time.Since(p.last); p.interval > 0 && !p.last.IsZero() && wait > 0 {
		if err := p.sleep(ctx, wait); err != nil {
			return err
		}
	}
	p.last = time.Now()
	return nil
}

// userMethods reads every page of one user's authentication methods;
// found is false when the tenant has no such user.
func userMethods(ctx context.Context, m *management.Management, id string, perPage int) ([]Method, bool, error) {
	return allPages(epMethods, perPage, func(page, per int) ([]Method, bool, error) {
		list, err := m.User.ListAuthenticationMethods(ctx, id, management.Page(page), management.PerPage(per))
		if err != nil {
			return nil, false, err
		}
		ms := make([]Method, 0, len(list.Authenticators))
		for _, a := range list.Authenticators {
			ms = append(ms, methodOf(a))
		}
		return ms, list.HasNext(), nil
	})
}

// userRoles reads every page of one user's roles, keeping their names,
// sorted; found is false when the tenant has no such user.
func userRoles(ctx context.Context, m *management.Management, id string, perPage int) ([]string, bool, error) {
	names, found, err := allPages(epRoles, perPage, func(page, per int) ([]string, bool, error) {
		list, err := m.User.Roles(ctx, id, management.Page(page), management.PerPage(per))
		if err != nil {
			return nil, false, err
		}
		ns := make([]string, 0, len(list.Roles))
		for _, r := range list.Roles {
			ns = append(ns, r.GetName())
		}
		return ns, list.HasNext(), nil
	})
	names = slices.DeleteFunc(names, func(n string) bool { return n == "" })
	slices.Sort(names)
	return slices.Compact(names), found, err
}

// allPages reads a paged user endpoint from page 0 (perPage items a page,
// 0 meaning 50, the Management API's default) until get says no page
// follows or returns an empty one; found is false when the tenant has no
// such user (404).
func allPages[T any](ep endpoint, perPage int, get func(page, perPage int) ([]T, bool, error)) (all []T, found bool, err error) {
	if perPage <= 0 {
		perPage = 50
	}
	all = []T{}
	for page := 0; ; page++ {
		items, more, err := get(page, perPage)
		if err != nil {
			if isNotFound(err) {
				return nil, false, nil
			}
			return nil, false, ep.wrap(err)
		}
		all = append(all, items...)
		if !more || len(items) == 0 {
			return all, true, nil
		}
	}
}

func isNotFound(err error) bool {
	var me management.Error
	return errors.As(err, &me) && me.Status() == http.StatusNotFound
}

// methodOf keeps what decides which factors the user can use.
func methodOf(a *management.AuthenticationMethod) Method {
	m := Method{Type: a.GetType()}
	if a.Confirmed != nil && !*a.Confirmed {
		m.Confirmed = a.Confirmed
	}
	if a.AuthenticationMethods != nil {
		for _, l := range *a.AuthenticationMethods {
			if t := l.GetType(); t != "" && t != m.Type {
				m.Linked = append(m.Linked, t)
			}
		}
	}
	return m
}

func dedupe(ids []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, id := range ids {
		if id != "" && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

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
