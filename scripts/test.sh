#!/usr/bin/env bash
# Runs every test mfapolicy has, as CI does. Needs Go, Node.js (the compiled
# Action is also run in Node.js), Chromium (the HTML reports are opened in
# it), and git, curl and jq (the GitHub Action's scripts are run end to
# end): when one is missing and this runs as root, its Debian package is
# installed first.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== browser (the report tests open the HTML reports in headless Chromium)"
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "Chromium is missing: install Debian's chromium package (sudo apt-get install chromium)" >&2
    exit 2
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
/usr/bin/chromium --version

echo "== tools of the GitHub Action's scripts (its end-to-end test runs them)"
for tool in git curl jq; do
  if ! command -v "$tool" >/dev/null; then
    if [ "$(id -u)" != 0 ]; then
      echo "$tool is missing: install Debian's $tool package (sudo apt-get install $tool)" >&2
      exit 2
    fi
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$tool" >/dev/null
  fi
done

echo "== dependencies (pinned versions; scripts/deps.sh says why each exception is there)"
scripts/deps.sh

echo "== vet"
go vet ./...

echo "== tests"
go test ./...

echo "== release targets (each compiles, so a release cannot break at tag time)"
scripts/release.sh --check

echo "== benchmark smoke run (small N: that it works, no thresholds)"
go run ./bench -n 2000 -logs 2500 -rss 1000,2000 -out "${TMPDIR:-/tmp}/bench-results.json"

echo "== fuzz: JavaScript string literals"
# A budget of executions, not of seconds: with a duration, Go 1.26's fuzz
# coordinator can report "context deadline exceeded" as a failure when the
# time runs out mid-execution (https://go.dev/issue/75804, fixed in Go
# 1.27). 300,000 executions take about a minute here.
go test ./compile -run '^$' -fuzz '^FuzzStringLiteral$' -fuzztime 300000x
