/**
 * How fast does cncfdemo start compared with kubectl? Alternating rounds of the same command lines:
 *   --help, --version (no cluster), and `get pods -A` against a small cluster,
 * each as a fresh process, as users run them; prints the medians and cncfdemo / kubectl (target <= 1.5x),
 * and Node's own start (`node -e 0`): the floor of any Node.js CLI on this machine (and, when
 * $NODE_EXTRA_CA_CERTS is set, the floor without it: Node 20 reads those certificates at every start,
 * which bin/cncfdemo spares these command lines; src/config/ca-roots.ts).
 *
 * Usage: npm run build && npx tsx bench/startup.ts [--rounds 15] [--kubeconfig FILE] [--context NAME]
 * The default cluster is the integration test cluster (create it with the integration tests, or pass --kubeconfig).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { binaryPaths, pinnedVersions } from '../src/cluster/providers/local/toolchain.js';
import { cacheDir } from '../src/config/paths.js';
import { exec } from '../src/exec/index.js';
import { alternatingRounds, ratioLine } from './rounds.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '15' },
    kubeconfig: { type: 'string', default: join(cacheDir(), 'test-home', 'kubeconfig') },
    context: { type: 'string' },
  },
});
const rounds = Number(values.rounds);
const cli = join(root, 'bin', 'cncfdemo');
if (!existsSync(join(root, 'dist'))) {
  console.error('build first: npm run build (the benchmark runs the built CLI, as users do)');
  process.exit(2);
}
const kubectl = binaryPaths(await pinnedVersions(), cacheDir()).kubectl;
const kube = ['--kubeconfig', values.kubeconfig, ...(values.context ? ['--context', values.context] : [])];
const haveCluster = existsSync(values.kubeconfig);

const commands: [string, string[]][] = [
  ['--help', ['--help']],
  ['--version', ['--version']],
  ...(haveCluster ? [['get pods -A', ['get', 'pods', '-A', ...kube]] as [string, string[]]] : []),
];
if (!haveCluster) console.log(`no kubeconfig at ${values.kubeconfig}: get pods skipped`);

console.log(`node ${process.version}, ${rounds} alternating rounds per command line\n`);
const lines: string[] = [];
for (const [label, args] of commands) {
  // kubectl's version flag is a subcommand
  const kubectlArgs = label === '--version' ? ['version', '--client'] : args;
  const timings = await alternatingRounds(
    {
      cncfdemo: () => exec(cli, [...args]),
      kubectl: () => exec(kubectl, kubectlArgs),
    },
    rounds,
  );
  lines.push(ratioLine(label, timings.cncfdemo ?? [], timings.kubectl ?? [], '<= 1.5x'));
}
const floor = await alternatingRounds(
  { node: () => exec(process.execPath, ['-e', '0']), kubectl: () => exec(kubectl, ['version', '--client']) },
  rounds,
);
lines.push(ratioLine('node -e 0 (the floor)', floor.node ?? [], floor.kubectl ?? [], 'none'));
// Node 20 parses $NODE_EXTRA_CA_CERTS (and its bundled roots) at every start, before any of our code runs.
if (process.env.NODE_EXTRA_CA_CERTS) {
  const env = { ...process.env, NODE_EXTRA_CA_CERTS: undefined };
  const bare = await alternatingRounds(
    {
      node: () => exec(process.execPath, ['-e', '0'], { env }),
      kubectl: () => exec(kubectl, ['version', '--client']),
    },
    rounds,
  );
  lines.push(ratioLine('  without NODE_EXTRA_CA_CERTS', bare.node ?? [], bare.kubectl ?? [], 'none'));
}
console.log('median cncfdemo vs kubectl, ratio');
for (const line of lines) console.log(`  ${line}`);
