/**
 * How fast is a real node? Creates a cluster with `--real-node` (images from the loopback test registry,
 * as the integration tests do), then prints:
 *   create → node Ready   from the start of `cluster create` until the real node reports Ready
 *   create total          until `cluster create` returns (CoreDNS rolled out, metrics API available)
 *   first pod             a busybox pod, image already cached on the node, from apply to Ready
 * per round, with medians. Needs root (see the README's "The real node").
 *
 * Usage: npx tsx bench/real-node.ts [--rounds 3]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createCluster, deleteCluster } from '../src/api/cluster.js';
import { EventStream } from '../src/events/index.js';
import { connect, type KubeObject } from '../src/kube/index.js';
import { setSysctl, startTestRegistry } from '../test/system/real-node/harness.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '3' } } });
const rounds = Number(values.rounds);
const registry = await startTestRegistry();
const restoreForward = await setSysctl('net.ipv4.ip_forward', '1');
const rows: { ready: number; total: number; firstPod: number }[] = [];
try {
  for (let round = 1; round <= rounds; round++) {
    const home = await mkdtemp(join(tmpdir(), 'cncfdemo-bench-node-'));
    const env = { ...process.env, CNCFDEMO_HOME: home, KUBECONFIG: join(home, 'kubeconfig') };
    const events = new EventStream();
    let readyAt = 0;
    events.subscribe((e) => {
      if (e.scope === 'cluster' && e.id === 'nodes-ready' && e.phase === 'end') readyAt = Date.now();
    });
    const started = Date.now();
    try {
      await createCluster({
        name: 'bench-node',
        realNode: true,
        registryMirrors: registry.mirrors,
        dnsImage: registry.image('cncfdemo/coredns'),
        home,
        env,
        events,
      });
      const total = Date.now() - started;
      const client = await connect({ kubeconfig: join(home, 'clusters', 'bench-node', 'kubeconfig.yaml') });
      const pod: KubeObject = {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'first', namespace: 'default' },
        spec: {
          containers: [{ name: 'c', image: registry.image('cncfdemo/busybox'), command: ['sleep', '3600'] }],
        },
      };
      const podStarted = Date.now();
      await client.apply([pod]);
      await client.waitReady([pod], { timeoutMs: 120_000 });
      const firstPod = Date.now() - podStarted;
      client.close();
      rows.push({ ready: readyAt - started, total, firstPod });
      console.log(
        `round ${String(round)}: create → node Ready ${secs(readyAt - started)}, create total ${secs(total)}, first pod (cached image) ${secs(firstPod)}`,
      );
    } finally {
      await deleteCluster({ name: 'bench-node', home, env }).catch(() => undefined);
      await rm(home, { recursive: true, force: true });
    }
  }
} finally {
  await restoreForward();
  await registry.registry.stop();
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
console.log(
  `median of ${String(rows.length)}: create → node Ready ${secs(median(rows.map((r) => r.ready)))}, create total ${secs(median(rows.map((r) => r.total)))}, first pod ${secs(median(rows.map((r) => r.firstPod)))}`,
);

function secs(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}
