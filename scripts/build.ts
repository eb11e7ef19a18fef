// `npm run build`: bundles the CLI twice (ARCHITECTURE.md, bin/):
// - dist/bundle/: every command, one ES module graph of a few files instead of hundreds (Node reads, parses
//   and links each module of the graph), each command its own chunk, loaded only when that command runs
//   (src/cli/commands/index.ts);
// - dist/fast/: the front door bin/cncfdemo requires (start.cjs) and the kubectl-like commands with help
//   in one CommonJS file (cli.cjs), which starts from a V8 code cache (src/cli/start/).
import { createHash } from 'node:crypto';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions, type Plugin } from 'esbuild';
import { loadCommands } from '../src/cli/commands/index.js';
import { summarize } from '../src/cli/commands/summaries.js';
import { KUBECTL_LIKE_COMMANDS } from '../src/cli/start/route.js';
import type { CliContext, CliIO } from '../src/cli/context.js';
import { noopLogger } from '../src/log/logger.js';
import { SLOS_SCHEMA } from '../src/bench/measurements/slos.js';
import { INVENTORY_SCHEMA } from '../src/cluster/providers/metal/inventory.js';
import { DEFERRED_CA_WORDS_FILE } from '../src/config/ca-roots.js';
import { DOCTOR_SCHEMAS } from '../src/doctor/data.js';
import { PRICES_SCHEMA } from '../src/report/cost.js';
import { RUN_RECORD_SCHEMA } from '../src/report/validate.js';
import { precompileValidator } from '../src/schema/ajv.js';
import { STACK_DEFINITION_SCHEMA } from '../src/stack/definition.js';
import { VALUES_SCHEMA } from '../src/stack/values.js';
import { RELEASE_PINS_SCHEMA } from '../src/toolchain/releases.js';

const root = fileURLToPath(new URL('..', import.meta.url));

// What the top-level help lists of each command, so that `--help` loads none of them (src/cli/commands/summaries.ts).
// Building a command only declares it: nothing of the context is used before it runs.
const ctx: CliContext = { io: {} as CliIO, logger: noopLogger, globals: () => ({ debug: false }) };
const summaries = (await loadCommands()).map((factory) => summarize(factory(ctx)));
const { version } = JSON.parse(await readFile(`${root}package.json`, 'utf8')) as { version: string };

const common: BuildOptions = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node20',
  minifyWhitespace: true,
  minifySyntax: true,
  // Less to read and parse at every start; identifiers are kept, so --debug stack traces stay readable.
  sourcemap: 'linked',
  logLevel: 'warning',
};
const define = {
  CNCFDEMO_COMMAND_SUMMARIES: JSON.stringify(summaries),
  CNCFDEMO_VERSION: JSON.stringify(version),
  CNCFDEMO_BUILD_ID: JSON.stringify(await sourceHash()),
};

/** A hash of everything the bundles are built from (our sources and the locked dependencies): the build's id. */
async function sourceHash(): Promise<string> {
  const files = (await readdir(`${root}src`, { recursive: true }))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .sort();
  const hash = createHash('sha256');
  for (const file of [...files.map((f) => `src/${f}`), 'package-lock.json'])
    hash
      .update(file)
      .update('\0')
      .update(await readFile(`${root}${file}`))
      .update('\0');
  return hash.digest('hex').slice(0, 16);
}
// Left as packages: loaded on demand (the AWS SDK, client-node's credential plugins), or they read files
// next to their own code (minijinja's WebAssembly, uPlot's sources for the report).
const external = ['@aws-sdk/*', 'minijinja-js', 'uplot', 'ajv', 'ajv-formats'];
// Both output folders are as deep as dist/<folder>/, so paths relative to a module (packageRoot) still hold.
const commonJs: BuildOptions = {
  ...common,
  format: 'cjs',
  outdir: `${root}dist/fast`,
  outExtension: { '.js': '.cjs' },
  // import.meta.url where the code reads it (packageRoot, createRequire), in a CommonJS file.
  define: { ...define, 'import.meta.url': '__importMetaUrl' },
  banner: { js: "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
};

/**
 * Of client-node, the fast bundle holds the kubeconfig entry parser (9 kB; src/kube/kubeconfig.ts): as a
 * package it is an ES module, loaded through the ESM loader. The rest, an ES module graph of its own that
 * only exec plugins, auth providers and proxies load, stays a package.
 */
const clientNodeParserOnly: Plugin = {
  name: 'client-node-parser-only',
  setup(b) {
    b.onResolve({ filter: /^@kubernetes\/client-node(\/|$)/ }, (args) =>
      args.path === '@kubernetes/client-node/dist/config_types.js'
        ? undefined
        : { path: args.path, external: true },
    );
  },
};

await rm(`${root}dist`, { recursive: true, force: true });
await build({
  ...common,
  entryPoints: { main: 'src/cli/main.ts' },
  outdir: `${root}dist/bundle`,
  splitting: true,
  format: 'esm',
  external: [...external, '@kubernetes/client-node'],
  banner: {
    js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);",
  },
  define,
});
await build({
  ...commonJs,
  entryPoints: { cli: 'src/cli/fast.ts' },
  external,
  // import() becomes require() (of ES modules too, Node >= 20.19): code run from a V8 code cache loses
  // the dynamic import callback (src/cli/start/code-cache.ts), so an import() there would fail.
  supported: { 'dynamic-import': false },
  plugins: [clientNodeParserOnly],
});
const fastBundle = await readFile(`${root}dist/fast/cli.cjs`);
await build({
  ...commonJs,
  entryPoints: { start: 'src/cli/start/start.ts' },
  define: {
    ...commonJs.define,
    // Names the fast bundle's code cache (src/cli/start/code-cache.ts): a new build never reads an old one.
    CNCFDEMO_FAST_BUNDLE_HASH: JSON.stringify(
      createHash('sha256').update(fastBundle).digest('hex').slice(0, 16),
    ),
  },
});

// The first words of the command lines bin/cncfdemo starts with the default roots deferred (src/config/ca-roots.ts).
await writeFile(
  `${root}dist/fast/${DEFERRED_CA_WORDS_FILE}`,
  `${['help', ...KUBECTL_LIKE_COMMANDS].join(' ')}\n`,
);

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
