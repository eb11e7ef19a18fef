#!/usr/bin/env bash
# Builds k6 (the open-model load generator behind `cncfdemo benchmark --rate`) from the pinned wrapper module
# toolchain/k6 into the same cache as the cluster binaries, once. Prints the binary's path on stdout.
set -euo pipefail

# shellcheck source=lib/go-build.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/go-build.sh"
require_go k6

dir=$root/toolchain/k6
out=$(build_set k6 "$(pinned_version "$dir" go.k6.io/k6)" "$dir" "-s -w" k6=go.k6.io/k6)
echo "$out/k6"
