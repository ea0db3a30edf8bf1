package main

import (
	"github.com/spf13/cobra"

	"github.com/mfapolicy/mfapolicy/schema"
)

type schemaOptions struct {
	s    *streams
	File schema.File
}

func newSchemaCmd(s *streams, runF func(*schemaOptions) error) *cobra.Command {
	opts := &schemaOptions{s: s}
	cmd := &cobra.Command{
		Use:   "schema policy|test",
		Short: "Print the JSON Schema of policy files or of policy test files",
		Long: `Schema prints the JSON Schema (draft 2020-12) of a policy file or of a
policy test file, the same as schema/policy.schema.json and
schema/test.schema.json in the repository. Editors with a YAML language
server (VS Code's YAML extension, for example) complete and check a file
that starts with:

  # yaml-language-server: $schema=https://raw.githubusercontent.com/mfapolicy/mfapolicy/main/schema/policy.schema.json

or with the path of a saved copy. The schema checks keys, outcomes,
factors and runtimes; check and test remain the authority (CEL conditions
are checked only there).`,
		Example: `  mfapolicy schema policy > policy.schema.json
  mfapolicy schema test > test.schema.json`,
		Args:      cobra.ExactArgs(1),
		ValidArgs: []string{string(schema.PolicyFile), string(schema.TestFile)},
		RunE: func(_ *cobra.Command, args []string) error {
			opts.File = schema.File(args[0])
			if opts.File != schema.PolicyFile && opts.File != schema.TestFile {
				return usageErr("schema takes policy or test, not %q", args[0])
			}
			return runF(opts)
		},
	}
	return cmd
}

func runSchema(opts *schemaOptions) error {
	data, err := schema.Generate(opts.File)
	if err != nil {
		return err
	}
	_, err = opts.s.Out.Write(data)
	return err
}
