package main

import "github.com/spf13/cobra"

type compileOptions struct{ s *streams }

func newCompileCmd(s *streams, runF func(*compileOptions) error) *cobra.Command {
	return &cobra.Command{Use: "compile", RunE: func(*cobra.Command, []string) error { return runF(&compileOptions{s: s}) }}
}

func runCompile(*compileOptions) error { return usageErr("compile is not built yet") }
