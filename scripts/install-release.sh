#!/usr/bin/env bash
# Installs a released jwtcheck binary: downloads the archive built for this machine from a
# release, checks it against the release's SHA-256 file, and puts `jwtcheck` in DEST/bin.
#
#   scripts/install-release.sh VERSION DEST
#
# VERSION is a release version (0.1.0 or v0.1.0). The release is read from
# JWTCHECK_RELEASE_BASE/v$VERSION/ (default: https://github.com/$JWTCHECK_REPO/releases/download,
# JWTCHECK_REPO defaulting to GITHUB_ACTION_REPOSITORY), which holds jwtcheck-TARGET.tar.gz
# (.zip on Windows) and jwtcheck-TARGET.tar.gz.sha256, as .github/workflows/release.yml
# publishes them. JWTCHECK_TARGET overrides the target detected from `uname`.
#
# Exit codes: 0 installed; 3 no such release or no binary for this machine (build from source
# instead); 1 anything else, a checksum that does not match included (never build around that).
set -euo pipefail

if [ "$#" -ne 2 ]; then
  echo "usage: $0 VERSION DEST" >&2
  exit 1
fi
version=${1#v}
dest=$2

# The targets release.yml builds (Cargo.toml [package.metadata.jwtcheck] release-targets).
if [ -z "${JWTCHECK_TARGET:-}" ]; then
  case "$(uname -s)/$(uname -m)" in
    Linux/x86_64) JWTCHECK_TARGET=x86_64-unknown-linux-musl ;;
    Linux/aarch64 | Linux/arm64) JWTCHECK_TARGET=aarch64-unknown-linux-musl ;;
    Darwin/arm64) JWTCHECK_TARGET=aarch64-apple-darwin ;;
    Darwin/x86_64) JWTCHECK_TARGET=x86_64-apple-darwin ;;
    MINGW*/x86_64 | MSYS*/x86_64 | CYGWIN*/x86_64) JWTCHECK_TARGET=x86_64-pc-windows-msvc ;;
    *)
      echo "jwtcheck: no release binary for $(uname -s) $(uname -m)" >&2
      exit 3
      ;;
  esac
fi
target=$JWTCHECK_TARGET
case "$target" in
  *windows*) archive="jwtcheck-$target.zip" exe=jwtcheck.exe ;;
  *) archive="jwtcheck-$target.tar.gz" exe=jwtcheck ;;
esac

base=${JWTCHECK_RELEASE_BASE:-}
if [ -z "$base" ]; then
  repo=${JWTCHECK_REPO:-${GITHUB_ACTION_REPOSITORY:-}}
  if [ -z "$repo" ]; then
    echo "jwtcheck: no release repository (set JWTCHECK_REPO=owner/name)" >&2
    exit 3
  fi
  base="https://github.com/$repo/releases/download"
fi
url="$base/v$version/$archive"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A release that does not exist (404, or no such file) is "build from source"; any other
# failure to download is an error.
fetch() {
  local code
  code=$(curl --proto '=https,http,file' -sSL --retry 2 --connect-timeout 10 --max-time 300 \
    -o "$2" -w '%{http_code}' "$1") || {
    case $? in
      37) echo "jwtcheck: no release v$version at $1" >&2; return 3 ;;
      *) echo "jwtcheck: could not download $1" >&2; return 1 ;;
    esac
  }
  case "$code" in
    2?? | 000) return 0 ;;
    404) echo "jwtcheck: no release v$version for $target at $1 (HTTP 404)" >&2; return 3 ;;
    *) echo "jwtcheck: downloading $1 answered HTTP $code" >&2; return 1 ;;
  esac
}

fetch "$url" "$work/$archive" || exit $?
# The archive is there: a missing checksum is a broken release, never "no release" (exit 3 would
# let the Action build from source and hide it).
fetch "$url.sha256" "$work/$archive.sha256" || {
  echo "jwtcheck: the release has $archive but no $archive.sha256; not installed" >&2
  exit 1
}

# The .sha256 file is `HASH  NAME` (sha256sum's format); only the hash is compared.
want=$(awk '{print tolower($1); exit}' "$work/$archive.sha256")
if command -v sha256sum >/dev/null 2>&1; then
  got=$(sha256sum "$work/$archive" | awk '{print $1}')
else
  got=$(shasum -a 256 "$work/$archive" | awk '{print $1}')
fi
if [ "${#want}" -ne 64 ] || [ "$want" != "$got" ]; then
  echo "jwtcheck: checksum mismatch for $archive: the release says ${want:-nothing}, the download is $got; not installed" >&2
  exit 1
fi

mkdir -p "$work/x" "$dest/bin"
case "$archive" in
  *.zip)
    if command -v unzip >/dev/null 2>&1; then
      (cd "$work/x" && unzip -q "../$archive")
    else
      powershell -NoProfile -Command "Expand-Archive -LiteralPath '$work/$archive' -DestinationPath '$work/x'"
    fi
    ;;
  *) tar -xzf "$work/$archive" -C "$work/x" ;;
esac
if [ ! -f "$work/x/$exe" ]; then
  echo "jwtcheck: $archive holds no $exe" >&2
  exit 1
fi
said=$("$work/x/$exe" --version) || {
  echo "jwtcheck: the $target binary of v$version does not run here" >&2
  exit 1
}
case "$said" in
  "jwtcheck $version "* | "jwtcheck $version") ;;
  *) echo "jwtcheck: v$version's archive holds another version ($said)" >&2; exit 1 ;;
esac
install -m 0755 "$work/x/$exe" "$dest/bin/$exe"
echo "jwtcheck: installed $said for $target from $url (sha256 $got)" >&2
