package logs_test

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mfapolicy/mfapolicy/deploy"
	"github.com/mfapolicy/mfapolicy/deploy/deploytest"
	"github.com/mfapolicy/mfapolicy/logs"
)

var start = time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)

// env is a fake tenant with 2,500 logins, a client for it whose waits
// are recorded instead of slept, and an output file.
type env struct {
	srv   *deploytest.Server
	out   string
	mu    sync.Mutex
	waits []time.Duration
}

func newEnv(t *testing.T, name string) *env {
	t.Helper()
	e := &env{srv: deploytest.New(), out: filepath.Join(t.TempDir(), name)}
	t.Cleanup(e.srv.Close)
	e.srv.AddLogins(2500, start)
	return e
}

func (e *env) client(t *testing.T, secret string) *deploy.Credentials {
	return &deploy.Credentials{Domain: e.srv.Domain(), ClientID: e.srv.ClientID, ClientSecret: secret}
}

// pull runs one pull into the output, as logs pull does: open, pull,
// commit.
func (e *env) pull(t *testing.T, ctx context.Context, opts logs.Options, secret string) (logs.Stats, error) {
	t.Helper()
	m, err := deploy.NewClient(ctx, *e.client(t, secret), deploy.ClientOptions{Retry: deploy.RetryPolicy{
		Sleep: func(_ context.Context, d time.Duration) error {
			e.mu.Lock()
			defer e.mu.Unlock()
			e.waits = append(e.waits, d)
			return nil
		},
	}})
	if err != nil {
		t.Fatal(err)
	}
	out, err := logs.OpenOutput(e.out, logs.CheckpointPath(e.out))
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	if r := out.Resume().LogID; r != "" {
		opts.From = r
	}
	st, perr := logs.Pull(ctx, m, opts, out)
	if err := out.Commit(); err != nil {
		t.Fatal(err)
	}
	return st, perr
}

// ids reads the log_ids of the output, in order.
func (e *env) ids(t *testing.T) []string {
	t.Helper()
	f, err := os.Open(e.out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(e.out, ".gz") {
		zr, err := gzip.NewReader(f)
		if err != nil {
			t.Fatal(err)
		}
		r = zr
	}
	var ids []string
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var rec struct {
			LogID string `json:"log_id"`
		}
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatalf("line %d: %v", len(ids)+1, err)
		}
		ids = append(ids, rec.LogID)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return ids
}

// wantAll asserts the output holds logs first..2500, in order, each once.
func (e *env) wantAll(t *testing.T, first int) {
	t.Helper()
	ids := e.ids(t)
	if len(ids) != 2500-first+1 {
		t.Fatalf("%d logs written, want %d", len(ids), 2500-first+1)
	}
	for i, id := range ids {
		if want := deploytest.LogID(first + i); id != want {
			t.Fatalf("log %d is %s, want %s", i+1, id, want)
		}
	}
}

// froms lists the from parameter of each checkpoint request, and "search"
// for each date search.
func froms(t *testing.T, queries []string) []string {
	var out []string
	for _, q := range queries {
		v, err := url.ParseQuery(q)
		if err != nil {
			t.Fatal(err)
		}
		if v.Has("from") {
			out = append(out, v.Get("from"))
		} else {
			out = append(out, "search")
		}
	}
	return out
}

func TestPullAllInOrderOnce(t *testing.T) {
	e := newEnv(t, "logins.ndjson")
	// The third request is rate-limited for 7 seconds, a later one is
	// unavailable once.
	e.srv.FailAfter(deploytest.RouteLogs, 2, 429, 1, "Retry-After", "7")
	e.srv.FailAfter(deploytest.RouteLogs, 9, 503, 1)
	st, err := e.pull(t, context.Background(), logs.Options{Since: start.Add(-time.Hour)}, e.srv.ClientSecret)
	if err != nil {
		t.Fatal(err)
	}
	e.wantAll(t, 1)
	if st.Kept != 2500 || st.Checkpoint != deploytest.LogID(2500) {
		t.Errorf("stats %+v, want 2500 kept up to the last log", st)
	}
	if len(e.waits) != 2 || e.waits[0] != 7*time.Second || e.waits[1] != time.Second {
		t.Errorf("waits %v, want [7s 1s]: Retry-After, then the first backoff", e.waits)
	}
	// No log before --since, so the first log comes from the oldest-first
	// search; then pages from it, each from the last log of the one
	// before, up to the empty page after log 2500 that ends the pull. The
	// 429 (the third request) and the 503 (the tenth) are asked again.
	got := froms(t, e.srv.LogQueries())
	want := []string{"search", "search"}
	for i, n := range []int{1, 101, 201, 301, 401, 501, 601, 701, 801, 901, 1001, 1101, 1201, 1301, 1401, 1501, 1601, 1701, 1801, 1901, 2001, 2101, 2201, 2301, 2401, 2500} {
		want = append(want, deploytest.LogID(n))
		if i == 0 || i == 6 {
			want = append(want, deploytest.LogID(n))
		}
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("requests from:\n%v\nwant\n%v", got, want)
	}
}

