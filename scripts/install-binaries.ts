// `bash scripts/setup.sh` installs the binaries through this: the local cluster's, downloaded from their
// pinned releases (data/releases.yaml) or built from the pinned Go modules, one line per binary on stderr.
// Usage: node_modules/.bin/tsx scripts/install-binaries.ts [--node] [--k6] [--promtool]
import { parseArgs } from 'node:util';
import { installToolchain } from '../src/api/toolchain.js';
import { reportError } from '../src/cli/errors.js';
import { streamLogger } from '../src/log/logger.js';

try {
  const { values } = parseArgs({
    options: {
      node: { type: 'boolean', default: false },
      k6: { type: 'boolean', default: false },
      promtool: { type: 'boolean', default: false },
    },
  });
  await installToolchain({ ...values, logger: streamLogger((line) => process.stderr.write(line)) });
} catch (err) {
  process.exitCode = reportError(err, process.stderr, process.env.CNCFDEMO_DEBUG === '1');
}
