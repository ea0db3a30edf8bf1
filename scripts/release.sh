#!/usr/bin/env bash
# Builds the release binaries of mfapolicy:
#
#   scripts/release.sh VERSION [DIR]    (default DIR: dist)
#
# writes DIR/mfapolicy_VERSION_OS_ARCH (.exe on Windows) for linux, darwin
# and windows on amd64 and arm64, and DIR/SHA256SUMS (sha256sum's format,
# which `sha256sum -c` checks). The binaries are static (no cgo) and
# reproducible: the same commit and version give the same bytes on any
# machine (-trimpath, no build id, the commit's date rather than the
# build's time); `mfapolicy version` names VERSION, the commit and its
# date. The binary for this machine's platform is run to check that.
#
#   scripts/release.sh --check
#
# compiles every target without writing anything (CI runs it, so that a
# release cannot break at tag time): the same packages and build
# constraints, without optimisation, which takes a third less time.
#
# TARGETS="linux/arm64" limits the build to some targets (the Dockerfile
# builds one).
set -euo pipefail
cd "$(dirname "$0")/.."

targets=${TARGETS:-linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64 windows/arm64}
pkg=github.com/mfapolicy/mfapolicy/internal/buildinfo

if [ "${1:-}" = "--check" ]; then
  # Two targets at a time: one go build leaves a core idle while it
  # compiles the long chain of packages near cmd/mfapolicy.
  logs=$(mktemp -d)
  trap 'rm -rf "$logs"' EXIT
  check() {
    CGO_ENABLED=0 GOOS=${1%/*} GOARCH=${1#*/} go build -gcflags=all='-N -l' -o /dev/null ./cmd/mfapolicy \
      > "$logs/${1/\//_}" 2>&1
  }
  failed=0
  set -- $targets
  while [ $# -gt 0 ]; do
    pids=()
    for t in "$1" "${2:-}"; do
      [ -n "$t" ] || continue
      echo "release: compiling for $t"
      check "$t" &
      pids+=("$!:$t")
    done
    shift $(( $# >= 2 ? 2 : 1 ))
    for p in "${pids[@]}"; do
      if ! wait "${p%%:*}"; then
        echo "release: ${p#*:} does not compile:" >&2
        cat "$logs/$(tr / _ <<<"${p#*:}")" >&2
        failed=1
      fi
    done
  done
  exit "$failed"
fi

version=${1:?usage: scripts/release.sh VERSION [DIR] (for example v0.1.0), or scripts/release.sh --check}
dir=${2:-dist}
if ! [[ "$version" =~ ^v[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]]; then
  echo "release: $version is not a semantic version such as v0.1.0 or v1.2.0-rc.1" >&2
  exit 2
fi

commit=$(git rev-parse HEAD 2>/dev/null || true)
date=$(TZ=UTC git log -1 --format=%cd --date=format-local:%Y-%m-%dT%H:%M:%SZ 2>/dev/null || true)
if [ -n "$(git status --porcelain 2>/dev/null)" ]; then
  echo "release: warning: the tree has uncommitted changes; the binaries say so (modified)" >&2
  commit="$commit-modified"
fi
ldflags="-s -w -buildid= -X $pkg.version=$version -X $pkg.commit=$commit -X $pkg.date=$date"

mkdir -p "$dir"
rm -f "$dir"/mfapolicy_"$version"_* "$dir/SHA256SUMS"
for t in $targets; do
  os=${t%/*} arch=${t#*/}
  out="$dir/mfapolicy_${version}_${os}_${arch}"
  [ "$os" = windows ] && out="$out.exe"
  echo "release: building $out"
  CGO_ENABLED=0 GOOS=$os GOARCH=$arch TZ=UTC go build -trimpath -buildvcs=false -ldflags "$ldflags" -o "$out" ./cmd/mfapolicy
done
(cd "$dir" && sha256sum mfapolicy_"$version"_* > SHA256SUMS)

# Every binary carries the version and the commit stamped into it (the
# others cannot run here); the one for this machine, when built, must say
# them in its version line.
for f in "$dir"/mfapolicy_"$version"_*; do
  for want in "$version" "$commit"; do
    if [ -n "$want" ] && ! grep -aqF -- "$want" "$f"; then
      echo "release: $f does not carry $want" >&2
      exit 1
    fi
  done
done
# The binary for this machine, when built, must name the version.
native="$dir/mfapolicy_${version}_$(go env GOHOSTOS)_$(go env GOHOSTARCH)"
[ "$(go env GOHOSTOS)" = windows ] && native="$native.exe"
if [ -x "$native" ]; then
  line=$("$native" version | head -1)
  case "$line" in
    "mfapolicy $version"*) echo "release: $line" ;;
    *) echo "release: $native says \"$line\", not $version" >&2; exit 1 ;;
  esac
fi
cat "$dir/SHA256SUMS"