func TestPullResumesAfterServerErrors(t *testing.T) {
	e := newEnv(t, "logins.ndjson.gz")
	// Two searches and ten pages (1,001 logs) succeed, then the API
	// answers 500 to everything.
	e.srv.FailAfter(deploytest.RouteLogs, 12, 500, 0)
	st, err := e.pull(t, context.Background(), logs.Options{Since: start}, e.srv.ClientSecret)
	if deploy.HTTPStatus(err) != 500 || !strings.Contains(err.Error(), "could not read the tenant logs (GET /api/v2/logs): 500") {
		t.Fatalf("err %v, want the 500 worded", err)
	}
	if st.Kept != 1001 {
		t.Fatalf("kept %d, want 1001", st.Kept)
	}
	if ids := e.ids(t); len(ids) != 1001 || ids[1000] != deploytest.LogID(1001) {
		t.Fatalf("%d logs kept after the failure, want 1001", len(ids))
	}
	e.srv.Recover()
	asked := len(e.srv.LogQueries())
	if _, err := e.pull(t, context.Background(), logs.Options{Since: start}, e.srv.ClientSecret); err != nil {
		t.Fatal(err)
	}
	e.wantAll(t, 1)
	// The rerun asks only for the rest: no search, from the checkpoint on.
	rerun := froms(t, e.srv.LogQueries()[asked:])
	if rerun[0] != deploytest.LogID(1001) || len(rerun) != 16 {
		t.Errorf("rerun requests from %v, want 16 from %s on", rerun, deploytest.LogID(1001))
	}
}

func TestPullInterruptedKeepsWhatItFetched(t *testing.T) {
	e := newEnv(t, "logins.ndjson")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	opts := logs.Options{From: deploytest.LogID(0), Progress: func(s logs.Stats) {
		if s.Kept >= 1000 {
			cancel() // as Ctrl-C or SIGTERM does
		}
	}}
	_, err := e.pull(t, ctx, opts, e.srv.ClientSecret)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want the cancellation", err)
	}
	if n := len(e.ids(t)); n != 1000 {
		t.Fatalf("%d logs kept, want the 1000 handed over", n)
	}
	if _, err := e.pull(t, context.Background(), logs.Options{}, e.srv.ClientSecret); err != nil {
		t.Fatal(err)
	}
	e.wantAll(t, 1)
}

func TestPullSinceStartsAtTheLastOlderLog(t *testing.T) {
	e := newEnv(t, "logins.ndjson")
	// Logs 1..2500 are a minute apart: since log 2001's time, the pull
	// starts from log 2000, found by the newest-first search.
	since := start.Add(2000 * time.Minute)
	if _, err := e.pull(t, context.Background(), logs.Options{Since: since}, e.srv.ClientSecret); err != nil {
		t.Fatal(err)
	}
	e.wantAll(t, 2001)
	if got := froms(t, e.srv.LogQueries()); got[0] != "search" || got[1] != deploytest.LogID(2000) {
		t.Errorf("requests %v, want one search then from log 2000", got)
	}
}

func TestPullTypesAndTransform(t *testing.T) {
	e := newEnv(t, "mixed.ndjson")
	e.srv.AddLog("f", start.Add(5000*time.Minute))
	gd := e.srv.AddLog("gd_auth_succeed", start.Add(5001*time.Minute))
	last := e.srv.AddLog("fp", start.Add(5002*time.Minute))
	types, err := logs.ParseTypes("gd_*, f")
	if err != nil {
		t.Fatal(err)
	}
	opts := logs.Options{From: deploytest.LogID(2500), Types: types, Transform: func(r []byte) []byte {
		return append([]byte(`{"seen":true,`), r[1:]...)
	}}
	st, err := e.pull(t, context.Background(), opts, e.srv.ClientSecret)
	if err != nil {
		t.Fatal(err)
	}
	ids := e.ids(t)
	if len(ids) != 2 || ids[1] != gd || st.Read != 3 || st.Checkpoint != last {
		t.Fatalf("kept %v (stats %+v), want f and gd_auth_succeed, checkpoint after fp", ids, st)
	}
	b, _ := os.ReadFile(e.out)
	if strings.Count(string(b), `{"seen":true,`) != 2 {
		t.Errorf("records not transformed:\n%s", b)
	}
	// Nothing new: one request, from the skipped fp on, and the file is
	// left as it was.
	asked := len(e.srv.LogQueries())
	if _, err := e.pull(t, context.Background(), logs.Options{Types: types}, e.srv.ClientSecret); err != nil {
		t.Fatal(err)
	}
	if q := froms(t, e.srv.LogQueries()[asked:]); len(q) != 1 || q[0] != last {
		t.Errorf("rerun asked %v, want once from %s", q, last)
	}
	if b2, _ := os.ReadFile(e.out); string(b2) != string(b) {
		t.Error("a pull with nothing new changed the file")
	}
}

