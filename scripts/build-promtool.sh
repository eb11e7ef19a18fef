#!/usr/bin/env bash
# Builds promtool from the Prometheus release the stack runs (pinned in toolchain/prometheus/go.mod) into the
# cache, once, and prints its path. Tests check the rendered Prometheus configuration with it: Debian's
# promtool is built without Kubernetes service discovery and rejects kubernetes_sd_configs.
set -euo pipefail

# shellcheck source=lib/go-build.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/go-build.sh"
require_go promtool

dir=$root/toolchain/prometheus
out=$(build_set promtool "$(pinned_version "$dir" github.com/prometheus/prometheus)" "$dir" "-s -w" \
  promtool=github.com/prometheus/prometheus/cmd/promtool)
echo "$out/promtool"
