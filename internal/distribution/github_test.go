package distribution

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"sync"
	"testing"
)

// fakeGitHub serves what the action downloads and calls: release files
// under /releases/download/VERSION/, and the issue comments of one
// repository, as GitHub's REST API documents them
// (https://docs.github.com/en/rest/issues/comments): pages of at most
// per_page (default 30, at most 100) comments, oldest first; create and
// update answer with the comment. Every API call needs the token.
type fakeGitHub struct {
	*httptest.Server
	t        *testing.T
	repo     string // owner/name
	token    string
	bot      string // the login the token comments as
	releases string // directory of release files

	mu       sync.Mutex
	comments []*comment
	nextID   int64
	calls    []string // "METHOD path" of every API call
}

type comment struct {
	ID     int64  `json:"id"`
	Issue  int    `json:"-"`
	Body   string `json:"body"`
	User   user   `json:"user"`
	Edited int    `json:"-"`
}

type user struct {
	Login string `json:"login"`
}

func newFakeGitHub(t *testing.T, releases string) *fakeGitHub {
	g := &fakeGitHub{t: t, repo: "acme/policies", token: "test-token-9f2c", bot: "github-actions[bot]", releases: releases, nextID: 1000}
	mux := http.NewServeMux()
	mux.Handle("GET /releases/download/", http.StripPrefix("/releases/download/", http.FileServer(http.Dir(releases))))
	mux.HandleFunc("GET /repos/{owner}/{name}/issues/{number}/comments", g.auth(g.list))
	mux.HandleFunc("POST /repos/{owner}/{name}/issues/{number}/comments", g.auth(g.create))
	mux.HandleFunc("PATCH /repos/{owner}/{name}/issues/comments/{id}", g.auth(g.update))
	g.Server = httptest.NewServer(mux)
	t.Cleanup(g.Close)
	return g
}

// seed adds a comment by someone else.
func (g *fakeGitHub) seed(issue int, login, body string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.nextID++
	g.comments = append(g.comments, &comment{ID: g.nextID, Issue: issue, Body: body, User: user{login}})
}

func (g *fakeGitHub) auth(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		g.mu.Lock()
		g.calls = append(g.calls, r.Method+" "+r.URL.Path)
		g.mu.Unlock()
		if r.Header.Get("Authorization") != "Bearer "+g.token {
			http.Error(w, `{"message":"Bad credentials"}`, http.StatusUnauthorized)
			return
		}
		if r.PathValue("owner")+"/"+r.PathValue("name") != g.repo {
			http.Error(w, `{"message":"Not Found"}`, http.StatusNotFound)
			return
		}
		h(w, r)
	}
}

func (g *fakeGitHub) list(w http.ResponseWriter, r *http.Request) {
	issue, _ := strconv.Atoi(r.PathValue("number"))
	perPage, page := 30, 1
	if v, err := strconv.Atoi(r.URL.Query().Get("per_page")); err == nil {
		perPage = min(v, 100)
	}
	if v, err := strconv.Atoi(r.URL.Query().Get("page")); err == nil {
		page = v
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	var all []*comment
	for _, c := range g.comments {
		if c.Issue == issue {
			all = append(all, c)
		}
	}
	from := min((page-1)*perPage, len(all))
	to := min(from+perPage, len(all))
	writeJSON(w, http.StatusOK, all[from:to])
}

func (g *fakeGitHub) create(w http.ResponseWriter, r *http.Request) {
	issue, _ := strconv.Atoi(r.PathValue("number"))
	body, ok := readBody(w, r)
	if !ok {
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	g.nextID++
	c := &comment{ID: g.nextID, Issue: issue, Body: body, User: user{g.bot}}
	g.comments = append(g.comments, c)
	writeJSON(w, http.StatusCreated, c)
}

func (g *fakeGitHub) update(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	body, ok := readBody(w, r)
	if !ok {
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, c := range g.comments {
		if c.ID == id {
			c.Body = body
			c.Edited++
			writeJSON(w, http.StatusOK, c)
			return
		}
	}
	http.Error(w, `{"message":"Not Found"}`, http.StatusNotFound)
}

// readBody reads the {"body": ...} of a create or an update; GitHub
// answers 422 without it.
func readBody(w http.ResponseWriter, r *http.Request) (string, bool) {
	var in struct{ Body *string }
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in.Body == nil {
		http.Error(w, `{"message":"body is missing"}`, http.StatusUnprocessableEntity)
		return "", false
	}
	return *in.Body, true
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(v)
}

// byBot returns the bot's comments on an issue.
func (g *fakeGitHub) byBot(issue int) []comment {
	g.mu.Lock()
	defer g.mu.Unlock()
	var out []comment
	for _, c := range g.comments {
		if c.Issue == issue && c.User.Login == g.bot {
			out = append(out, *c)
		}
	}
	return out
}

// callCount counts API calls matching a pattern of "METHOD path".
func (g *fakeGitHub) callCount(pattern string) int {
	re := regexp.MustCompile("^" + pattern + "$")
	g.mu.Lock()
	defer g.mu.Unlock()
	n := 0
	for _, c := range g.calls {
		if re.MatchString(c) {
			n++
		}
	}
	return n
}

func (g *fakeGitHub) String() string { return fmt.Sprintf("%d comments", len(g.comments)) }