func TestPullRefusals(t *testing.T) {
	e := newEnv(t, "x.ndjson")
	const secret = "wrong-secret-value-1234"
	_, err := e.pull(t, context.Background(), logs.Options{Since: start}, secret)
	if deploy.HTTPStatus(err) != 401 || strings.Contains(err.Error(), secret) || !strings.Contains(err.Error(), "credentials were rejected") {
		t.Errorf("wrong secret: %v", err)
	}
	e.srv.SetScopes(deploytest.ReadActions)
	_, err = e.pull(t, context.Background(), logs.Options{Since: start}, e.srv.ClientSecret)
	if deploy.HTTPStatus(err) != 403 || !strings.Contains(err.Error(), "lacks the read:logs scope") {
		t.Errorf("missing scope: %v", err)
	}
}

func TestOutputRefusesMismatchedCheckpoint(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "l.ndjson")
	cp := logs.CheckpointPath(out)
	write := func(path, s string) {
		if err := os.WriteFile(path, []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(cp, `{"log_id":"2","last_written":"2","records":2,"output":"l.ndjson"}`)
	if _, err := logs.OpenOutput(out, cp); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("checkpoint without its file: %v", err)
	}
	write(out, `{"log_id":"1"}`+"\n")
	if _, err := logs.OpenOutput(out, cp); err == nil || !strings.Contains(err.Error(), "ends before log 2, the last one its checkpoint") {
		t.Errorf("file older than its checkpoint: %v", err)
	}
	write(cp, `{"log_id":"1","last_written":"1","records":1,"output":"l.ndjson"}`)
	write(out, `{"log_id":"1"}`+"\n"+`{"log_id":"2"}`) // renamed before its checkpoint; no final newline
	o, err := logs.OpenOutput(out, cp)
	if err != nil || o.Resume().LogID != "2" {
		t.Fatalf("file ahead of its checkpoint resumes from %v (%v), want 2", o.Resume(), err)
	}
	if err := o.Page([][]byte{[]byte(`{"log_id":"3"}`)}, logs.Checkpoint{LogID: "3"}); err != nil {
		t.Fatal(err)
	}
	if err := o.Commit(); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(out); string(b) != "{\"log_id\":\"1\"}\n{\"log_id\":\"2\"}\n{\"log_id\":\"3\"}\n" {
		t.Errorf("appended file:\n%s", b)
	}
	empty := filepath.Join(dir, "empty.ndjson.gz") // touched, not gzip yet
	write(empty, "")
	if o, err := logs.OpenOutput(empty, logs.CheckpointPath(empty)); err != nil || o.Resume().LogID != "" {
		t.Errorf("an empty file: %v", err)
	}
	write(out, `{"user":{"user_id":"x"}}`+"\n")
	os.Remove(cp)
	if _, err := logs.OpenOutput(out, cp); err == nil || !strings.Contains(err.Error(), "no log_id") {
		t.Errorf("a file of events: %v", err)
	}
}

// DropBefore leaves the old records out of the next commit, so that a
// file pulled with --since run after run holds a moving window; the
// checkpoint still fits the shorter file.
func TestOutputDropsOldRecords(t *testing.T) {
	e := newEnv(t, "window.ndjson.gz")
	if _, err := e.pull(t, context.Background(), logs.Options{From: deploytest.LogID(0)}, e.srv.ClientSecret); err != nil {
		t.Fatal(err)
	}
	e.srv.AddLogins(10, start.Add(3000*time.Minute))
	out, err := logs.OpenOutput(e.out, logs.CheckpointPath(e.out))
	if err != nil {
		t.Fatal(err)
	}
	out.DropBefore(start.Add(2000 * time.Minute)) // logs 2001.. stay
	m, err := deploy.NewClient(context.Background(), *e.client(t, e.srv.ClientSecret), deploy.ClientOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := logs.Pull(context.Background(), m, logs.Options{From: out.Resume().LogID}, out); err != nil {
		t.Fatal(err)
	}
	if err := out.Commit(); err != nil {
		t.Fatal(err)
	}
	ids := e.ids(t)
	if len(ids) != 510 || ids[0] != deploytest.LogID(2001) || ids[509] != deploytest.LogID(2510) || out.Records() != 510 {
		t.Fatalf("%d logs from %s to %s, want 510 from log 2001 to 2510", len(ids), ids[0], ids[len(ids)-1])
	}
	if _, err := logs.OpenOutput(e.out, logs.CheckpointPath(e.out)); err != nil {
		t.Errorf("the trimmed file does not fit its checkpoint: %v", err)
	}
}

func TestParseTypes(t *testing.T) {
	ty, err := logs.ParseTypes("s,gd_*")
	if err != nil {
		t.Fatal(err)
	}
	for code, want := range map[string]bool{"s": true, "gd_send_sms": true, "ss": false, "f": false, "gd": false} {
		if ty.Match(code) != want {
			t.Errorf("%s matches %v, want %v", code, !want, want)
		}
	}
	for _, bad := range []string{"", "s,*x", "s;f", " , "} {
		if _, err := logs.ParseTypes(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if all, _ := logs.ParseTypes("*"); !all.Match("anything") {
		t.Error("* does not match every type")
	}
}
