package deploy

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/auth0/go-auth0"
	"github.com/auth0/go-auth0/management"
)

// StepKind names a step of Apply.
type StepKind string

// Steps of Apply, in the order they run.
const (
	StepCreate    StepKind = "create"
	StepUpdate    StepKind = "update"
	StepWaitBuild StepKind = "wait-build"
	StepDeploy    StepKind = "deploy"
	StepBind      StepKind = "bind"
	StepVerify    StepKind = "verify"
)

// Step is progress reported by Apply as it goes.
type Step struct {
	Kind    StepKind `json:"step"`
	Message string   `json:"message"`
}

// Result is what Apply did. Its JSON form is the "result" of
// `mfapolicy deploy --format json` and is stable.
type Result struct {
	// Plan is the plan applied; the CLI prints it beside the result.
	Plan     *Plan  `json:"-"`
	ActionID string `json:"action_id"`
	// Version is the version deployed by this run, if any.
	Version *Version `json:"version,omitempty"`
	Steps   []Step   `json:"steps"`
	// Bindings is the post-login binding list as read back at the end.
	Bindings []Binding `json:"bindings"`
	UpToDate bool      `json:"up_to_date"`
}

// Apply carries out the plan: create or update the Action, wait for its
// build, deploy it, merge its binding into the post-login list and write
// the list back, then read everything back to verify. progress, when not
// nil, hears of each step. An up-to-date plan changes nothing.
//
// Apply records in p the Action's id and the binding list it wrote.
// On failure the error is an *Error whose State says what the tenant
// looks like; running the same deploy again converges.
func Apply(ctx context.Context, m *management.Management, p *Plan, progress func(Step)) (*Result, error) {
	r := &run{m: m, p: p, progress: progress, res: &Result{Plan: p, ActionID: p.ActionID, Steps: []Step{}, Bindings: p.BindingsBefore}}
	if p.UpToDate {
		r.res.UpToDate = true
		return r.res, nil
	}
	r.wasBound = p.bound
	steps := r.steps()
	for i, s := range steps {
		if err := s.fn(ctx); err != nil {
			e := &Error{Step: s.kind, State: r.failState(s.kind, err), Err: err}
			if p.Tenant != nil {
				e.Done, e.Left = stepNames(steps[:i]), stepNames(steps[i:])
			}
			return r.res, e
		}
	}
	return r.res, nil
}

// stepFn is one step of Apply, named as a failure lists it.
type stepFn struct {
	kind StepKind
	name string
	fn   func(context.Context) error
}

// steps lists what Apply does, in order: the MFA changes the new Action
// needs first, then the Action's own steps (when it changes), then the
// MFA changes that must wait until it is live.
func (r *run) steps() []stepFn {
	p := r.p
	var before, after []stepFn
	if p.Tenant != nil {
		for _, c := range p.Tenant.Changes {
			s := stepFn{kind: c.Step, name: c.String(), fn: r.tenantStep(c)}
			if c.AfterAction {
				after = append(after, s)
			} else {
				before = append(before, s)
			}
		}
	}
	if p.Tenant != nil && p.ActionUpToDate() {
		return append(before, after...)
	}
	out := before
	if p.Operation == Create {
		out = append(out, stepFn{StepCreate, string(StepCreate), r.create})
	}
	if p.Operation == Update {
		out = append(out, stepFn{StepUpdate, string(StepUpdate), r.update})
	}
	if p.Deploy {
		out = append(out, stepFn{StepDeploy, string(StepDeploy), r.deploy})
	}
	out = append(out, stepFn{StepBind, string(StepBind), r.bind}, stepFn{StepVerify, string(StepVerify), r.verify})
	return append(out, after...)
}

func stepNames(steps []stepFn) []string {
	out := []string{}
	for _, s := range steps {
		out = append(out, s.name)
	}
	return out
}

