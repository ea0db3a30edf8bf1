#!/usr/bin/env bash
# Creates or updates the one comment of mfapolicy's report on the pull
# request: the comment by COMMENT_AUTHOR that starts with this policy's
# marker is edited, else a new one is made. GitHub REST API, "Issue
# comments" (https://docs.github.com/en/rest/issues/comments): list
# GET /repos/{owner}/{repo}/issues/{number}/comments (100 a page), update
# PATCH /repos/{owner}/{repo}/issues/comments/{id}, create
# POST /repos/{owner}/{repo}/issues/{number}/comments.
set -euo pipefail

api=${GITHUB_API_URL:-https://api.github.com}
repo=${GITHUB_REPOSITORY:?}
pr=${PR_NUMBER:?}
marker="<!-- mfapolicy report: $(printf '%s' "$POLICY" | tr -c 'A-Za-z0-9._/-' '_') -->"

# A comment holds at most 65,536 characters.
body="$marker"$'\n'"$(cat "$REPORT")"
if [ "${#body}" -gt 65000 ]; then
  body="${body:0:64000}"$'\n\n'"…the report is longer than a comment allows: the job summary has all of it."
fi

# The token goes to curl in a file, never on a command line.
headers=$(mktemp)
trap 'rm -f "$headers"' EXIT
chmod 600 "$headers"
printf 'Authorization: Bearer %s\nAccept: application/vnd.github+json\nX-GitHub-Api-Version: 2022-11-28\n' "$GITHUB_TOKEN" > "$headers"

id=""
page=1
while :; do
  comments=$(curl -fsS -H @"$headers" "$api/repos/$repo/issues/$pr/comments?per_page=100&page=$page")
  id=$(jq -r --arg m "$marker" --arg a "$COMMENT_AUTHOR" \
    'map(select(.user.login == $a and ((.body // "") | startswith($m)))) | first | .id // empty' <<<"$comments")
  if [ -n "$id" ] || [ "$(jq length <<<"$comments")" -lt 100 ]; then
    break
  fi
  page=$((page + 1))
done

payload=$(jq -n --arg b "$body" '{body: $b}')
if [ -n "$id" ]; then
  curl -fsS -o /dev/null -X PATCH -H @"$headers" --data-binary "$payload" "$api/repos/$repo/issues/comments/$id"
  echo "mfapolicy: updated the report comment $id on #$pr"
else
  curl -fsS -o /dev/null -X POST -H @"$headers" --data-binary "$payload" "$api/repos/$repo/issues/$pr/comments"
  echo "mfapolicy: commented the report on #$pr"
fi
