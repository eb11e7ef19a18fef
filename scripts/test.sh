#!/usr/bin/env bash
# The whole test suite from a fresh clone: set-up, lint, type check, unit tests, then integration tests
# against one shared local cluster (created by the test harness, deleted at the end), then the system tests
# (this machine as a real node, images, a paging-size cluster), one file at a time.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
CNCFDEMO_SETUP_TEST=1 bash scripts/setup.sh
npm run --silent lint
npm run --silent typecheck
npx vitest run --project unit
npx vitest run --project integration
npx vitest run --project system
