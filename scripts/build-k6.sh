#!/usr/bin/env bash
# Builds k6 (the open-model load generator behind `cncfdemo benchmark --rate`) from the pinned wrapper module
# toolchain/k6 into the same cache as the cluster binaries, once. Prints the binary's path on stdout.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cache=${CNCFDEMO_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cncfdemo}
if ! command -v go >/dev/null 2>&1; then
  echo "error: the Go toolchain is needed to build k6; install Go >= 1.25 and retry" >&2
  exit 3
fi
export CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS=-mod=readonly
dir=$root/toolchain/k6
version=$(cd "$dir" && go list -m -f '{{.Version}}' go.k6.io/k6)
out=$cache/bin/k6-$version
if [ ! -x "$out/k6" ]; then
  echo "building k6 $version (first time only) ..." >&2
  mkdir -p "$out"
  (cd "$dir" && go build -trimpath -ldflags "-s -w" -o "$out/.k6.partial" go.k6.io/k6)
  mv -f "$out/.k6.partial" "$out/k6"
fi
echo "$out/k6"
