package main

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/mfapolicy/mfapolicy/compile"
	"github.com/mfapolicy/mfapolicy/internal/classify"
	"github.com/mfapolicy/mfapolicy/policy"
	"github.com/mfapolicy/mfapolicy/report"
	"github.com/mfapolicy/mfapolicy/simulate"
	"github.com/mfapolicy/mfapolicy/simulate/engine"
	"github.com/mfapolicy/mfapolicy/simulate/input"
)

type simulateOptions struct {
	s *streams

	Policy         string
	Action         string
	Rule           string
	SecretsFile    string
	Secret         []string
	ConfigFile     string
	Config         []string
	HTTPFile       string
	Now            clockFlag
	NodeModules    string
	Events         []string
	Out            string
	Format         string
	Workers        int
	Timeout        time.Duration
	Strict         bool
	Limits         input.Limits
	AssumeEnrolled []string
	EnabledFactors []string
	Tenant         []string
	GeoIP          string
	Exact          bool
	VerifyEvery    int
	profile        profileFlags

	// ruleFields are the event fields each rule of a compiled policy
	// reads, for the "decided on missing data" count; fields all the
	// event paths it reads, so that only those are decoded.
	ruleFields map[string][]string
	fields     []string
	// classifier places a compiled policy's logins in decision classes;
	// nil with --exact and for hand-written Actions and Rules.
	classifier simulate.Classifier
	// policy is the loaded policy (nil for --action and --rule), and
	// enabledGiven is set when --enabled-factors was given.
	policy       *policy.Policy
	enabledGiven bool
}

