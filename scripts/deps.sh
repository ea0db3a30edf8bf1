#!/usr/bin/env bash
# Dependency discipline, run by CI (scripts/test.sh): fails when a module
# in the build list (`go list -m all`) is
#   - replaced (a replace directive in go.mod),
#   - at a pseudo-version, a pre-release or an +incompatible version that
#     is not one of the pinned exceptions below, each with why it is there,
#   - or when goja is not the approved version, or cel-go is older than
#     the oldest version mfapolicy is tested with.
# An exception that no longer matches the build list is an error too, so
# the list cannot go stale.
#
# DEPS_LIST=FILE reads the module list from FILE instead of running
# go list (the format of `go list -m all`; used by the tests).
set -euo pipefail
cd "$(dirname "$0")/.."

goja_approved="v0.0.0-20260311135729-065cd970411c"
celgo_minimum="v0.33.3"

# module version why
exceptions=$(cat <<'LIST'
github.com/dop251/goja v0.0.0-20260311135729-065cd970411c goja has no releases; this commit is the approved one (the JavaScript engine of every simulation)
github.com/dop251/goja_nodejs v0.0.0-20211022123610-8dd9abb0616d required by goja, which pins this commit; not linked into mfapolicy
github.com/google/pprof v0.0.0-20230207041349-798e818bf904 required by goja (profiling); pprof has no releases
github.com/ianlancetaylor/demangle v0.0.0-20220319035150-800ac71e25c2 required by google/pprof; no releases
github.com/go-sourcemap/sourcemap v2.1.3+incompatible required by goja; the last release, from before Go modules
github.com/go-json-experiment/json v0.0.0-20260213210345-44df1a37e875 required by chromedp (the HTML report tests drive Chromium); no releases
golang.org/x/exp v0.0.0-20240823005443-9b4947da3948 required by cel-go and antlr; x/exp has no releases
golang.org/x/telemetry v0.0.0-20261009151841-97e8ea77aa2a required by golang.org/x/tools (which maxminddb-golang's code generator needs); not linked into mfapolicy
go4.org/netipx v0.0.0-20231129151722-fdeea329fbba required by maxmind/mmdbwriter, which writes the test GeoIP databases (geoip/geoiptest, bench); netipx has no releases; not linked into mfapolicy
github.com/dvyukov/go-fuzz v0.0.0-20210103155950-6a8e9d1f2415 required by go4.org/netipx's tests; no releases; not linked into mfapolicy
golang.org/x/exp/typeparams v0.0.0-20221208152030-732eee02a75a required by go4.org/netipx's tooling (staticcheck); x/exp has no releases; not linked into mfapolicy
google.golang.org/genproto/googleapis/api v0.0.0-20240826202546-f6391c0de4c7 required by cel-go; genproto publishes commits only
google.golang.org/genproto/googleapis/rpc v0.0.0-20240826202546-f6391c0de4c7 required by cel-go; genproto publishes commits only
github.com/arbovm/levenshtein v0.0.0-20160628152529-48b4e1c0c4d0 required by agnivade/levenshtein's tests; not linked into mfapolicy
github.com/dgryski/trifles v0.0.0-20230903005119-f50d829f2e54 required by agnivade/levenshtein's tests; not linked into mfapolicy
github.com/aybabtme/iocontrol v0.0.0-20150809002002-ad15bcfc95a0 required by PuerkitoBio/rehttp's tests (through go-auth0); not linked into mfapolicy
gopkg.in/check.v1 v0.0.0-20161208181325-20d25e280405 required by the yaml v3 modules' tests; not linked into mfapolicy
LIST
)

if [ -n "${DEPS_LIST:-}" ]; then
  modules=$(cat "$DEPS_LIST")
else
  modules=$(go list -m all)
fi

fail=0
problem() { echo "deps: $*" >&2; fail=1; }

# The first line is the main module.
while read -r path version rest; do
  [ -z "$path" ] && continue
  if [ -n "$rest" ]; then
    problem "$path $version is replaced ($rest): mfapolicy builds from published modules only; remove the replace directive"
    continue
  fi
  case "$path" in
    github.com/dop251/goja)
      [ "$version" = "$goja_approved" ] || problem "goja is $version; the approved version is $goja_approved" ;;
    cel.dev/cel-go)
      oldest=$(printf '%s\n%s\n' "$version" "$celgo_minimum" | sort -V | head -1)
      [ "$oldest" = "$celgo_minimum" ] || problem "cel-go is $version, older than $celgo_minimum" ;;
  esac
  if [[ "$version" =~ ^v[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
    continue
  fi
  if ! grep -qxF "$path $version" <<<"$(cut -d' ' -f1,2 <<<"$exceptions")"; then
    problem "$path $version is a pseudo-version, a pre-release or +incompatible and not a pinned exception: take a tagged release (go get $path@vX.Y.Z), or add it to scripts/deps.sh with why"
  fi
done < <(tail -n +2 <<<"$modules")

while read -r path version _; do
  if ! grep -qxF "$path $version" <<<"$(tail -n +2 <<<"$modules" | cut -d' ' -f1,2)"; then
    problem "the exception $path $version is not in the build list any more: remove it from scripts/deps.sh"
  fi
done <<<"$exceptions"

if [ "$fail" != 0 ]; then
  exit 1
fi
echo "deps: $(($(wc -l <<<"$modules") - 1)) modules; goja $goja_approved; $(wc -l <<<"$exceptions") pinned exceptions"
