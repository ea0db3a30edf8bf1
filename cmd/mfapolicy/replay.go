package main

import (
	"fmt"
	"os"

	"github.com/mfapolicy/mfapolicy/simulate"
	"github.com/mfapolicy/mfapolicy/simulate/input"
)

// replayFlags checks the flags simulate and diff share: standard input at
// most once, and the enrolment and enabled-factor lists.
func replayFlags(events []string, assume, enabled string) (assumed, enabledFactors []string, err error) {
	stdin := 0
	for _, e := range events {
		if e == "-" {
			stdin++
		}
	}
	if stdin > 1 {
		return nil, nil, usageErr("--events - may be given only once")
	}
	if assumed, err = simulate.ParseFactorList(assume); err != nil {
		return nil, nil, usageErr("--assume-enrolled: %v", err)
	}
	if enabledFactors, err = simulate.ParseFactorList(enabled); err != nil {
		return nil, nil, usageErr("--enabled-factors: %v", err)
	}
	return assumed, enabledFactors, nil
}

// eventInputs opens the --events files ("-" is standard input); a file
// that cannot be read is bad input, reported before anything runs.
func eventInputs(s *streams, events []string) ([]input.Input, error) {
	var inputs []input.Input
	for _, e := range events {
		if e != "-" {
			if _, err := os.Stat(e); err != nil {
				return nil, inputErr(fmt.Errorf("cannot read events: %w", err))
			}
		}
		inputs = append(inputs, input.FileInput(e, s.In))
	}
	return inputs, nil
}