func newSimulateCmd(s *streams, runF func(*simulateOptions) error) *cobra.Command {
	opts := &simulateOptions{s: s}
	var assume, enabled string
	cmd := &cobra.Command{
		Use:   "simulate [POLICY] --events FILE...",
		Short: "Replay recorded logins through the Action and summarise the decisions",
		Long: `Simulate replays recorded logins through the exact JavaScript that would be
deployed, in an embedded JavaScript engine, and reports what Auth0 would do
with each login: allow, challenge, enroll, deny, fail (Auth0 would fail the
login, for example a challenge none of whose factors the user can use) or
error (the Action threw or ran out of time).

Events are post-login event objects or Auth0 tenant log records (Management
API exports, log-stream {"log_id","data"} wrappers, Amazon EventBridge
events around them, auth0 logs tail/list --json output), as NDJSON or JSON
arrays, optionally gzip-compressed; "-" reads standard input. Successful
logins (type "s") are replayed; other log types are counted and skipped.
A malformed record is reported with file:line and skipped; --strict makes
it fatal.

Tenant logs do not say which MFA factors a user has enrolled: unless an
event carries event.user.enrolledFactors, --assume-enrolled says what to
assume (all, none, or a list such as otp,phone), unless --tenant gives
the users' enrolments; --tenant also gives their roles, which logs lack
(event.authorization.roles). Log records without location_info get
event.request.geoip from --geoip FILE.mmdb (a MaxMind GeoLite2/GeoIP2
database); records with one are never changed. The summary states every
assumption it used and counts the logins located by the database.

A policy with a tenant: section is replayed under it: its factors are the
enabled factors and its mfa_policy the tenant's MFA policy. --tenant then
gives the users' enrolments; where it says otherwise than the section, the
section wins and the summary says what differs. --enabled-factors is for a
policy without a section (refused with one). See docs/policy.md.

A compiled policy is replayed by decision class: the policy's rules are
evaluated per login in Go (cel-go, held equal to the Action by the
differential tests), the Action runs in the JavaScript engine once per
deciding rule and its calls are reused for the other logins of that rule,
and 1 in --verify-every of those logins still runs in the engine and must
make the same calls. Per-login output is the same as with --exact, which
runs every login in the engine. Hand-written Actions and Rules always run
in the engine.

Every login's clock (Date.now(), and a compiled policy's now) starts at
its recorded time: the log record's date, else the latest
authentication method's timestamp, else --now (default: when the run
starts). Hand-written Actions and Rules run as in Auth0's Node 22 runtime,
with no network or filesystem: timers run on virtual time, so a sleep
costs nothing and the same events give the same output on any day; HTTP
requests (fetch, http, https, axios) are answered by --http fixtures and
refused otherwise, counted per host; npm modules come from node_modules
beside the file or --node-modules; event.user.multifactor is derived from
the user's enrolments when the event lacks it (docs/actions.md).

Exit status: 0 when the simulation ran, 2 on bad usage or unreadable input,
3 when a login replayed in the engine did not make the calls of its
decision class (a bug in mfapolicy: the message shows both; --exact
avoids the classes).`,
		Example: `  # Replay the bundled example corpus through the example policy
  mfapolicy simulate examples/policy.yaml --events examples/events.ndjson

  # The same through a hand-written Action
  mfapolicy simulate --action examples/actions/adaptive.js --events examples/events.ndjson

  # Tenant logs, decisions per login to a file, Markdown summary
  mfapolicy simulate --action code.js --events logs.ndjson.gz --out decisions.ndjson --format markdown

  # Logs without location_info, located with a GeoLite2 database, roles and
  # enrolments from the tenant
  mfapolicy simulate examples/policy.yaml --events logs.ndjson.gz --geoip GeoLite2-City.mmdb --tenant tenant.json

  # An HTML report with charts, to open in a browser
  mfapolicy simulate examples/policy.yaml --events examples/events.ndjson --format html > report.html

  # A policy that reads now (MFA within the last 12 hours), on events that carry no login time
  mfapolicy simulate examples/freshness/policy.yaml --events events.ndjson --now 2026-03-10T09:30:00Z

  # Every login through the JavaScript engine, none from decision classes
  mfapolicy simulate examples/policy.yaml --events examples/events.ndjson --exact

  # Assume users only have otp and phone enrolled, from standard input
  cat events.ndjson | mfapolicy simulate --action code.js --events - --assume-enrolled otp,phone

  # An Action that calls a risk API: answers from fixtures, npm modules from a folder
  mfapolicy simulate --action risk.js --events logins.ndjson --http fixtures.yaml --node-modules ./node_modules

  # A legacy Rule with its configuration, on events that carry no login time
  mfapolicy simulate --rule rules/mfa.js --events events.ndjson --configuration rules.env --now 2024-03-01T12:00:00Z`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.enabledGiven = cmd.Flags().Changed("enabled-factors")
			if len(args) == 1 {
				opts.Policy = args[0]
			}
			if err := opts.validate(assume, enabled); err != nil {
				return err
			}
			return opts.profile.wrap(func() error { return runF(opts) })
		},
	}
	f := cmd.Flags()
	f.StringArrayVar(&opts.Events, "events", nil, "event file to replay (repeatable; - for standard input)")
	f.StringVar(&opts.Action, "action", "", "simulate this hand-written Action (.js, .mjs, .cjs or .ts; CommonJS or ES module; with its relative imports) instead of compiling a policy")
	f.StringVar(&opts.Rule, "rule", "", "simulate this legacy Rule, function (user, context, callback), instead of compiling a policy")
	f.StringVar(&opts.SecretsFile, "secrets", "", "read event.secrets (a Rule's configuration) from this JSON or KEY=VALUE file; values are never printed")
	f.StringArrayVar(&opts.Secret, "secret", nil, "set one secret, KEY=VALUE (repeatable; overrides --secrets)")
	f.StringVar(&opts.ConfigFile, "configuration", "", "a Rule's configuration object from this JSON or KEY=VALUE file (merged over --secrets); values are never printed")
	f.StringArrayVar(&opts.Config, "config", nil, "set one configuration value of a Rule, KEY=VALUE (repeatable; overrides --configuration)")
	f.StringVar(&opts.HTTPFile, "http", "", "answer the Action's HTTP requests (fetch, http, https) from this YAML or JSON fixtures file; unmatched requests are refused and counted")
	nowFlag(f, &opts.Now, "logins that record none (each login's clock starts at its recorded time: the log's date, else its latest authentication method)")
	f.StringVar(&opts.NodeModules, "node-modules", "", "also resolve the Action's npm modules from this node_modules directory")
	f.StringVarP(&opts.Out, "out", "o", "", "write one decision per login to this NDJSON file")
	f.StringVar(&opts.Format, "format", "text", "summary format: text, json, markdown or html (one self-contained page with charts)")
	f.IntVar(&opts.Workers, "workers", 0, "JavaScript runtimes run in parallel (default: number of CPUs)")
	f.DurationVar(&opts.Timeout, "timeout", simulate.DefaultTimeout, "time limit of one login")
	f.BoolVar(&opts.Strict, "strict", false, "stop at the first malformed record")
	replayModeFlags(f, &opts.Exact, &opts.VerifyEvery)
	limitFlags(f, &opts.Limits)
	f.StringVar(&assume, "assume-enrolled", "all", "factors users are assumed to have enrolled when events do not say: all, none, or a list such as otp,phone")
	f.StringVar(&enabled, "enabled-factors", "all", enabledFlagHelp)
	addTenantFlag(f, &opts.Tenant)
	addGeoIPFlag(f, &opts.GeoIP)
	opts.profile.register(cmd)
	return cmd
}

