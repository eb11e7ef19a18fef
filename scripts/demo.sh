#!/usr/bin/env bash
# The one-command demo: set-up, then the local cluster (created if needed), then its nodes.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
if ! ./bin/cncfdemo cluster list 2>/dev/null | grep -qE '^cncfdemo +local +Running'; then
  ./bin/cncfdemo cluster create
fi
kubectl="$(bash scripts/build-binaries.sh | head -1)/kubectl"
"$kubectl" --context cncfdemo-cncfdemo get nodes -o wide
