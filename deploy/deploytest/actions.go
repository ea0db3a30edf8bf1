package deploytest

import (
	"net/http"
)

type trigger struct {
	ID      string `json:"id"`
	Version string `json:"version"`
}

// action is an Action as GET /api/v2/actions/actions/{id} returns it.
type action struct {
	ID                 string    `json:"id"`
	Name               string    `json:"name"`
	SupportedTriggers  []trigger `json:"supported_triggers"`
	AllChangesDeployed bool      `json:"all_changes_deployed"`
	CreatedAt          string    `json:"created_at"`
	UpdatedAt          string    `json:"updated_at"`
	Code               string    `json:"code"`
	Dependencies       []any     `json:"dependencies"`
	Runtime            string    `json:"runtime"`
	Secrets            []any     `json:"secrets"`
	DeployedVersion    *version  `json:"deployed_version,omitempty"`
	Status             string    `json:"status"`
	BuiltAt            string    `json:"built_at,omitempty"`

	versions []*version
	pending  int
}

// version is an immutable deployed version of an Action.
type version struct {
	ID           string `json:"id"`
	ActionID     string `json:"action_id"`
	Code         string `json:"code"`
	Dependencies []any  `json:"dependencies"`
	Deployed     bool   `json:"deployed"`
	Runtime      string `json:"runtime"`
	Secrets      []any  `json:"secrets"`
	Status       string `json:"status"`
	Number       int    `json:"number"`
	Errors       []any  `json:"errors"`
	BuiltAt      string `json:"built_at"`
	CreatedAt    string `json:"created_at"`
	UpdatedAt    string `json:"updated_at"`
}

func (s *Server) newAction(name, code, runtime string, ts []trigger) *action {
	now := s.now()
	a := &action{
		ID: s.nextID("a"), Name: name, SupportedTriggers: ts, CreatedAt: now, UpdatedAt: now,
		Code: code, Dependencies: []any{}, Runtime: runtime, Secrets: []any{},
	}
	s.actions = append(s.actions, a)
	s.changed(a)
	return a
}

// changed starts a build of the Action's draft.
func (s *Server) changed(a *action) {
	a.Status, a.pending, a.AllChangesDeployed = "building", s.buildReads, false
	a.UpdatedAt = s.now()
}

// progress advances the build by one read.
func (a *action) progress() {
	if a.Status != "building" {
		return
	}
	switch {
	case a.pending == -2:
		a.Status = "failed"
	case a.pending == 0:
		a.Status = "built"
	case a.pending > 0:
		a.pending--
	}
}

func (s *Server) deploy(a *action) *version {
	for _, v := range a.versions {
		v.Deployed = false
	}
	now := s.now()
	v := &version{
		ID: s.nextID("v"), ActionID: a.ID, Code: a.Code, Dependencies: []any{}, Deployed: true,
		Runtime: a.Runtime, Secrets: []any{}, Status: "built", Number: len(a.versions) + 1,
		Errors: []any{}, BuiltAt: now, CreatedAt: now, UpdatedAt: now,
	}
	a.versions = append(a.versions, v)
	cp := *v
	a.DeployedVersion, a.AllChangesDeployed, a.BuiltAt = &cp, true, now
	return v
}

// listActions filters by actionName and triggerId and pages
// (https://auth0.com/docs/api/management/v2/actions/get-actions).
func (s *Server) listActions(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	list := []*action{}
	for _, a := range s.actions {
		if n := q.Get("actionName"); n != "" && a.Name != n {
			continue
		}
		if t := q.Get("triggerId"); t != "" && (len(a.SupportedTriggers) == 0 || a.SupportedTriggers[0].ID != t) {
			continue
		}
		list = append(list, a)
	}
	page, per := s.page(r)
	writeJSON(w, http.StatusOK, map[string]any{"total": len(list), "page": page, "per_page": per, "actions": window(list, page, per)})
}

type actionBody struct {
	Name              *string   `json:"name"`
	Code              *string   `json:"code"`
	Runtime           *string   `json:"runtime"`
	SupportedTriggers []trigger `json:"supported_triggers"`
}

// createAction (https://auth0.com/docs/api/management/v2/actions/post-action).
// The 409 wording for a taken name is not documented; this one is made up.
func (s *Server) createAction(w http.ResponseWriter, r *http.Request) {
	var b actionBody
	if !readJSON(r, &b) || b.Name == nil || *b.Name == "" || len(b.SupportedTriggers) == 0 {
		apiError(w, http.StatusBadRequest, "Payload validation error: 'Missing required property: name, supported_triggers'.")
		return
	}
	if s.byName(*b.Name) != nil {
		apiError(w, http.StatusConflict, "An action with the name '"+*b.Name+"' already exists.")
		return
	}
	runtime := "node22"
	if b.Runtime != nil {
		runtime = *b.Runtime
	}
	a := s.newAction(*b.Name, deref(b.Code), runtime, b.SupportedTriggers)
	writeJSON(w, http.StatusCreated, a)
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func (s *Server) readAction(w http.ResponseWriter, r *http.Request) {
	a := s.byID(r.PathValue("id"))
	if a == nil {
		apiError(w, http.StatusNotFound, "The action does not exist.")
		return
	}
	a.progress()
	writeJSON(w, http.StatusOK, a)
}

// updateAction changes the draft; a flow runs it only once deployed
// (https://auth0.com/docs/api/management/v2/actions/patch-action).
func (s *Server) updateAction(w http.ResponseWriter, r *http.Request) {
	a := s.byID(r.PathValue("id"))
	if a == nil {
		apiError(w, http.StatusNotFound, "The action does not exist.")
		return
	}
	var b actionBody
	if !readJSON(r, &b) {
		apiError(w, http.StatusBadRequest, "Payload validation error: 'Invalid JSON'.")
		return
	}
	if b.Name != nil {
		a.Name = *b.Name
	}
	if b.Code != nil {
		a.Code = *b.Code
	}
	if b.Runtime != nil {
		a.Runtime = *b.Runtime
	}
	if b.SupportedTriggers != nil {
		a.SupportedTriggers = b.SupportedTriggers
	}
	s.changed(a)
	writeJSON(w, http.StatusOK, a)
}

// deployAction creates an immutable version and deploys it
// (https://auth0.com/docs/api/management/v2/actions/post-deploy-action).
// An Action not yet built is refused with the message deploy-cli retries
// on ("must be in the 'built' state").
func (s *Server) deployAction(w http.ResponseWriter, r *http.Request) {
	a := s.byID(r.PathValue("id"))
	if a == nil {
		apiError(w, http.StatusNotFound, "The action does not exist.")
		return
	}
	if a.Status != "built" {
		apiError(w, http.StatusBadRequest, "An action must be in the 'built' state before it can be deployed.")
		return
	}
	v := s.deploy(a)
	writeJSON(w, http.StatusAccepted, v)
}

func (s *Server) readVersion(w http.ResponseWriter, r *http.Request) {
	if a := s.byID(r.PathValue("actionId")); a != nil {
		for _, v := range a.versions {
			if v.ID == r.PathValue("id") {
				writeJSON(w, http.StatusOK, v)
				return
			}
		}
	}
	apiError(w, http.StatusNotFound, "The version does not exist.")
}
