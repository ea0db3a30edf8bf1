package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/mfapolicy/mfapolicy/compile"
	"github.com/mfapolicy/mfapolicy/explain"
	"github.com/mfapolicy/mfapolicy/geoip"
	"github.com/mfapolicy/mfapolicy/simulate"
	"github.com/mfapolicy/mfapolicy/simulate/input"
)

type explainOptions struct {
	s *streams

	Policy         string
	Event          string
	Line           int
	ID             string
	Format         string
	AssumeEnrolled []string
	EnabledFactors []string
	Tenant         []string
	GeoIP          string
	Now            clockFlag
	// enabledGiven is set when --enabled-factors was given.
	enabledGiven bool
}

func newExplainCmd(s *streams, runF func(*explainOptions) error) *cobra.Command {
	opts := &explainOptions{s: s}
	var assume, enabled string
	cmd := &cobra.Command{
		Use:   "explain POLICY --event FILE|- [--line N | --id ID]",
		Short: "Show why one login gets its decision, rule by rule",
		Long: `Explain evaluates one login against the policy and shows each rule in
order with the value of every sub-expression, which rule decided, and the
api calls the compiled Action made for the same login in the simulator.

The event is a post-login event object or an Auth0 tenant log record, in
a file of one or many records (NDJSON, JSON array, gzip; - for standard
input). When the file holds several, pick one with --line (the line it
starts on) or --id (its log_id or transaction id).

Exit status: 0 when explained, 1 when the compiled Action and the
reference evaluator disagree (a bug to report), 2 on bad usage or input.`,
		Example: `  mfapolicy explain examples/policy.yaml --event examples/events.ndjson --line 2
  mfapolicy explain examples/policy.yaml --event login.json --format json
  mfapolicy explain examples/policy.yaml --event logs.ndjson --id 90020... --geoip GeoLite2-City.mmdb
  echo '{"request":{"geoip":{"countryCode":"FR"}}}' | mfapolicy explain examples/policy.yaml --event -`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.enabledGiven = cmd.Flags().Changed("enabled-factors")
			opts.Policy = args[0]
			switch {
			case opts.Event == "":
				return usageErr("explain needs --event FILE (- for standard input)")
			case opts.Format != "text" && opts.Format != "json":
				return usageErr("--format must be text or json, not %q", opts.Format)
			case opts.Line < 0:
				return usageErr("--line must be positive")
			case opts.Line > 0 && opts.ID != "":
				return usageErr("give --line or --id, not both")
			}
			var err error
			if opts.AssumeEnrolled, err = simulate.ParseFactorList(assume); err != nil {
				return usageErr("--assume-enrolled: %v", err)
			}
			if opts.EnabledFactors, err = simulate.ParseFactorList(enabled); err != nil {
				return usageErr("--enabled-factors: %v", err)
			}
			return runF(opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Event, "event", "", "file holding the event (- for standard input)")
	f.IntVar(&opts.Line, "line", 0, "explain the record that starts on this line")
	f.StringVar(&opts.ID, "id", "", "explain the record with this log_id or transaction id")
	f.StringVar(&opts.Format, "format", "text", "output format: text or json")
	f.StringVar(&assume, "assume-enrolled", "all", "factors the user is assumed to have enrolled when the event does not say: all, none, or a list")
	f.StringVar(&enabled, "enabled-factors", "all", enabledFlagHelp)
	addTenantFlag(f, &opts.Tenant)
	addGeoIPFlag(f, &opts.GeoIP)
	nowFlag(f, &opts.Now, "the login")
	return cmd
}

func runExplain(opts *explainOptions) error {
	p, err := loadChecked(opts.s, opts.Policy)
	if err != nil {
		return err
	}
	res, err := compileChecked(opts.s, p, compile.Options{})
	if err != nil {
		return err
	}
	tctx, tf, err := loadTenant(opts.s.Err, opts.Tenant)
	if err != nil {
		return err
	}
	geo, err := openGeoIP(opts.GeoIP)
	if err != nil {
		return err
	}
	defer geo.Close()
	ev, err := pickEvent(opts, geo, tctx)
	if err != nil {
		return err
	}
	if tctx, err = policyTenant(opts.s.Err, p, tctx, tf, opts.enabledGiven); err != nil {
		return err
	}
	r, err := explain.Explain(context.Background(), p, res.Code, ev, explain.Options{
		Policy: opts.Policy, AssumeEnrolled: opts.AssumeEnrolled, EnabledFactors: opts.EnabledFactors, Tenant: tctx,
		Now: opts.Now.at(),
	})
	if err != nil {
		return inputErr(err)
	}
	if opts.Format == "json" {
		err = explain.RenderJSON(opts.s.Out, r)
	} else {
		err = explain.RenderText(opts.s.Out, r)
	}
	if err != nil {
		return err
	}
	if !r.Agree {
		return errFindings
	}
	return nil
}

// pickEvent reads the one event to explain: the only login in the file,
// or the one at --line or with --id.
func pickEvent(opts *explainOptions, geo *geoip.DB, t *simulate.Tenant) (input.Event, error) {
	var src io.Reader = opts.s.In
	if opts.Event != "-" {
		f, err := os.Open(opts.Event)
		if err != nil {
			return input.Event{}, inputErr(fmt.Errorf("cannot read the event: %w", err))
		}
		defer f.Close()
		src = f
	}
	rd := input.NewReader(opts.Event, src)
	var roles map[string][]string
	if t != nil {
		roles = t.Roles
	}
	rd.Enrich(geo, roles)
	var found []input.Event
	for {
		it, err := rd.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return input.Event{}, inputErr(err)
		}
		switch {
		case opts.Line > 0 && it.Problem.Line == opts.Line && it.Kind == input.ItemMalformed:
			return input.Event{}, inputErr(it.Problem)
		case it.Kind != input.ItemEvent:
			continue
		case opts.Line > 0 && it.Event.Line != opts.Line, opts.ID != "" && it.Event.ID != opts.ID:
			continue
		}
		found = append(found, it.Event)
		if len(found) > 1 && opts.Line == 0 && opts.ID == "" {
			return input.Event{}, usageErr("%s holds several logins: pick one with --line N or --id ID", opts.Event)
		}
		if opts.Line > 0 || opts.ID != "" {
			break
		}
	}
	if len(found) == 0 {
		switch {
		case opts.Line > 0:
			return input.Event{}, usageErr("%s: no login starts on line %d", opts.Event, opts.Line)
		case opts.ID != "":
			return input.Event{}, usageErr("%s: no login has the id %q", opts.Event, opts.ID)
		}
		return input.Event{}, usageErr("%s holds no login to explain", opts.Event)
	}
	return found[0], nil
}