func (o *simulateOptions) validate(assume, enabled string) error {
	given := 0
	for _, s := range []string{o.Policy, o.Action, o.Rule} {
		if s != "" {
			given++
		}
	}
	switch {
	case given == 0:
		return usageErr("simulate needs a POLICY, --action FILE.js or --rule FILE.js")
	case given > 1:
		return usageErr("give one of POLICY, --action and --rule")
	case o.Policy != "" && (o.SecretsFile != "" || len(o.Secret) > 0):
		return usageErr("--secrets and --secret apply to --action and --rule; a compiled policy reads no secrets")
	case o.Rule == "" && (o.ConfigFile != "" || len(o.Config) > 0):
		return usageErr("--configuration and --config apply to --rule; an Action reads event.secrets (--secrets)")
	case o.Policy != "" && (o.HTTPFile != "" || o.NodeModules != ""):
		return usageErr("--http and --node-modules apply to --action and --rule; a compiled policy makes no requests and imports no modules")
	case len(o.Events) == 0:
		return usageErr("simulate needs at least one --events FILE (- for standard input)")
	case o.Format != "text" && o.Format != "json" && o.Format != "markdown" && o.Format != "html":
		return usageErr("--format must be text, json, markdown or html, not %q", o.Format)
	case o.Format == "html" && isHTMLFile(o.Out):
		return usageErr("--out (-o) writes the decisions as NDJSON, not the report; the HTML report goes to standard output: --format html > %s", o.Out)
	case o.Workers < 0:
		return usageErr("--workers must not be negative")
	case o.VerifyEvery < 1:
		return usageErr("--verify-every must be at least 1 (1 verifies every login)")
	case o.Timeout <= 0:
		return usageErr("--timeout must be positive")
	}
	if err := validateLimits(o.Limits); err != nil {
		return err
	}
	var err error
	o.AssumeEnrolled, o.EnabledFactors, err = replayFlags(o.Events, assume, enabled)
	return err
}

