package deploy

import (
	"context"
	"fmt"
	"time"

	"github.com/auth0/go-auth0/management"

	"github.com/mfapolicy/mfapolicy/tenant"
)

// Options tune a deploy.
type Options struct {
	// Position is where the Action's binding goes.
	Position Position
	// Build bounds the wait for a new version to reach status "built".
	Build Backoff
	// Sleep waits between build checks; nil means a real timer. Tests pass
	// one that returns at once.
	Sleep func(ctx context.Context, d time.Duration) error
	// Tenant, when set, is the MFA configuration to apply around the
	// Action (a policy's `tenant:` section); nil leaves the tenant's
	// factors, message types and MFA policy alone and reads none of them.
	Tenant *tenant.Config
}

// Backoff is a bounded wait: checks Initial apart at first, the gap
// doubling up to Max, giving up once Timeout has been spent waiting.
// Zero fields take the defaults 500ms, 5s and 2m; deploy-cli waits about
// a minute for the same build.
type Backoff struct {
	Initial time.Duration
	Max     time.Duration
	Timeout time.Duration
}

func (o Options) withDefaults() Options {
	if o.Build.Initial <= 0 {
		o.Build.Initial = 500 * time.Millisecond
	}
	if o.Build.Max <= 0 {
		o.Build.Max = 5 * time.Second
	}
	if o.Build.Timeout <= 0 {
		o.Build.Timeout = 2 * time.Minute
	}
	if o.Sleep == nil {
		o.Sleep = sleepCtx
	}
	return o
}

// Operation is what a deploy does to the Action itself.
type Operation string

// Operations on the Action.
const (
	Create   Operation = "create"
	Update   Operation = "update"
	NoChange Operation = "none"
)

// Version identifies a deployed version of the Action.
type Version struct {
	ID     string `json:"id"`
	Number int    `json:"number"`
}

// Plan is what a deploy would do, computed from the tenant's current
// state without changing it. Its JSON form is the output of
// `mfapolicy deploy --dry-run --format json` and is stable.
type Plan struct {
	Action   string   `json:"action"`
	ActionID string   `json:"action_id,omitempty"`
	Runtime  string   `json:"runtime"`
	Trigger  string   `json:"trigger"`
	Position Position `json:"position"`
	// Operation is create, update or none.
	Operation Operation `json:"operation"`
	// Changes names the Action's fields an update changes: code, runtime,
	// supported_triggers.
	Changes []string `json:"changes"`
	// Deploy says a new version will be deployed.
	Deploy bool `json:"deploy"`
	// DeployedVersion is the version running now, if any.
	DeployedVersion *Version `json:"deployed_version,omitempty"`
	// CodeDiff is a unified diff of code.js from the deployed version to
	// the new one; empty when they are equal.
	CodeDiff string `json:"code_diff"`
	// Bind says the binding list will be rewritten.
	Bind           bool      `json:"bind"`
	BindingsBefore []Binding `json:"bindings_before"`
	BindingsAfter  []Binding `json:"bindings_after"`
	// Notes are things the user should know, such as undeployed edits on
	// the tenant that the deploy replaces.
	Notes []string `json:"notes"`
	// UpToDate says the deploy would change nothing.
	UpToDate bool `json:"up_to_date"`
	// Tenant is the drift of the tenant's MFA configuration and the
	// changes that remove it; present only when Options.Tenant is set.
	Tenant *TenantPlan `json:"tenant,omitempty"`

	want  Action
	opts  Options
	bound bool
}

// MakePlan reads the Action named a.Name and the post-login bindings, and
// works out what Apply will do to make the tenant run a: create or update
// the Action, deploy a new version, and bind it at opts.Position while
// keeping every other binding in its order. It only reads.
func MakePlan(ctx context.Context, m *management.Management, a Action, opts Options) (*Plan, error) {
	if err := a.validate(); err != nil {
		return nil, err
	}
	p := &Plan{
		Action: a.Name, Runtime: a.Runtime, Trigger: Trigger, Position: opts.Position,
		Operation: Create, Changes: []string{}, Notes: []string{},
		want: a, opts: opts.withDefaults(),
	}
	if opts.Tenant != nil {
		tp, err := PlanTenant(ctx, m, *opts.Tenant)
		if err != nil {
			return nil, err
		}
		p.Tenant = tp
	}
	cur, err := findAction(ctx, m, a.Name)
	if err != nil {
		return nil, err
	}
	var deployedCode []byte
	if cur != nil {
		p.ActionID = cur.GetID()
		if deployedCode, err = p.compareAction(ctx, m, cur); err != nil {
			return nil, err
		}
	} else {
		p.Deploy = true
	}
	p.CodeDiff = unifiedDiff(deployedCode, a.Code, deployedName(p.DeployedVersion), a.Name+" (new)")
	if err := p.planBindings(ctx, m); err != nil {
		return nil, err
	}
	p.UpToDate = p.ActionUpToDate() && !p.Tenant.Drift()
	return p, nil
}

