#!/usr/bin/env bash
# Builds promtool from the Prometheus release the stack runs (pinned in toolchain/promtool/go.mod) into the
# cache, once, and prints its path. Tests check the rendered Prometheus configuration with it: Debian's
# promtool is built without Kubernetes service discovery and rejects kubernetes_sd_configs.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cache=${CNCFDEMO_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cncfdemo}
dir=$root/toolchain/promtool

if ! command -v go >/dev/null 2>&1; then
  echo "error: the Go toolchain is needed to build promtool; install Go >= 1.25 (https://go.dev/doc/install) and retry" >&2
  exit 3
fi
export CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS=-mod=readonly

version=$(cd "$dir" && go list -m -f '{{.Version}}' github.com/prometheus/prometheus)
out="$cache/bin/promtool-$version"
if [ ! -x "$out/promtool" ]; then
  echo "building promtool $version (first time only) ..." >&2
  started=$SECONDS
  mkdir -p "$out"
  (cd "$dir" && go build -trimpath -ldflags "-s -w" -o "$out/.promtool.partial" github.com/prometheus/prometheus/cmd/promtool)
  mv -f "$out/.promtool.partial" "$out/promtool"
  echo "built promtool $version in $((SECONDS - started))s" >&2
fi
echo "$out/promtool"
