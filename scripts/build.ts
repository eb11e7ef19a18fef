// `npm run build`: bundles the CLI into one module graph of a few files instead of hundreds, so a command
// starts in a fraction of the time (Node reads, parses and links each module of the graph). Each command
// stays its own chunk, loaded only when that command runs (src/cli/commands/index.ts).
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { loadCommands } from '../src/cli/commands/index.js';
import { summarize } from '../src/cli/commands/summaries.js';
import type { CliContext, CliIO } from '../src/cli/context.js';
import { noopLogger } from '../src/log/logger.js';
import { SLOS_SCHEMA } from '../src/bench/measurements/slos.js';
import { INVENTORY_SCHEMA } from '../src/cluster/providers/metal/inventory.js';
import { DOCTOR_SCHEMAS } from '../src/doctor/data.js';
import { PRICES_SCHEMA } from '../src/report/cost.js';
import { RUN_RECORD_SCHEMA } from '../src/report/validate.js';
import { precompileValidator } from '../src/schema/ajv.js';
import { STACK_DEFINITION_SCHEMA } from '../src/stack/definition.js';
import { VALUES_SCHEMA } from '../src/stack/values.js';
import { RELEASE_PINS_SCHEMA } from '../src/toolchain/releases.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}dist/bundle`;

// What the top-level help lists of each command, so that `--help` loads none of them (src/cli/commands/summaries.ts).
// Building a command only declares it: nothing of the context is used before it runs.
const ctx: CliContext = { io: {} as CliIO, logger: noopLogger, globals: () => ({ debug: false }) };
const summaries = (await loadCommands()).map((factory) => summarize(factory(ctx)));

await rm(`${root}dist`, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: { main: 'src/cli/entry.ts' },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Left as packages: loaded on demand (the AWS SDK, client-node's credential plugins), or they read files
  // next to their own code (minijinja's WebAssembly, uPlot's sources for the report).
  external: ['@aws-sdk/*', '@kubernetes/client-node', 'minijinja-js', 'uplot', 'ajv', 'ajv-formats'],
  // dist/bundle is as deep as dist/<folder>/, so paths relative to a module (packageRoot) still hold.
  banner: {
    js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);",
  },
  minifyWhitespace: true,
  minifySyntax: true,
  define: { CNCFDEMO_COMMAND_SUMMARIES: JSON.stringify(summaries) },
  // Less to read and parse at every start; identifiers are kept, so --debug stack traces stay readable.
  sourcemap: 'linked',
  logLevel: 'warning',
});

// Every JSON Schema's validator, precompiled (compiling the values schema takes 0.2-0.3 s per run).
for (const spec of [
  VALUES_SCHEMA,
  RUN_RECORD_SCHEMA,
  INVENTORY_SCHEMA,
  SLOS_SCHEMA,
  PRICES_SCHEMA,
  STACK_DEFINITION_SCHEMA,
  RELEASE_PINS_SCHEMA,
  ...Object.values(DOCTOR_SCHEMAS),
])
  precompileValidator(spec);
