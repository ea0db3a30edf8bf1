package main

import "github.com/spf13/cobra"

type deployOptions struct{ s *streams }

func newDeployCmd(s *streams, runF func(*deployOptions) error) *cobra.Command {
	return &cobra.Command{Use: "deploy", RunE: func(*cobra.Command, []string) error { return runF(&deployOptions{s: s}) }}
}

func runDeploy(*deployOptions) error { return usageErr("deploy is not built yet") }
