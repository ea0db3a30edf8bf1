#!/usr/bin/env bash
# Runs the policy tests: TESTS holds paths or globs, separated by spaces
# or lines (the shell expands the globs).
set -euo pipefail
files=()
for t in $TESTS; do
  files+=("$t")
done
mfapolicy test "${files[@]}"
