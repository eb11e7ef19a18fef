#!/usr/bin/env bash
# The one-command demo: set-up, the local cluster (created if needed), the demo stack on it, its status,
# then a benchmark whose report.html path is printed last.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh

cluster=cncfdemo
state=$(./bin/cncfdemo cluster list 2>/dev/null | awk -v c="$cluster" '$1 == c { print $3 }')
if [ "$state" = Stopped ]; then
  # Its processes are gone (e.g. after a reboot): start them again, with the cluster's state.
  ./bin/cncfdemo cluster start --name "$cluster"
elif [ -z "$state" ]; then
  # A small start delay on simulated pods, so the startup timings in the report are not all zero.
  ./bin/cncfdemo cluster create --name "$cluster" --pod-start-delay 500ms
fi
./bin/cncfdemo start --context "cncfdemo-$cluster"
./bin/cncfdemo status --context "cncfdemo-$cluster"
./bin/cncfdemo benchmark --cluster "$cluster" --time 30s --save-html
