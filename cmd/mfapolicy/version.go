package main

import (
	"github.com/spf13/cobra"

	"github.com/mfapolicy/mfapolicy/internal/buildinfo"
)

type versionOptions struct {
	s      *streams
	Format string
}

func newVersionCmd(s *streams, runF func(*versionOptions) error) *cobra.Command {
	opts := &versionOptions{s: s}
	cmd := &cobra.Command{
		Use:   "version",
		Short: "Print the version of mfapolicy and of its engines",
		Long: `Version prints the release version of mfapolicy, the commit it was built
from and that commit's date, the Go toolchain, and the versions of the
engines built in: goja (runs the Action), esbuild (bundles it) and cel-go
(checks and evaluates the rules). Compiled Actions and reports carry the
first line, so a deployed Action can be traced to the tool that made it.

--format json prints the same as one stable JSON object:
{"version", "commit", "date", "modified", "go", "platform",
"engines": [{"name", "module", "version"}]}.`,
		Example: `  mfapolicy version
  mfapolicy --version
  mfapolicy version --format json | jq -r .version`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			if opts.Format != "text" && opts.Format != "json" {
				return usageErr("--format must be text or json, not %q", opts.Format)
			}
			return runF(opts)
		},
	}
	cmd.Flags().StringVar(&opts.Format, "format", "text", "output format: text or json")
	return cmd
}

func runVersion(opts *versionOptions) error {
	info := buildinfo.Read()
	if opts.Format == "json" {
		return writeJSON(opts.s.Out, info)
	}
	_, err := opts.s.Out.Write([]byte(info.Text()))
	return err
}