// tenantStep makes one MFA change and reports it.
func (r *run) tenantStep(c TenantChange) func(context.Context) error {
	return func(ctx context.Context) error {
		r.tenantAfter = r.tenantAfter || c.AfterAction
		if err := applyTenant(ctx, r.m, c, r.p.Tenant.Want); err != nil {
			return err
		}
		switch c.Step {
		case StepEnableFactor, StepDisableFactor:
			r.step(c.Step, "%s factor %s (%s)", c.To, c.Target, c.Endpoint)
		default:
			r.step(c.Step, "set %s from %s to %s (%s)", c.Target, c.From, c.To, c.Endpoint)
		}
		return nil
	}
}

// run is one Apply in progress and what it has changed so far.
type run struct {
	m        *management.Management
	p        *Plan
	progress func(Step)
	res      *Result

	created, updated, deployed, wasBound bool
	// tenantAfter says the MFA changes that wait for the Action began.
	tenantAfter bool
	waited      time.Duration
}

func (r *run) step(kind StepKind, format string, args ...any) {
	s := Step{Kind: kind, Message: fmt.Sprintf(format, args...)}
	r.res.Steps = append(r.res.Steps, s)
	if r.progress != nil {
		r.progress(s)
	}
}

// failState describes the tenant after err in step. A write that got no
// answer or a server error may or may not have taken effect.
func (r *run) failState(step StepKind, err error) string {
	var e *APIError
	if errors.As(err, &e) && !strings.HasPrefix(e.Endpoint, "GET ") && (e.Status == 0 || e.Status >= 500) {
		return fmt.Sprintf(stateUncertain, e.Op, r.state(step))
	}
	return r.state(step)
}

// state describes the tenant after a failure in step.
func (r *run) state(step StepKind) string {
	switch {
	case step == StepEnableFactor || step == StepDisableFactor || step == StepMessageTypes || step == StepMFAPolicy:
		return r.tenantState()
	case step == StepVerify:
		return stateBindUnverified
	case r.deployed && r.wasBound:
		return stateDeployedBound
	case r.deployed:
		return stateDeployedUnbound
	case r.created:
		return stateCreatedOnly
	case r.updated && r.wasBound:
		return stateUpdatedOnly
	case r.updated:
		return stateUpdatedUnbound
	case step == StepBind:
		return stateUnchanged + ": the deployed version and the bindings are as they were"
	}
	return stateUnchanged
}

// tenantState describes the tenant after a failed MFA change: before the
// Action changed, or once it is live.
func (r *run) tenantState() string {
	if r.tenantAfter {
		return stateTenantAfter
	}
	return stateTenantBefore
}

func (r *run) create(ctx context.Context) error {
	if r.p.Operation != Create {
		return nil
	}
	act := r.p.want.payload()
	if err := r.m.Action.Create(ctx, act); err != nil {
		return opCreate.wrap(err)
	}
	r.created = true
	r.res.ActionID = act.GetID()
	r.step(StepCreate, "created Action %q (%s)", r.p.want.Name, act.GetID())
	return nil
}

func postLoginTriggers() []management.ActionTrigger {
	return []management.ActionTrigger{{ID: auth0.String(Trigger), Version: auth0.String(TriggerVersion)}}
}

func (r *run) update(ctx context.Context) error {
	if r.p.Operation != Update {
		return nil
	}
	act := r.p.want.payload()
	if err := r.m.Action.Update(ctx, r.res.ActionID, act); err != nil {
		return opUpdate.wrap(err)
	}
	r.updated = true
	r.step(StepUpdate, "updated Action %q: %s", r.p.want.Name, strings.Join(r.p.Changes, ", "))
	return nil
}

