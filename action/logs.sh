#!/usr/bin/env bash
# Pulls the tenant's logs of the last LOGS_SINCE into LOGS_FILE with
# mfapolicy logs pull: a file restored from the cache (with its checkpoint)
# gets only the logs that are new. The credentials come from the job's
# environment (AUTH0_DOMAIN, AUTH0_CLIENT_ID, AUTH0_CLIENT_SECRET) and are
# never printed. The file is the step's events output.
set -euo pipefail

case "$LOGS_FILE" in
  *$'\n'* | *$'\r'* | '')
    echo "::error title=mfapolicy::the logs-file input must be one path on one line"
    exit 2
    ;;
esac
mkdir -p -- "$(dirname -- "$LOGS_FILE")"
mfapolicy logs pull --since "$LOGS_SINCE" -o "$LOGS_FILE"
echo "events=$LOGS_FILE" >> "$GITHUB_OUTPUT"
