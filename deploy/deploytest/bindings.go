package deploytest

import "net/http"

// binding is one entry of a trigger's ordered binding list.
type binding struct {
	ID          string  `json:"id"`
	TriggerID   string  `json:"trigger_id"`
	DisplayName string  `json:"display_name"`
	Action      *action `json:"action"`
	CreatedAt   string  `json:"created_at"`
	UpdatedAt   string  `json:"updated_at"`
}

func (s *Server) newBinding(a *action, display string) *binding {
	now := s.now()
	return &binding{ID: s.nextID("b"), TriggerID: "post-login", DisplayName: display, Action: a, CreatedAt: now, UpdatedAt: now}
}

// readBindings lists post-login's bindings in execution order, a page at
// a time (https://auth0.com/docs/api/management/v2/actions/get-bindings).
// Only post-login is modelled; other triggers have no bindings.
func (s *Server) readBindings(w http.ResponseWriter, r *http.Request) {
	list := []*binding{}
	if r.PathValue("triggerId") == "post-login" {
		list = s.bindings
	}
	page, per := s.page(r)
	writeJSON(w, http.StatusOK, map[string]any{"total": len(list), "page": page, "per_page": per, "bindings": window(list, page, per)})
}

type bindingsBody struct {
	Bindings []struct {
		Ref *struct {
			Type  string `json:"type"`
			Value string `json:"value"`
		} `json:"ref"`
		DisplayName *string `json:"display_name"`
	} `json:"bindings"`
}

// updateBindings replaces the whole ordered list
// (https://auth0.com/docs/api/management/v2/actions/patch-bindings). Each
// entry names its Action by action_id, action_name or binding_id. An
// Action that was never deployed cannot be bound.
func (s *Server) updateBindings(w http.ResponseWriter, r *http.Request) {
	var b bindingsBody
	if r.PathValue("triggerId") != "post-login" || !readJSON(r, &b) || b.Bindings == nil {
		apiError(w, http.StatusBadRequest, "Payload validation error: 'Missing required property: bindings'.")
		return
	}
	var out []*binding
	for _, e := range b.Bindings {
		if e.Ref == nil {
			apiError(w, http.StatusBadRequest, "Payload validation error: 'Missing required property: ref'.")
			return
		}
		a := s.resolve(e.Ref.Type, e.Ref.Value)
		if a == nil {
			apiError(w, http.StatusNotFound, "The action does not exist.")
			return
		}
		if a.DeployedVersion == nil {
			apiError(w, http.StatusBadRequest, "The action '"+a.Name+"' must be deployed before it can be bound.")
			return
		}
		display := a.Name
		if e.DisplayName != nil {
			display = *e.DisplayName
		}
		out = append(out, s.newBinding(a, display))
	}
	s.bindings = out
	writeJSON(w, http.StatusOK, map[string]any{"bindings": nonNil(out)})
	if s.race != nil {
		s.bindings = nil
		for _, n := range s.race {
			if a := s.byName(n); a != nil {
				s.bindings = append(s.bindings, s.newBinding(a, n))
			}
		}
		s.race = nil
	}
}

func (s *Server) resolve(kind, value string) *action {
	switch kind {
	case "action_id":
		return s.byID(value)
	case "action_name":
		return s.byName(value)
	case "binding_id":
		for _, b := range s.bindings {
			if b.ID == value {
				return b.Action
			}
		}
	}
	return nil
}

func nonNil(b []*binding) []*binding {
	if b == nil {
		return []*binding{}
	}
	return b
}
