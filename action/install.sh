#!/usr/bin/env bash
# Installs a release of mfapolicy for the runner's platform: downloads the
# binary and SHA256SUMS from RELEASE_URL/VERSION/, checks the binary's
# SHA-256 against it, and puts it on the PATH of the following steps.
set -euo pipefail

semver='^v[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$'
version=${MFAPOLICY_VERSION:-}
if [ -z "$version" ]; then
  if [[ "${ACTION_REF:-}" =~ $semver ]]; then
    version=$ACTION_REF
  else
    echo "::error title=mfapolicy::set the version input (for example version: v0.1.0): the action is used at '${ACTION_REF:-an unknown ref}', which is not a release tag"
    exit 2
  fi
fi
if ! [[ "$version" =~ $semver ]]; then
  echo "::error title=mfapolicy::version must be a release tag such as v0.1.0"
  exit 2
fi

case "${RUNNER_OS:-$(uname -s)}" in
  Linux) os=linux ;;
  macOS | Darwin) os=darwin ;;
  Windows | MINGW* | MSYS* | CYGWIN*) os=windows ;;
  *) echo "::error title=mfapolicy::no release for the runner's system ${RUNNER_OS:-$(uname -s)}"; exit 2 ;;
esac
case "${RUNNER_ARCH:-$(uname -m)}" in
  X64 | x86_64 | amd64) arch=amd64 ;;
  ARM64 | aarch64 | arm64) arch=arm64 ;;
  *) echo "::error title=mfapolicy::no release for the runner's architecture ${RUNNER_ARCH:-$(uname -m)}"; exit 2 ;;
esac
exe=""
[ "$os" = windows ] && exe=.exe
name="mfapolicy_${version}_${os}_${arch}${exe}"

dir="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/mfapolicy-$version"
mkdir -p "$dir"
url="${RELEASE_URL%/}/$version"
curl -fsSL --retry 3 -o "$dir/SHA256SUMS" "$url/SHA256SUMS"
curl -fsSL --retry 3 -o "$dir/$name.download" "$url/$name"

want=$(awk -v n="$name" '$2 == n || $2 == "*" n { print $1 }' "$dir/SHA256SUMS")
if command -v sha256sum >/dev/null; then
  got=$(sha256sum "$dir/$name.download" | cut -d' ' -f1)
else
  got=$(shasum -a 256 "$dir/$name.download" | cut -d' ' -f1)
fi
if [ -z "$want" ] || [ "$want" != "$got" ]; then
  rm -f "$dir/$name.download"
  echo "::error title=mfapolicy::the SHA-256 of $name is ${got}, but SHA256SUMS of $version says ${want:-nothing}: not installed"
  exit 1
fi
mv "$dir/$name.download" "$dir/mfapolicy$exe"
chmod +x "$dir/mfapolicy$exe"
echo "$dir" >> "$GITHUB_PATH"
"$dir/mfapolicy$exe" version | head -n 1
