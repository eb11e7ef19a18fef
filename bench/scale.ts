/**
 * cncfdemo at scale on a local cluster of its own, one size after another (100 and 1,000 nodes by default),
 * each command timed once with its peak RSS, and the RSS of every control-plane process after each step:
 *   cluster create --nodes N           (target at 1,000: <= 90 s)
 *   start with N Countly API replicas  vs kubectl apply --server-side + rollout status + wait of the same
 *                                       objects in other namespaces   (target at 1,000: <= 0.8x)
 *   status
 *   benchmark --time 30s               (target at 1,000: <= 35 s wall, <= 150 MB peak RSS)
 *   stop
 * then more rounds of start (and stop) against kubectl apply-and-wait (and namespace delete), alternating
 * which goes first, for the medians of the two and their ratio; and the CPU seconds each control-plane
 * process spent during each start, which says whether the cluster or the client is the bottleneck.
 *
 * Usage: npm run build && npx tsx bench/scale.ts [--nodes 100,1000] [--time 30s] [--rounds 3]
 * The cluster (bench-scale, in a temporary home) is deleted after each size. Takes ~16 minutes at 1,000.
 */
import { readdir, readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { binaryPaths, pinnedVersions } from '../src/cluster/providers/local/toolchain.js';
import { cacheDir } from '../src/config/paths.js';
import { exec } from '../src/exec/index.js';
import { median } from './rounds.js';
import { cli, deleteNamespaces, kubectlApplyAndWait, namespaceSets, renderStack } from './stack-objects.js';

const { values } = parseArgs({
  options: {
    nodes: { type: 'string', default: '100,1000' },
    time: { type: 'string', default: '30s' },
    rounds: { type: 'string', default: '3' },
  },
});
const kubectl = binaryPaths(await pinnedVersions(), cacheDir()).kubectl;
const name = 'bench-scale';

interface Step {
  step: string;
  seconds: number;
  rssMb: number | undefined;
}

const rounds = Math.max(1, Number(values.rounds));

for (const nodes of values.nodes.split(',').map(Number)) {
  const home = await mkdtemp(join(tmpdir(), 'bench-scale-home-'));
  const kubeconfig = join(home, 'kubeconfig');
  const env = { ...process.env, CNCFDEMO_HOME: home, KUBECONFIG: kubeconfig };
  const kube = ['--kubeconfig', kubeconfig, '--context', `cncfdemo-${name}`];
  const replicas = ['--set', 'countly.autoscaling.enabled=false', '--set', `countly.replicas=${nodes}`];
  const steps: Step[] = [];
  const planes: string[] = [];
  const cpu: string[] = [];
  const startTimes: number[] = [];
  const kubectlTimes: number[] = [];

  /** Runs a command under GNU time for its wall time and peak RSS. */
  const timed = async (step: string, command: string, args: readonly string[]): Promise<void> => {
    const report = join(home, 'time.txt');
    const started = performance.now();
    await exec('/usr/bin/time', ['-f', '%M', '-o', report, command, ...args], { env });
    const seconds = (performance.now() - started) / 1000;
    const kb = Number((await readFile(report, 'utf8')).trim().split('\n').at(-1));
    steps.push({ step, seconds, rssMb: Number.isFinite(kb) ? kb / 1024 : undefined });
    console.log(`  ${step.padEnd(34)} ${seconds.toFixed(1).padStart(6)} s  ${(kb / 1024).toFixed(0)} MB`);
    planes.push(`${step.padEnd(34)} ${await controlPlaneRss(home)}`);
  };
  const cncfdemo = (step: string, args: readonly string[]) => timed(step, cli, [...args]);

  console.log(`\n${nodes} nodes`);
  try {
    await cncfdemo(`cluster create --nodes ${nodes}`, [
      'cluster',
      'create',
      '--name',
      name,
      '--nodes',
      String(nodes),
    ]);
    const start = async (step: string): Promise<void> => {
      const before = await controlPlaneCpu(home);
      await cncfdemo(step, ['start', ...replicas, ...kube]);
      startTimes.push(steps.at(-1)?.seconds ?? Number.NaN);
      cpu.push(`${step.padEnd(34)} ${cpuSpent(before, await controlPlaneCpu(home))}`);
    };
    const kubectlRound = async (step: string): Promise<void> => {
      const stack = await renderStack(
        [...replicas, ...namespaceSets(`kubectl-${Date.now().toString(36)}`)],
        kube,
      );
      const before = await controlPlaneCpu(home);
      const started = performance.now();
      await kubectlApplyAndWait(kubectl, kube, stack);
      const seconds = (performance.now() - started) / 1000;
      steps.push({ step, seconds, rssMb: undefined });
      kubectlTimes.push(seconds);
      console.log(`  ${step.padEnd(34)} ${seconds.toFixed(1).padStart(6)} s`);
      cpu.push(`${step.padEnd(34)} ${cpuSpent(before, await controlPlaneCpu(home))}`);
      planes.push(`${step.padEnd(34)} ${await controlPlaneRss(home)}`);
      await deleteNamespaces(kubectl, kube, stack.namespaces);
    };
    await start(`start (${nodes} Countly replicas)`);
    await cncfdemo('status', ['status', ...kube]);
    await cncfdemo(`benchmark --time ${values.time}`, [
      'benchmark',
      '--time',
      values.time,
      '--cluster',
      name,
    ]);
    await cncfdemo('stop', ['stop', ...kube]);
    await kubectlRound('kubectl apply-and-wait');
    // Further rounds alternate which goes first, so that neither always meets a cluster just emptied.
    for (let round = 1; round < rounds; round++) {
      const ours = async (): Promise<void> => {
        await start(`start, round ${round + 1}`);
        await cncfdemo(`stop, round ${round + 1}`, ['stop', ...kube]);
      };
      const theirs = (): Promise<void> => kubectlRound(`kubectl apply-and-wait, round ${round + 1}`);
      for (const run of round % 2 === 1 ? [theirs, ours] : [ours, theirs]) await run();
    }
  } finally {
    await exec(cli, ['cluster', 'delete', '--name', name], { env }).catch(() => undefined);
    await rm(home, { recursive: true, force: true });
  }

  const seconds = (prefix: string): number => steps.find((s) => s.step.startsWith(prefix))?.seconds ?? NaN;
  console.log(`\n${nodes} nodes: control-plane RSS after each step (MB)`);
  for (const line of planes) console.log(`  ${line}`);
  console.log(
    `${nodes} nodes: control-plane CPU seconds during each start (2 cores: wall x 2 is the ceiling)`,
  );
  for (const line of cpu) console.log(`  ${line}`);
  console.log(`${nodes} nodes: against the targets (at 1,000 nodes)`);
  console.log(`  cluster create ${seconds('cluster create').toFixed(1)} s (target <= 90 s)`);
  console.log(
    `  start ${median(startTimes).toFixed(1)} s vs kubectl apply-and-wait ${median(kubectlTimes).toFixed(1)} s (medians of ${startTimes.length} and ${kubectlTimes.length}): ${(median(startTimes) / median(kubectlTimes)).toFixed(2)}x (target <= 0.8x)`,
  );
  const bench = steps.find((s) => s.step.startsWith('benchmark'));
  console.log(
    `  benchmark ${bench?.seconds.toFixed(1) ?? '?'} s, ${bench?.rssMb?.toFixed(0) ?? '?'} MB peak RSS (target <= 35 s, <= 150 MB)`,
  );
}

/** CPU seconds (user + system) of each control-plane process so far, from the pid files kwokctl keeps. */
async function controlPlaneCpu(home: string): Promise<Map<string, number>> {
  const dir = join(home, 'clusters', name, 'pids');
  const files = await readdir(dir).catch(() => []);
  const ticks = 100; // USER_HZ: /proc/<pid>/stat counts in clock ticks of 1/100 s on Linux
  const entries = await Promise.all(
    files.map(async (file): Promise<[string, number]> => {
      const pid = (await readFile(join(dir, file), 'utf8')).trim();
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
      // the fields after the command name in parentheses: utime and stime are the 12th and 13th
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return [file.replace(/\.pid$/, ''), (Number(fields[11]) + Number(fields[12])) / ticks];
    }),
  );
  return new Map(entries);
}

/** "etcd 7.2  kube-apiserver 34.3 ...  total 81.9": what each process spent between two readings. */
function cpuSpent(before: ReadonlyMap<string, number>, after: ReadonlyMap<string, number>): string {
  let total = 0;
  const parts = [...after].map(([process, seconds]) => {
    const spent = seconds - (before.get(process) ?? 0);
    total += spent;
    return `${process} ${spent.toFixed(1)}`;
  });
  return `${parts.join('  ')}  total ${total.toFixed(1)}`;
}

/** "etcd 210 kube-apiserver 900 ..." from the pid files kwokctl keeps for the cluster. */
async function controlPlaneRss(home: string): Promise<string> {
  const dir = join(home, 'clusters', name, 'pids');
  const files = await readdir(dir).catch(() => []);
  const parts = await Promise.all(
    files.map(async (file) => {
      const pid = (await readFile(join(dir, file), 'utf8')).trim();
      const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
      const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
      return `${file.replace(/\.pid$/, '')} ${Number.isFinite(kb) ? (kb / 1024).toFixed(0) : '-'}`;
    }),
  );
  return parts.join('  ');
}