// deploy waits for the build and deploys. Auth0 refuses to deploy an
// Action that is not in the "built" state; deploy-cli retries on exactly
// that message, and so does this, within the same bounded wait.
func (r *run) deploy(ctx context.Context) error {
	if !r.p.Deploy {
		return nil
	}
	for {
		if err := r.waitBuilt(ctx); err != nil {
			return err
		}
		v, err := r.m.Action.Deploy(ctx, r.res.ActionID)
		if err != nil {
			if notBuilt(err) && r.waited < r.p.opts.Build.Timeout {
				continue
			}
			return opDeploy.wrap(err)
		}
		r.deployed = true
		r.res.Version = &Version{ID: v.GetID(), Number: v.Number}
		r.step(StepDeploy, "deployed version %d of %q", v.Number, r.p.Action)
		return nil
	}
}

func notBuilt(err error) bool {
	e, ok := err.(management.Error)
	return ok && e.Status() == http.StatusBadRequest && strings.Contains(e.Error(), "'built' state")
}

// waitBuilt polls the Action until its status is "built", backing off
// within opts.Build.
func (r *run) waitBuilt(ctx context.Context) error {
	b := r.p.opts.Build
	gap := b.Initial
	for {
		a, err := r.m.Action.Read(ctx, r.res.ActionID)
		if err != nil {
			return opRead.wrap(err)
		}
		switch status := a.GetStatus(); status {
		case management.ActionStatusBuilt:
			return nil
		case management.ActionStatusFailed:
			return errBuildFailed(nil)
		default:
			if r.waited >= b.Timeout {
				return errBuildTimeout(b.Timeout, status)
			}
			gap = min(gap, b.Timeout-r.waited)
			r.step(StepWaitBuild, "build status %q; checking again in %s", status, gap)
			if err := r.p.opts.Sleep(ctx, gap); err != nil {
				return err
			}
			r.waited += gap
			gap = min(2*gap, b.Max)
		}
	}
}

// bind re-reads the bindings, so that a change made since the plan is not
// lost, places the Action again, and writes the list if it differs.
func (r *run) bind(ctx context.Context) error {
	cur, err := readBindings(ctx, r.m)
	if err != nil {
		return err
	}
	r.p.ActionID = r.res.ActionID
	after, _, err := r.p.merge(cur)
	if err != nil {
		return err
	}
	r.p.BindingsAfter = after
	if sameBindings(cur, after) {
		r.res.Bindings = nonNil(cur)
		return nil
	}
	if err := writeBindings(ctx, r.m, after); err != nil {
		return err
	}
	r.step(StepBind, "bound %q to post-login at position %d of %d", r.p.Action, indexOf(after, r.res.ActionID)+1, len(after))
	return nil
}

func indexOf(list []Binding, id string) int {
	for i, b := range list {
		if b.ActionID == id {
			return i
		}
	}
	return -1
}

// verify reads back the deployed code and the binding list.
func (r *run) verify(ctx context.Context) error {
	a, err := r.m.Action.Read(ctx, r.res.ActionID)
	if err != nil {
		return opRead.wrap(err)
	}
	if dv := a.DeployedVersion; dv == nil || (dv.Code != nil && *dv.Code != string(r.p.want.Code)) {
		return fmt.Errorf("read back, the Action's deployed code is not the code just deployed")
	}
	got, err := readBindings(ctx, r.m)
	if err != nil {
		return err
	}
	r.res.Bindings = got
	if !sameBindings(got, r.p.BindingsAfter) {
		return fmt.Errorf("read back, the post-login bindings are %s, not %s", names(got), names(r.p.BindingsAfter))
	}
	r.step(StepVerify, "verified: deployed code and %d binding(s) read back as written", len(got))
	return nil
}

func names(list []Binding) string {
	s := make([]string, len(list))
	for i, b := range list {
		s[i] = b.ActionName
	}
	return "[" + strings.Join(s, ", ") + "]"
}

// payload is the Management API body that creates or updates the Action.
func (a Action) payload() *management.Action {
	return &management.Action{
		Name:              auth0.String(a.Name),
		Code:              auth0.String(string(a.Code)),
		Runtime:           auth0.String(a.Runtime),
		SupportedTriggers: postLoginTriggers(),
	}
}
