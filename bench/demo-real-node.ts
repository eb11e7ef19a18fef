/**
 * The demo on a real node, timed. Creates a real-node cluster (images from the loopback test registry),
 * then prints, per round and as medians:
 *   stack ready          `start --values manifests/profiles/offline.yaml` until every component is Ready
 *                        (images cached on the node after the first round; `stop` between rounds)
 *   load via cncfdemo    the in-cluster wrk Jobs as `benchmark` runs them (apply, wait, results from the
 *                        stack's Prometheus through the API server, cross-check against the pods' logs)
 *   load via kubectl     the same Job applied with `kubectl apply`, `kubectl wait`, requests/s summed from
 *                        `kubectl logs` of its pods
 * and the harness overhead: the wall time and the requests/s of the first against the second (target
 * <= 2 %). A warm-up load runs first, uncounted, so the autoscaled API is at the same size in every
 * counted round; rounds alternate which goes first. Needs root (see the README's "The real node").
 *
 * Usage: npx tsx bench/demo-real-node.ts [--rounds 3] [--load 20s]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createCluster, deleteCluster } from '../src/api/cluster.js';
import { startStack, stopStack } from '../src/api/stack.js';
import { loadJobObjects } from '../src/bench/cluster-load.js';
import { runInClusterLoad } from '../src/bench/in-cluster-load.js';
import { inClusterPrometheus } from '../src/bench/in-cluster-prometheus.js';
import { parseWrkSummary } from '../src/bench/wrk/summary.js';
import { binaryPaths, pinnedVersions } from '../src/cluster/providers/local/toolchain.js';
import { cacheDir, packageRoot } from '../src/config/paths.js';
import { parseDuration } from '../src/deadline/duration.js';
import { EventStream } from '../src/events/index.js';
import { exec } from '../src/exec/index.js';
import { connect } from '../src/kube/index.js';
import { noopLogger } from '../src/log/logger.js';
import { readStackRecord } from '../src/stack/record.js';
import { setSysctl, startTestRegistry } from '../test/system/real-node/harness.js';
import { alternatingRounds, median } from './rounds.js';

const { values } = parseArgs({
  options: { rounds: { type: 'string', default: '3' }, load: { type: 'string', default: '20s' } },
});
const rounds = Number(values.rounds);
const loadSeconds = parseDuration(values.load) / 1000;
const NAME = 'bench-demo';
const PROFILE = join(packageRoot, 'manifests', 'profiles', 'offline.yaml');
const LOAD = { threads: 2, connections: 16, parallelism: 2 };

const registry = await startTestRegistry();
const restoreForward = await setSysctl('net.ipv4.ip_forward', '1');
const home = await mkdtemp(join(tmpdir(), 'cncfdemo-bench-demo-'));
const env = { ...process.env, CNCFDEMO_HOME: home, KUBECONFIG: join(home, 'kubeconfig') };
const context = `cncfdemo-${NAME}`;
const kubeconfig = join(home, 'kubeconfig');
const secs = (s: number): string => `${s.toFixed(2)} s`;
try {
  await createCluster({
    name: NAME,
    realNode: true,
    registryMirrors: registry.mirrors,
    dnsImage: registry.image('cncfdemo/coredns'),
    home,
    env,
  });

  const ready: number[] = [];
  for (let round = 1; round <= rounds; round++) {
    if (round > 1) await stopStack({ context, env, home });
    const started = performance.now();
    await startStack({ context, env, valuesFiles: [PROFILE] });
    ready.push((performance.now() - started) / 1000);
    console.log(
      `round ${round}: stack ready ${secs(ready.at(-1) ?? 0)}${round === 1 ? ' (first pulls)' : ''}`,
    );
  }

  const client = await connect({ kubeconfig, context, env });
  const record = await readStackRecord(client);
  const prom = await inClusterPrometheus(
    client,
    record?.values.namespaces.monitoring ?? 'cncfdemo-monitoring',
  );
  if (!record || !prom) throw new Error('the stack or its Prometheus is not there');
  const { kubectl } = binaryPaths(await pinnedVersions(), cacheDir());
  const k = (...args: string[]) => exec(kubectl, ['--kubeconfig', kubeconfig, '--context', context, ...args]);
  const options = {
    durationSeconds: loadSeconds,
    threads: LOAD.threads,
    connections: LOAD.connections,
    rate: null,
    localTarget: null,
    pricePerNodeHour: null,
    saveHtml: false,
  };
  const rps: Record<string, number[]> = { cncfdemo: [], kubectl: [] };
  let n = 0;
  const cases = {
    cncfdemo: async () => {
      const load = await runInClusterLoad({
        client,
        runId: `bench-${String((n += 1))}`,
        options,
        events: new EventStream(),
        logger: noopLogger,
        prom,
        namespaces: record.values.namespaces,
        images: record.values.loadgen,
        parallelism: LOAD.parallelism,
      });
      rps.cncfdemo?.push(load.http.requestsPerSecond);
    },
    kubectl: async () => {
      const runId = `bench-${String((n += 1))}`;
      const objects = await loadJobObjects({
        runId,
        namespace: record.values.namespaces.stack,
        monitoringNamespace: record.values.namespaces.monitoring,
        parallelism: LOAD.parallelism,
        threads: LOAD.threads,
        connections: LOAD.connections,
        durationSeconds: loadSeconds,
        ...record.values.loadgen,
      });
      const ns = ['-n', record.values.namespaces.stack];
      const job = objects[1]?.metadata.name ?? '';
      await exec(kubectl, ['--kubeconfig', kubeconfig, '--context', context, 'apply', '-f', '-'], {
        input: objects.map((o) => JSON.stringify(o)).join('\n'),
      });
      await k('wait', ...ns, '--for=condition=complete', `job/${job}`, `--timeout=${loadSeconds + 300}s`);
      const { stdout } = await k('logs', ...ns, '-l', `cncfdemo.io/run=${runId}`, '--tail=-1', '--prefix');
      const byPod = new Map<string, string[]>();
      for (const line of stdout.split('\n')) {
        const match = /^\[pod\/([^/]+)\/[^\]]+\] ?(.*)$/.exec(line);
        if (match?.[1]) byPod.set(match[1], [...(byPod.get(match[1]) ?? []), match[2] ?? '']);
      }
      rps.kubectl?.push(
        [...byPod.values()].reduce((sum, l) => sum + parseWrkSummary(l.join('\n')).requestsPerSecond, 0),
      );
      await k('delete', ...ns, `job/${job}`, `configmap/${objects[0]?.metadata.name ?? ''}`, '--wait=false');
    },
  };
  // One load first, not counted: the API's autoscaler then starts every counted round from the same state.
  await cases.cncfdemo();
  rps.cncfdemo = [];
  console.log('warm-up load done (the autoscaler has scaled the API)');
  const timings = await alternatingRounds(cases, rounds, (round, name, seconds) => {
    console.log(
      `round ${round + 1}: load via ${name} ${secs(seconds)}, ${(rps[name]?.at(-1) ?? 0).toFixed(0)} req/s`,
    );
  });
  client.close();

  const wall = { ours: median(timings.cncfdemo ?? []), theirs: median(timings.kubectl ?? []) };
  const throughput = { ours: median(rps.cncfdemo), theirs: median(rps.kubectl ?? []) };
  console.log(
    `median of ${rounds}: stack ready ${secs(median(ready.slice(1).length ? ready.slice(1) : ready))} (images cached)`,
  );
  console.log(
    `load ${values.load} x ${LOAD.parallelism} pods: cncfdemo ${secs(wall.ours)} vs kubectl apply+wait+logs ${secs(wall.theirs)} (${((wall.ours / wall.theirs - 1) * 100).toFixed(1)} % wall)`,
  );
  const loss = (1 - throughput.ours / throughput.theirs) * 100;
  console.log(
    `throughput: cncfdemo ${throughput.ours.toFixed(0)} req/s vs kubectl ${throughput.theirs.toFixed(0)} req/s: harness overhead ${loss.toFixed(1)} % (target <= 2 %)`,
  );
} finally {
  await deleteCluster({ name: NAME, home, env }).catch(() => undefined);
  await rm(home, { recursive: true, force: true });
  await restoreForward();
  await registry.registry.stop();
}
