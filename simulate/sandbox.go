package simulate

import "github.com/mfapolicy/mfapolicy/simulate/engine"

// addSandbox counts a login's sandbox facts in the summary.
func (a *accumulator) addSandbox(f engine.SandboxFacts) {
	if f.Multifactor != "" {
		a.assumptions[f.Multifactor]++
	}
	if f.Clock != "" {
		a.assumptions[f.Clock]++
	}
	for _, h := range f.Refused {
		a.refused[h]++
	}
}

// sandboxOf is what a run of opts lends every login (Program.lend): the
// clock's start for logins with no recorded time (Options.Now, else the
// start of the run), whether every login starts there (Options.FixedNow),
// and the HTTP fixtures.
func sandboxOf(opts Options) engine.SandboxConfig {
	now := opts.Now
	if now.IsZero() {
		now = opts.runStart
	}
	return engine.SandboxConfig{Now: now, NowGiven: !opts.Now.IsZero(), FixedNow: opts.FixedNow, HTTP: opts.HTTP}
}
