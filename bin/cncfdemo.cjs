// Started by bin/cncfdemo (a shell script; it says why). CommonJS, like what it starts:
// dist/fast/start.cjs (src/cli/start/start.ts says why).
require('node:module').enableCompileCache?.(); // Node >= 22.1 caches compiled code across runs
require('../dist/fast/start.cjs')
  .start(process.argv.slice(2))
  .then((code) => (process.exitCode = code));
