package simulate

// addSandbox counts a login's sandbox facts in the summary.
func (a *accumulator) addSandbox(f sandboxFacts) {
	if f.multifactor != "" {
		a.assumptions[f.multifactor]++
	}
	if f.clock != "" {
		a.assumptions[f.clock]++
	}
	for _, h := range f.refused {
		a.refused[h]++
	}
}

// sandboxOf is what a run of opts lends every login (Program.lend): the
// clock's start for logins with no recorded time (Options.Now, else the
// start of the run), whether every login starts there (Options.FixedNow),
// and the HTTP fixtures.
func sandboxOf(opts Options) sandboxConfig {
	now := opts.Now
	if now.IsZero() {
		now = opts.runStart
	}
	return sandboxConfig{Now: now, NowGiven: !opts.Now.IsZero(), FixedNow: opts.FixedNow, HTTP: opts.HTTP}
}
