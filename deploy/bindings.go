package deploy

import (
	"context"

	"github.com/auth0/go-auth0"
	"github.com/auth0/go-auth0/management"
)

// Binding is one entry of the post-login trigger's ordered binding list.
type Binding struct {
	// ActionID is empty for the Action a dry run would create.
	ActionID    string `json:"action_id,omitempty"`
	ActionName  string `json:"action_name"`
	DisplayName string `json:"display_name"`
}

// bindingsPerPage is the page size for reading bindings; go-auth0 asks
// for 50 by default, Auth0's default is 20.
const bindingsPerPage = 50

// readBindings reads every binding of the post-login trigger, in execution
// order, page by page. The response carries total, page (from 0) and
// per_page (https://auth0.com/docs/api/management/v2/actions/get-bindings);
// go-auth0 v1's List.HasNext reads start/limit, which this endpoint does
// not return, so the pages are counted here.
func readBindings(ctx context.Context, m *management.Management) ([]Binding, error) {
	var all []Binding
	for page := 0; ; page++ {
		l, err := m.Action.Bindings(ctx, Trigger, management.Page(page), management.PerPage(bindingsPerPage))
		if err != nil {
			return nil, opBindings.wrap(err)
		}
		for _, b := range l.Bindings {
			all = append(all, fromSDKBinding(b))
		}
		if lastPage(len(l.Bindings), len(all), l.Total) {
			return all, nil
		}
	}
}

// lastPage says whether a page of n items, bringing the count read to
// seen, is the last one. The server may return fewer than asked for, so
// total decides when it is given.
func lastPage(n, seen, total int) bool {
	if total > 0 {
		return n == 0 || seen >= total
	}
	return n < bindingsPerPage
}

func fromSDKBinding(b *management.ActionBinding) Binding {
	out := Binding{DisplayName: b.GetDisplayName()}
	if a := b.Action; a != nil {
		out.ActionID, out.ActionName = a.GetID(), a.GetName()
	} else if r := b.Ref; r != nil && r.GetType() == management.ActionBindingReferenceByID {
		out.ActionID = r.GetValue()
	}
	return out
}

// writeBindings replaces the whole post-login binding list. Auth0's PATCH
// is a full, ordered replacement: a binding left out is removed
// (https://auth0.com/docs/api/management/v2/actions/patch-bindings).
// Each entry refers to its Action by id, as the Terraform provider's
// auth0_trigger_action does when it appends to the list.
func writeBindings(ctx context.Context, m *management.Management, list []Binding) error {
	out := make([]*management.ActionBinding, 0, len(list))
	for _, b := range list {
		out = append(out, &management.ActionBinding{
			Ref: &management.ActionBindingReference{
				Type:  auth0.String(management.ActionBindingReferenceByID),
				Value: auth0.String(b.ActionID),
			},
			DisplayName: auth0.String(b.DisplayName),
		})
	}
	return opBind.wrap(m.Action.UpdateBindings(ctx, Trigger, out))
}

// place returns the binding list with ours at the requested position and
// every other binding kept in its order.
func place(cur []Binding, ours Binding, isOurs func(Binding) bool, pos Position) ([]Binding, error) {
	at := -1
	var others []Binding
	for i, b := range cur {
		if isOurs(b) {
			if at < 0 {
				at = i
				ours.DisplayName = b.DisplayName
			}
			continue
		}
		others = append(others, b)
	}
	switch pos.Kind {
	case Keep:
		if at >= 0 {
			return append([]Binding(nil), cur...), nil
		}
		return append(others, ours), nil
	case First:
		return append([]Binding{ours}, others...), nil
	case Last:
		return append(others, ours), nil
	}
	if pos.After == ours.ActionName {
		return nil, errAfterSelf(pos.After)
	}
	i := lastIndex(others, func(b Binding) bool { return b.ActionName == pos.After })
	if i < 0 {
		i = lastIndex(others, func(b Binding) bool { return b.DisplayName == pos.After })
	}
	if i < 0 {
		names := make([]string, len(others))
		for j, b := range others {
			names[j] = b.ActionName
		}
		return nil, errAfterNotBound(pos.After, names)
	}
	out := append([]Binding(nil), others[:i+1]...)
	out = append(out, ours)
	return append(out, others[i+1:]...), nil
}

func lastIndex(list []Binding, f func(Binding) bool) int {
	for i := len(list) - 1; i >= 0; i-- {
		if f(list[i]) {
			return i
		}
	}
	return -1
}

func sameBindings(a, b []Binding) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].ActionID != b[i].ActionID || a[i].DisplayName != b[i].DisplayName {
			return false
		}
	}
	return true
}
