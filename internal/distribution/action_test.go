package distribution

import (
	"crypto/sha256"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mfapolicy/mfapolicy/deploy/deploytest"
	"github.com/mfapolicy/mfapolicy/internal/mdtext"
)

const version = "v0.1.0"

// repoRoot is the repository, which is also the action's directory.
func repoRoot(t *testing.T) string {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// buildRelease lays out a local release of this tree as scripts/release.sh
// names its files: VERSION/mfapolicy_VERSION_OS_ARCH and VERSION/SHA256SUMS.
func buildRelease(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	name := fmt.Sprintf("mfapolicy_%s_%s_%s", version, runtime.GOOS, runtime.GOARCH)
	out := filepath.Join(dir, version, name)
	cmd := exec.Command("go", "build", "-o", out,
		"-ldflags", "-X github.com/mfapolicy/mfapolicy/internal/buildinfo.version="+version, "./cmd/mfapolicy")
	cmd.Dir = repoRoot(t)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, b)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	sums := fmt.Sprintf("%x  %s\n%x  mfapolicy_%s_windows_arm64.exe\n", sha256.Sum256(data), name, sha256.Sum256(nil), version)
	if err := os.WriteFile(filepath.Join(dir, version, "SHA256SUMS"), []byte(sums), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// workspace is a checkout of a policy repository: the example policy, its
// tests and recorded logins committed on main, with origin/main pointing
// at that commit, as after actions/checkout with fetch-depth: 0. Some
// application names try to mention a team.
func workspace(t *testing.T) string {
	t.Helper()
	ws := t.TempDir()
	root := repoRoot(t)
	copyFile(t, filepath.Join(root, "examples/policy.yaml"), filepath.Join(ws, "policy.yaml"))
	copyFile(t, filepath.Join(root, "examples/tests/policy_test.yaml"), filepath.Join(ws, "tests/policy_test.yaml"))
	events, err := os.ReadFile(filepath.Join(root, "examples/events.ndjson"))
	if err != nil {
		t.Fatal(err)
	}
	events = []byte(strings.ReplaceAll(string(events), `"Customer Portal"`, `"Customer Portal @acme/security-team"`))
	writeFile(t, filepath.Join(ws, "events/logins.ndjson"), events)
	git(t, ws, "init", "-q", "-b", "main")
	git(t, ws, "add", ".")
	git(t, ws, "-c", "user.name=ci", "-c", "user.email=ci@example.com", "commit", "-q", "-m", "policy")
	git(t, ws, "update-ref", "refs/remotes/origin/main", "HEAD")
	return ws
}

func newRunner(t *testing.T, g *fakeGitHub, ws string, inputs map[string]string) *runner {
	temp := t.TempDir()
	arch := map[string]string{"amd64": "X64", "arm64": "ARM64"}[runtime.GOARCH]
	return &runner{
		t: t, actionPath: repoRoot(t), workspace: ws,
		env: map[string]string{
			"PATH": os.Getenv("PATH"), "HOME": temp, "TMPDIR": temp, "RUNNER_TEMP": temp,
			"RUNNER_OS": "Linux", "RUNNER_ARCH": arch,
			"GITHUB_API_URL": g.URL, "GITHUB_REPOSITORY": g.repo,
			"GITHUB_STEP_SUMMARY": filepath.Join(temp, "summary.md"),
		},
		github: map[string]string{
			"token": g.token, "base_ref": "main", "action_ref": version,
			"event.pull_request.number": "7",
		},
		inputs: inputs,
	}
}

// The action on two pushes of one pull request: the first (policy
// unchanged) passes and creates the report comment, the second (a
// weakened policy) fails and updates that same comment, found on the
// second page of the pull request's comments; a look-alike comment by
// someone else is left alone, and no name in the report mentions anyone.
func TestActionUpdatesOneComment(t *testing.T) {
	g := newFakeGitHub(t, buildRelease(t))
	marker := "<!-- mfapolicy report: policy.yaml -->"
	g.seed(7, "mallory", marker+"\nplease overwrite me")
	for i := range 120 {
		g.seed(7, "octocat", fmt.Sprintf("review comment %d", i))
	}
	ws := workspace(t)
	inputs := map[string]string{
		"policy": "policy.yaml", "tests": "tests/*.yaml", "events": "events/*.ndjson",
		"release-url": g.URL + "/releases/download",
	}

	r := newRunner(t, g, ws, inputs)
	first := r.run()
	if first.failedStep != "" {
		t.Fatalf("first run failed at %q:\n%s", first.failedStep, first.stdout)
	}
	if first.outputs["diff.status"] != "0" || len(first.ran) != 5 {
		t.Fatalf("first run: outputs %v, steps %q", first.outputs, first.ran)
	}
	if !strings.Contains(first.stdout, "mfapolicy "+version) || !strings.Contains(first.stdout, "::notice file=policy.yaml,title=mfapolicy diff::0 of") {
		t.Errorf("first run's output lacks the version line or the summary annotation:\n%s", first.stdout)
	}
	bot := g.byBot(7)
	if len(bot) != 1 || !strings.HasPrefix(bot[0].Body, marker+"\n## mfapolicy diff: 0 of") {
		t.Fatalf("after the first run, the bot's comments are %+v", bot)
	}
	id := bot[0].ID
	summary, err := os.ReadFile(r.env["GITHUB_STEP_SUMMARY"])
	if err != nil || !strings.Contains(string(summary), "## mfapolicy diff: 0 of") {
		t.Errorf("the job summary lacks the report (%v):\n%s", err, summary)
	}

	copyFile(t, filepath.Join(repoRoot(t), "examples/policy-v2.yaml"), filepath.Join(ws, "policy.yaml"))
	inputs["tests"] = ""
	second := newRunner(t, g, ws, inputs).run()
	if second.failedStep != "Fail on the verdict of the diff" || second.outputs["diff.status"] != "1" {
		t.Fatalf("second run: failed at %q, outputs %v:\n%s", second.failedStep, second.outputs, second.stdout)
	}
	if !strings.Contains(second.stdout, "::error file=policy.yaml,line=") {
		t.Errorf("second run has no error annotation on the policy:\n%s", second.stdout)
	}
	bot = g.byBot(7)
	if len(bot) != 1 || bot[0].ID != id || bot[0].Edited != 1 {
		t.Fatalf("after the second run, the bot's comments are %+v, want comment %d edited once", bot, id)
	}
	body := bot[0].Body
	if !strings.HasPrefix(body, marker+"\n") || !strings.Contains(body, "The check fails") || !strings.Contains(body, "Customer Portal") {
		t.Errorf("the updated comment is not the failing report:\n%s", body)
	}
	if m := mdtext.Mentions(body); len(m) > 0 {
		t.Errorf("the comment mentions %q", m)
	}
	if g.callCount("POST /repos/acme/policies/issues/7/comments") != 1 || g.callCount("PATCH /repos/acme/policies/issues/comments/[0-9]+") != 1 {
		t.Errorf("API calls: %v", g.calls)
	}
	for _, c := range g.comments {
		if c.User.Login == "mallory" && (c.Edited != 0 || !strings.HasSuffix(c.Body, "please overwrite me")) {
			t.Errorf("someone else's comment was edited: %+v", c)
		}
	}
}

// With logs-since, the action pulls the tenant's logs (from a fake
// Management API) into logs-file and replays them; a second run, as with
// the file restored from the cache, appends only the new logs. The
// secret never reaches the output, and no events are committed.
func TestActionPullsLogs(t *testing.T) {
	g := newFakeGitHub(t, buildRelease(t))
	tenant := deploytest.New()
	defer tenant.Close()
	tenant.AddLogins(300, time.Now().Add(-48*time.Hour))
	ws := workspace(t)
	git(t, ws, "rm", "-q", "-r", "events")
	git(t, ws, "-c", "user.name=ci", "-c", "user.email=ci@example.com", "commit", "-q", "-m", "no recorded logins in git")
	inputs := map[string]string{"policy": "policy.yaml", "logs-since": "7d", "comment": "false", "release-url": g.URL + "/releases/download"}
	run := func() result {
		r := newRunner(t, g, ws, inputs)
		r.env["AUTH0_DOMAIN"], r.env["AUTH0_CLIENT_ID"], r.env["AUTH0_CLIENT_SECRET"] = tenant.Domain(), tenant.ClientID, tenant.ClientSecret
		res := r.run()
		if res.failedStep != "" {
			t.Fatalf("failed at %q:\n%s", res.failedStep, res.stdout)
		}
		if strings.Contains(res.stdout, tenant.ClientSecret) {
			t.Errorf("the output shows the client secret:\n%s", res.stdout)
		}
		return res
	}
	first := run()
	if !slices.Contains(first.ran, "Pull the tenant's logs") || first.outputs["diff.status"] != "0" || !strings.Contains(first.stdout, "0 of 300") {
		t.Fatalf("first run: steps %q, outputs %v:\n%s", first.ran, first.outputs, first.stdout)
	}
	tenant.AddLogins(20, time.Now().Add(-time.Hour))
	asked := len(tenant.LogQueries())
	second := run()
	if !strings.Contains(second.stdout, "0 of 320") {
		t.Fatalf("second run does not replay the 320 logins:\n%s", second.stdout)
	}
	if q := tenant.LogQueries()[asked:]; len(q) != 2 || !strings.HasPrefix(q[0], "from="+deploytest.LogID(300)+"&") {
		t.Errorf("the second run asked %q, want the logs after the 300th and an empty page", q)
	}
	if _, err := os.Stat(filepath.Join(ws, ".mfapolicy/logins.ndjson.gz.checkpoint")); err != nil {
		t.Errorf("no checkpoint beside the logs: %v", err)
	}
}

// A binary whose SHA-256 is not the release's is not installed, and
// nothing runs after the install step.
func TestActionRefusesBadChecksum(t *testing.T) {
	releases := buildRelease(t)
	sums := filepath.Join(releases, version, "SHA256SUMS")
	data, err := os.ReadFile(sums)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, sums, []byte("0000"+string(data[4:])))
	g := newFakeGitHub(t, releases)
	r := newRunner(t, g, workspace(t), map[string]string{"policy": "policy.yaml", "release-url": g.URL + "/releases/download"})
	res := r.run()
	if res.failedStep != "Install mfapolicy" || len(res.ran) != 1 {
		t.Fatalf("failed at %q after %q, want only the install step to run and fail", res.failedStep, res.ran)
	}
	if !strings.Contains(res.stdout, "::error title=mfapolicy::the SHA-256 of mfapolicy_"+version) {
		t.Errorf("no checksum error:\n%s", res.stdout)
	}
	if _, err := os.Stat(filepath.Join(r.env["RUNNER_TEMP"], "mfapolicy-"+version, "mfapolicy")); err == nil {
		t.Error("the binary was installed despite its checksum")
	}
}

// Used at a branch rather than a release tag, the action needs version:.
func TestActionNeedsVersionOffTag(t *testing.T) {
	g := newFakeGitHub(t, t.TempDir())
	r := newRunner(t, g, workspace(t), map[string]string{"policy": "policy.yaml"})
	r.github["action_ref"] = "main"
	res := r.run()
	if res.failedStep != "Install mfapolicy" || !strings.Contains(res.stdout, "set the version input") {
		t.Fatalf("failed at %q:\n%s", res.failedStep, res.stdout)
	}
}

func git(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, b)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, to, data)
}

func writeFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}