func runSimulate(opts *simulateOptions) error {
	secrets, err := opts.secrets()
	if err != nil {
		return err
	}
	config, err := readKeyValues(opts.ConfigFile, opts.Config, "--config")
	if err != nil {
		return err
	}
	var fixtures *engine.HTTPFixtures
	if opts.HTTPFile != "" {
		if fixtures, err = engine.ReadHTTPFixtures(opts.HTTPFile); err != nil {
			return inputErr(err)
		}
	}
	code, name, rules, err := simulationCode(opts, engine.BundleOptions{Secrets: secrets, Configuration: config, NodeModules: opts.NodeModules})
	if err != nil {
		return err
	}
	inputs, err := eventInputs(opts.s, opts.Events)
	if err != nil {
		return err
	}

	tctx, tf, err := loadTenant(opts.s.Err, opts.Tenant)
	if err != nil {
		return err
	}
	if tctx, err = policyTenant(opts.s.Err, opts.policy, tctx, tf, opts.enabledGiven); err != nil {
		return err
	}
	geo, err := openGeoIP(opts.GeoIP)
	if err != nil {
		return err
	}
	defer geo.Close()
	redact := simulate.NewRedactor(mergeValues(secrets, config))
	warnings := &simulate.Warnings{Prefix: simulate.RuleWarningPrefix}
	sopts := simulate.Options{
		Code: code, CodeName: name, Rules: rules, RuleFields: opts.ruleFields, Fields: opts.fields, Inputs: inputs,
		Workers: opts.Workers, Timeout: opts.Timeout, Strict: opts.Strict, Limits: opts.Limits,
		AssumeEnrolled: opts.AssumeEnrolled, EnabledFactors: opts.EnabledFactors, Tenant: tctx, GeoIP: geo,
		Classifier: opts.classifier, VerifyEvery: opts.VerifyEvery, Now: opts.Now.given(), HTTP: fixtures,
		OnClassesOff: collectForEngine,
	}
	var out *decisionsOut
	if opts.Out != "" {
		if out, err = openDecisions(opts.Out); err != nil {
			return err
		}
		defer out.file.Abort()
	}
	var replayed int64
	sopts.OnDecision = func(d simulate.Decision) error {
		replayed++
		redact.Redact(&d)
		warnings.Observe(d)
		if out != nil {
			return out.write(d)
		}
		return nil
	}
	bar := newProgress(opts.s, "simulating")
	sopts.Progress = bar.update
	defer bar.clear()

	// A policy that reads `now` has its logins run in goja, each at its
	// own time (internal/classify), as --exact and Actions do.
	collectForReplay(opts.classifier == nil || opts.policy != nil && opts.policy.ReadsNow())
	ctx := opts.s.context()
	sum, err := simulate.Run(ctx, sopts)
	if err := interrupted(ctx, progressNote(replayed, opts.Out)); err != nil {
		return err
	}
	if err != nil {
		return replayErr(err)
	}
	if err := nothingRead(sum); err != nil {
		return err
	}
	if out != nil {
		if err := out.commit(); err != nil {
			return err
		}
	}
	if err := render(opts.s.Out, opts.Format, sum); err != nil {
		return err
	}
	for _, w := range warnings.List() {
		fmt.Fprintf(opts.s.Err, "warning: %s: %s (%d logins)\n", opts.Rule, strings.TrimPrefix(w.Name, simulate.RuleWarningPrefix), w.Count)
	}
	return nil
}

// secrets reads --secrets, then applies every --secret over it; nil when
// neither is given, so that events keep the secrets they carry.
func (o *simulateOptions) secrets() (map[string]string, error) {
	return readKeyValues(o.SecretsFile, o.Secret, "--secret")
}

// readKeyValues reads a JSON or KEY=VALUE file, then applies every
// KEY=VALUE flag over it; nil when neither is given.
func readKeyValues(file string, kvs []string, flag string) (map[string]string, error) {
	if file == "" && len(kvs) == 0 {
		return nil, nil
	}
	out := map[string]string{}
	if file != "" {
		m, err := simulate.ReadSecrets(file)
		if err != nil {
			return nil, inputErr(err)
		}
		out = m
	}
	for _, kv := range kvs {
		k, v, err := simulate.ParseSecret(kv)
		if err != nil {
			return nil, usageErr("%s: %v", flag, err)
		}
		out[k] = v
	}
	return out, nil
}

// mergeValues is b over a, for redacting both.
func mergeValues(a, b map[string]string) map[string]string {
	if b == nil {
		return a
	}
	out := map[string]string{}
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}

