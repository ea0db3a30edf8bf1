package explain

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/mfapolicy/mfapolicy/policy"
	"github.com/mfapolicy/mfapolicy/simulate"
	"github.com/mfapolicy/mfapolicy/simulate/input"
)

// Result is the explanation of one decision; text and JSON are views of it.
type Result struct {
	Policy string `json:"policy"`
	// Event names the login: its file, line and id.
	Event EventRef `json:"event"`
	// Rules are the policy's rules in order, as cel-go evaluated them.
	Rules []policy.RuleTrace `json:"rules"`
	// Reference is the decision of the reference evaluator (cel-go).
	Reference policy.Decision `json:"reference"`
	// Action is what the compiled Action did with the same event in the
	// simulator: its calls and the outcome Auth0 would give them.
	Action simulate.Decision `json:"action"`
	// Assumption states how the user's enrolled factors were known.
	Assumption string `json:"assumption,omitempty"`
	// Multifactor states how event.user.multifactor was derived when the
	// event does not carry it, as Auth0 fills it (simulate.DeriveMultifactor),
	// for a policy whose rules read it (or event.user).
	Multifactor string `json:"multifactor,omitempty"`
	// Agree is false when the Action's deciding rule differs from the
	// reference evaluator's, which would be a compiler bug.
	Agree bool `json:"agree"`
}

// EventRef locates the explained event.
type EventRef struct {
	File string `json:"file"`
	Line int    `json:"line"`
	ID   string `json:"id,omitempty"`
}

// Options configure an explanation.
type Options struct {
	// AssumeEnrolled are the factor types filled into event.user.enrolledFactors
	// when the event lacks them (as simulate does); nil means all factors.
	AssumeEnrolled []string
	// EnabledFactors are the factors enabled on the tenant; nil means all.
	EnabledFactors []string
	// Tenant is the tenant context the Action's decision follows.
	Tenant *simulate.Tenant
	// Policy names the policy file in the output.
	Policy string
	// Now is the time of the login: the policy's `now` for cel-go and the
	// Action's clock; zero is the wall clock.
	Now time.Time
}

// Explain traces ev (a post-login event object, as read by simulate's
// reader) through the policy with cel-go and through code with the
// simulator.
func Explain(ctx context.Context, p *policy.Policy, code []byte, ev input.Event, opts Options) (*Result, error) {
	if t := opts.Tenant; t != nil && !ev.HasEnrolled {
		// The tenant context's enrolments for the user, as simulate
		// uses them.
		if list, ok := t.Users[simulate.UserID(ev)]; ok {
			opts.AssumeEnrolled = list
		}
	}
	if opts.AssumeEnrolled == nil {
		opts.AssumeEnrolled = simulate.AllFactors()
	}
	data, assumption, mf, err := withAssumption(ev.JSON, ev.HasEnrolled, opts.AssumeEnrolled)
	if err != nil {
		return nil, err
	}
	r := &Result{Policy: opts.Policy, Event: EventRef{File: ev.File, Line: ev.Line, ID: ev.ID}, Assumption: assumption}
	if readsMultifactor(p) {
		r.Multifactor = mf
	}
	var decoded any
	if err := json.Unmarshal(data, &decoded); err != nil {
		return nil, fmt.Errorf("%s:%d: %w", ev.File, ev.Line, err)
	}
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	tr := p.TraceAt(decoded, opts.Now)
	r.Rules, r.Reference = tr.Rules, tr.Decision

	var got []simulate.Decision
	_, err = simulate.Run(ctx, simulate.Options{
		Code: code, CodeName: opts.Policy, Workers: 1, KeepEvents: true, Strict: true,
		AssumeEnrolled: opts.AssumeEnrolled, EnabledFactors: opts.EnabledFactors, Tenant: opts.Tenant, Now: opts.Now, FixedNow: true,
		Inputs: []input.Input{input.ReaderInput(ev.File, bytes.NewReader(data))},
		OnDecision: func(d simulate.Decision) error {
			got = append(got, d)
			return nil
		},
	})
	if err != nil {
		return nil, err
	}
	if len(got) != 1 {
		return nil, fmt.Errorf("%s:%d: the simulator made %d decisions for one event", ev.File, ev.Line, len(got))
	}
	r.Action = got[0]
	r.Action.File, r.Action.Line, r.Action.ID = ev.File, ev.Line, ev.ID
	r.Agree = r.Action.Rule == r.Reference.Rule && (r.Action.Error != "") == (r.Reference.Error != "")
	return r, nil
}

// withAssumption fills the assumed enrolled factors into an event that has
// none, and event.user.multifactor into one without it (mf states how),
// exactly as simulate does, so that cel-go and the Action see the same
// event.
func withAssumption(data []byte, has bool, assumed []string) (out []byte, desc, mf string, err error) {
	var ev map[string]any
	if err := json.Unmarshal(data, &ev); err != nil {
		return nil, "", "", err
	}
	desc = "enrolled factors read from event.user.enrolledFactors"
	changed := false
	if !has {
		desc = "no event.user.enrolledFactors: assumed enrolled in " + simulate.DescribeFactors(assumed) + " (filled into the event)"
		changed = fillEnrolled(ev, assumed)
	}
	if mf = simulate.DeriveMultifactor(ev); mf != "" {
		changed = true
	}
	if !changed {
		return data, desc, mf, nil
	}
	out, err = json.Marshal(ev)
	return out, desc, mf, err
}

// readsMultifactor tells whether a rule reads event.user.multifactor, or
// event.user or the event as values: the derived value is then stated,
// as simulate's summary states it.
func readsMultifactor(p *policy.Policy) bool {
	for _, fields := range p.RuleFields() {
		for _, f := range fields {
			if f == "user" || f == "user.multifactor" {
				return true
			}
		}
	}
	return false
}

// fillEnrolled sets event.user.enrolledFactors to the assumed factors,
// making event.user when it is absent or null; false for a user of
// another JSON type, which is left alone.
func fillEnrolled(ev map[string]any, assumed []string) bool {
	user, ok := ev["user"].(map[string]any)
	if ev["user"] == nil {
		user, ok = map[string]any{}, true
		ev["user"] = user
	}
	if !ok {
		return false
	}
	factors := make([]any, len(assumed))
	for i, f := range assumed {
		factors[i] = map[string]any{"type": f}
	}
	user["enrolledFactors"] = factors
	return true
}
