package main

import "github.com/spf13/cobra"

type checkOptions struct{ s *streams }

func newCheckCmd(s *streams, runF func(*checkOptions) error) *cobra.Command {
	return &cobra.Command{Use: "check", RunE: func(*cobra.Command, []string) error { return runF(&checkOptions{s: s}) }}
}

func runCheck(*checkOptions) error { return usageErr("check is not built yet") }
