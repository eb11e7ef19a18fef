/**
 * The demo stack, cncfdemo against kubectl on the same objects, on a local cluster of its own
 * (3 simulated nodes, --pod-start-delay 500ms by default), alternating rounds, fresh namespaces per run:
 *   apply   `cncfdemo apply -f stack.yaml`  vs  `kubectl apply --server-side -f stack.yaml`   (target >= 3x)
 *   start   `cncfdemo start`  vs  kubectl apply --server-side + rollout status + wait for the Jobs
 *           (target <= 0.8x of kubectl's time)
 *
 * Usage: npm run build && npx tsx bench/stack.ts [--rounds 3] [--nodes 3] [--pod-start-delay 500ms]
 * The cluster (bench-stack, in a temporary home) is deleted at the end.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { binaryPaths, pinnedVersions } from '../src/cluster/providers/local/toolchain.js';
import { cacheDir } from '../src/config/paths.js';
import { exec } from '../src/exec/index.js';
import { median } from './rounds.js';
import {
  cli,
  deleteNamespaces,
  kubectlApplyAndWait,
  namespaceSets,
  renderStack,
  SAME_MANAGER,
} from './stack-objects.js';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    nodes: { type: 'string', default: '3' },
    'pod-start-delay': { type: 'string', default: '500ms' },
  },
});
const rounds = Number(values.rounds);
const name = 'bench-stack';
const home = await mkdtemp(join(tmpdir(), 'bench-stack-home-'));
const kubeconfig = join(home, 'kubeconfig');
const env = { ...process.env, CNCFDEMO_HOME: home, KUBECONFIG: kubeconfig };
const kube = ['--kubeconfig', kubeconfig, '--context', `cncfdemo-${name}`];
const kubectl = binaryPaths(await pinnedVersions(), cacheDir()).kubectl;
const cncfdemo = (args: readonly string[]) => exec(cli, [...args], { env });

await cncfdemo([
  'cluster',
  'create',
  '--name',
  name,
  '--nodes',
  values.nodes,
  '--pod-start-delay',
  values['pod-start-delay'],
]);
try {
  const timings: Record<string, number[]> = { apply: [], 'kubectl-ssa': [], start: [], 'kubectl-wait': [] };
  let objects = 0;
  const runs: Record<string, (suffix: string) => Promise<void>> = {
    apply: async (suffix) => {
      const stack = await renderStack(namespaceSets(suffix), kube);
      objects = stack.count;
      await timed('apply', () => cncfdemo(['apply', '-f', stack.all, ...kube]));
      await deleteNamespaces(kubectl, kube, stack.namespaces);
    },
    'kubectl-ssa': async (suffix) => {
      const stack = await renderStack(namespaceSets(suffix), kube);
      await timed('kubectl-ssa', () =>
        exec(kubectl, [...kube, 'apply', '--server-side', ...SAME_MANAGER, '-f', stack.all]),
      );
      await deleteNamespaces(kubectl, kube, stack.namespaces);
    },
    start: async (suffix) => {
      const stack = await renderStack(namespaceSets(suffix), kube);
      await timed('start', () => cncfdemo(['start', ...namespaceSets(suffix), ...kube]));
      await deleteNamespaces(kubectl, kube, stack.namespaces);
    },
    'kubectl-wait': async (suffix) => {
      const stack = await renderStack(namespaceSets(suffix), kube);
      await timed('kubectl-wait', () => kubectlApplyAndWait(kubectl, kube, stack));
      await deleteNamespaces(kubectl, kube, stack.namespaces);
    },
  };
  async function timed(label: string, run: () => Promise<unknown>): Promise<void> {
    const started = performance.now();
    await run();
    const seconds = (performance.now() - started) / 1000;
    timings[label]?.push(seconds);
    console.log(`  ${label.padEnd(13)} ${seconds.toFixed(2)} s`);
  }
  for (let round = 0; round < rounds; round++) {
    console.log(`round ${round + 1}`);
    const order = round % 2 === 0 ? Object.keys(runs) : Object.keys(runs).reverse();
    for (const run of order) await runs[run]?.(`${run}-${round}-${Date.now().toString(36)}`);
  }
  const m = (label: string): number => median(timings[label] ?? []);
  console.log(
    `\nthe rendered stack (${objects} objects) on ${values.nodes} nodes, --pod-start-delay ${values['pod-start-delay']}, median of ${rounds} rounds:`,
  );
  console.log(
    `  apply   cncfdemo ${m('apply').toFixed(2)} s  kubectl --server-side ${m('kubectl-ssa').toFixed(2)} s  speed-up ${(m('kubectl-ssa') / m('apply')).toFixed(2)}x (target >= 3x)`,
  );
  console.log(
    `  start   cncfdemo ${m('start').toFixed(2)} s  kubectl apply-and-wait ${m('kubectl-wait').toFixed(2)} s  ratio ${(m('start') / m('kubectl-wait')).toFixed(2)}x (target <= 0.8x)`,
  );
} finally {
  await cncfdemo(['cluster', 'delete', '--name', name]).catch(() => undefined);
  await rm(home, { recursive: true, force: true });
}
