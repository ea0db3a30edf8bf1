package main

import "github.com/spf13/cobra"

type simulateOptions struct{ s *streams }

func newSimulateCmd(s *streams, runF func(*simulateOptions) error) *cobra.Command {
	return &cobra.Command{Use: "simulate", RunE: func(*cobra.Command, []string) error { return runF(&simulateOptions{s: s}) }}
}

func runSimulate(*simulateOptions) error { return usageErr("simulate is not built yet") }
