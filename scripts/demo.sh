#!/usr/bin/env bash
# The one-command demo: set-up, the local cluster (created if needed), then the demo stack on it and its status.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
if ! ./bin/cncfdemo cluster list 2>/dev/null | grep -qE '^cncfdemo +local +Running'; then
  ./bin/cncfdemo cluster create
fi
./bin/cncfdemo start --context cncfdemo-cncfdemo
./bin/cncfdemo status --context cncfdemo-cncfdemo