// ActionUpToDate says the Action and its binding need no change.
func (p *Plan) ActionUpToDate() bool {
	return p.Operation == NoChange && !p.Deploy && !p.Bind
}

func deployedName(v *Version) string {
	if v == nil {
		return "deployed (none)"
	}
	return fmt.Sprintf("deployed (version %d)", v.Number)
}

// findAction returns the one Action named name, or nil. Auth0 filters by
// actionName (https://auth0.com/docs/api/management/v2/actions/get-actions);
// the exact match is checked here as well.
func findAction(ctx context.Context, m *management.Management, name string) (*management.Action, error) {
	var found []*management.Action
	seen := 0
	for page := 0; ; page++ {
		l, err := m.Action.List(ctx, management.Parameter("actionName", name),
			management.Page(page), management.PerPage(bindingsPerPage))
		if err != nil {
			return nil, opFind.wrap(err)
		}
		for _, a := range l.Actions {
			if a.GetName() == name {
				found = append(found, a)
			}
		}
		seen += len(l.Actions)
		if lastPage(len(l.Actions), seen, l.Total) {
			break
		}
	}
	switch len(found) {
	case 0:
		return nil, nil
	case 1:
		// The list may leave out code; read the Action itself.
		a, err := m.Action.Read(ctx, found[0].GetID())
		return a, opRead.wrap(err)
	}
	return nil, errNameTaken(name, len(found))
}

// compareAction fills the update and deploy decisions and returns the
// deployed code.
func (p *Plan) compareAction(ctx context.Context, m *management.Management, cur *management.Action) ([]byte, error) {
	if cur.GetCode() != string(p.want.Code) {
		p.Changes = append(p.Changes, "code")
	}
	if cur.GetRuntime() != p.want.Runtime {
		p.Changes = append(p.Changes, "runtime")
	}
	if !postLoginOnly(cur.SupportedTriggers) {
		p.Changes = append(p.Changes, "supported_triggers")
	}
	p.Operation = NoChange
	if len(p.Changes) > 0 {
		p.Operation = Update
	}
	dv := cur.DeployedVersion
	if dv == nil {
		p.Deploy = true
		return nil, nil
	}
	p.DeployedVersion = &Version{ID: dv.GetID(), Number: dv.Number}
	code := dv.Code
	if code == nil && dv.GetID() != "" {
		v, err := m.Action.Version(ctx, cur.GetID(), dv.GetID())
		if err != nil {
			return nil, opReadVersion.wrap(err)
		}
		code = v.Code
	}
	deployed := []byte(derefString(code))
	p.Deploy = p.Operation == Update || !cur.AllChangesDeployed || string(deployed) != string(p.want.Code)
	if cur.GetCode() != string(deployed) && cur.GetCode() != string(p.want.Code) {
		p.Notes = append(p.Notes, "the tenant has undeployed edits to this Action; deploying replaces them")
	}
	return deployed, nil
}

func postLoginOnly(ts []management.ActionTrigger) bool {
	return len(ts) == 1 && ts[0].GetID() == Trigger && ts[0].GetVersion() == TriggerVersion
}

func derefString(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func (p *Plan) planBindings(ctx context.Context, m *management.Management) error {
	cur, err := readBindings(ctx, m)
	if err != nil {
		return err
	}
	after, bound, err := p.merge(cur)
	if err != nil {
		return err
	}
	p.BindingsBefore, p.BindingsAfter, p.bound = nonNil(cur), after, bound
	p.Bind = !sameBindings(cur, after)
	return nil
}

// merge places the Action into the binding list cur, and says whether it
// is in cur already.
func (p *Plan) merge(cur []Binding) ([]Binding, bool, error) {
	ours := Binding{ActionID: p.ActionID, ActionName: p.Action, DisplayName: p.Action}
	isOurs := func(b Binding) bool { return p.ActionID != "" && b.ActionID == p.ActionID }
	bound := false
	for _, b := range cur {
		bound = bound || isOurs(b)
	}
	after, err := place(cur, ours, isOurs, p.opts.Position)
	return nonNil(after), bound, err
}

func nonNil(b []Binding) []Binding {
	if b == nil {
		return []Binding{}
	}
	return b
}