// simulationCode returns the JavaScript to replay: the --action or --rule
// file bundled for the simulator (with the secrets), or the POLICY compiled
// exactly as it would be deployed, with its rule ids in policy order. A
// policy with errors prints them and exits 1, as check does.
func simulationCode(opts *simulateOptions, bo engine.BundleOptions) ([]byte, string, []string, error) {
	switch {
	case opts.Action != "":
		code, err := engine.BundleAction(opts.Action, bo)
		if err != nil {
			return nil, "", nil, inputErr(err)
		}
		return code, opts.Action, nil, nil
	case opts.Rule != "":
		code, err := engine.BundleRule(opts.Rule, bo)
		if err != nil {
			return nil, "", nil, inputErr(err)
		}
		return code, opts.Rule, nil, nil
	}
	p, err := loadChecked(opts.s, opts.Policy)
	if err != nil {
		return nil, "", nil, err
	}
	res, err := compileChecked(opts.s, p, compile.Options{})
	if err != nil {
		return nil, "", nil, err
	}
	rules := make([]string, len(p.Rules))
	for i, r := range p.Rules {
		rules[i] = r.ID
	}
	opts.policy = p
	opts.ruleFields = p.RuleFields()
	opts.fields = res.Fields
	if !opts.Exact {
		c, err := classify.New(p)
		if err != nil {
			return nil, "", nil, inputErr(err)
		}
		// Logins of a policy that reads now are not placed in classes (each
		// runs in goja at its own time); the evaluator's time is for the
		// rest.
		opts.classifier = c.At(opts.Now.at())
	}
	return res.Code, opts.Policy, rules, nil
}

func render(w io.Writer, format string, sum *simulate.Summary) error {
	switch format {
	case "json":
		return simulate.RenderJSON(w, sum)
	case "markdown":
		return simulate.RenderMarkdown(w, sum)
	case "html":
		return report.Simulate(w, sum)
	}
	return simulate.RenderText(w, sum)
}

// isHTMLFile tells whether a path names an HTML file.
func isHTMLFile(path string) bool {
	ext := strings.ToLower(filepath.Ext(path))
	return ext == ".html" || ext == ".htm"
}

// progress reports how many records a replay has read on standard
// error: on a terminal a counter redrawn in place ten times a second;
// elsewhere (a CI log) one line every plainEvery, so that a long run shows
// it is alive and a short one prints nothing.
type progress struct {
	w     io.Writer
	tty   bool
	what  string
	start time.Time
	last  time.Time
}

// plainEvery is how often progress writes a line when standard error is
// not a terminal.
const plainEvery = 30 * time.Second

func newProgress(s *streams, what string) *progress {
	now := time.Now()
	return &progress{w: s.Err, tty: s.ErrTTY, what: what, start: now, last: now}
}

func (p *progress) update(done int64) {
	now := time.Now()
	every := plainEvery
	if p.tty {
		every = 100 * time.Millisecond
	}
	if now.Sub(p.last) < every {
		return
	}
	p.last = now
	elapsed := now.Sub(p.start)
	rate := float64(done) / elapsed.Seconds()
	if p.tty {
		fmt.Fprintf(p.w, "\r\x1b[K%s: %d records, %.0f/s", p.what, done, rate)
		return
	}
	fmt.Fprintf(p.w, "%s: %d records in %s, %.0f/s\n", p.what, done, elapsed.Round(time.Second), rate)
}

// clear removes the counter from a terminal.
func (p *progress) clear() {
	if p.tty {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
}

// replayModeFlags registers --exact and --verify-every, which simulate and
// diff share.
func replayModeFlags(f *pflag.FlagSet, exact *bool, every *int) {
	f.BoolVar(exact, "exact", false, "run every login of a compiled policy through the JavaScript engine instead of once per decision class")
	f.IntVar(every, "verify-every", simulate.DefaultVerifyEvery, "also run 1 in N of the logins decided from their class through the JavaScript engine, and stop (exit 3) if its calls differ; 1 checks every login")
}
