#!/usr/bin/env bash
# Replays EVENTS (and the PULLED logs) through the base branch's policy and this one: workflow
# annotations on standard output, the Markdown report in the job summary
# and in a file; the exit status and the report's path are step outputs.
set -euo pipefail

base_ref=${BASE_REF:-${PR_BASE_REF:-}}
if [ -z "$base_ref" ]; then
  echo "::error title=mfapolicy::no base branch to compare with: set the base-ref input outside pull requests"
  exit 2
fi
# diff reads the base policy with git show; a shallow checkout lacks it.
if ! git rev-parse --verify --quiet "refs/remotes/origin/$base_ref^{commit}" >/dev/null; then
  git fetch --no-tags --depth=1 origin "+refs/heads/$base_ref:refs/remotes/origin/$base_ref"
fi

args=()
for e in $EVENTS; do
  args+=(--events "$e")
done
# The logs pulled by the previous step, when it ran.
if [ -n "${PULLED:-}" ]; then
  args+=(--events "$PULLED")
fi
report="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/mfapolicy-diff.md"
rm -f "$report"
set +e
mfapolicy diff "git:origin/$base_ref:$POLICY" "$POLICY" "${args[@]}" --fail-on "$FAIL_ON" --format github --summary "$report"
status=$?
set -e
if [ -s "$report" ]; then
  cat "$report" >> "$GITHUB_STEP_SUMMARY"
  echo "report=$report" >> "$GITHUB_OUTPUT"
fi
echo "status=$status" >> "$GITHUB_OUTPUT"
