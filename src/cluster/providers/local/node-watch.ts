import { connect, isNodeReady, type KubeClient, type KubeObject } from '../../../kube/index.js';

const WAIT_MS = 5 * 60_000;
const NODE = { apiVersion: 'v1', kind: 'Node' } as const;
const LEASE = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease' } as const;
const LEASE_NAMESPACE = 'kube-node-lease';

/**
 * One list-then-watch of all nodes (through the kube layer, so a paged first list is read in full)
 * until `count` of them report Ready; `kubectl wait --all` would GET each node in turn under client-side
 * rate limits (20 s for 100 nodes).
 */
export function waitForReadyNodes(
  kubeconfig: string,
  count: number,
  progress: (message: string) => void,
  signal?: AbortSignal,
): Promise<void> {
  return withClient(kubeconfig, (client) =>
    watchUntilCount(client, { kind: NODE, count, ok: isNodeReady, what: 'nodes Ready' }, signal, (n) => {
      progress(`${n}/${count} Ready`);
    }),
  );
}

/**
 * Waits until kwok holds every node's lease with a renewal after `since`: only then does it manage the
 * nodes (and their pods). A lease another kwok held before a restart blocks it until the lease expires.
 */
export function waitForNodeLeases(
  kubeconfig: string,
  count: number,
  since: Date,
  progress: (message: string) => void,
  signal?: AbortSignal,
): Promise<void> {
  const renewedSince = (lease: KubeObject): boolean => renewTime(lease) >= since.getTime() - 1000;
  return withClient(kubeconfig, (client) =>
    watchUntilCount(
      client,
      { kind: LEASE, namespace: LEASE_NAMESPACE, count, ok: renewedSince, what: 'nodes managed by kwok' },
      signal,
      (n) => {
        progress(
          `${n}/${count} nodes managed (kwok retries leases a process that died left behind every 50 s)`,
        );
      },
    ),
  );
}

/** How many nodes the cluster has (every page of the list). */
export function countNodes(kubeconfig: string, signal?: AbortSignal): Promise<number> {
  return withClient(kubeconfig, async (client) => (await client.listNodes(signal ? { signal } : {})).length);
}

/**
 * Deletes node leases so that a new kwok takes the nodes at once instead of waiting for them to expire:
 * all of them (before a stop), or those last renewed before `renewedBefore` (left by a kwok that died).
 */
export function releaseNodeLeases(
  kubeconfig: string,
  options: { renewedBefore?: Date; signal?: AbortSignal } = {},
): Promise<void> {
  const { renewedBefore, signal } = options;
  return withClient(kubeconfig, async (client) => {
    const leases = await client.list(LEASE, { namespace: LEASE_NAMESPACE, ...(signal ? { signal } : {}) });
    const stale = renewedBefore
      ? leases.filter((lease) => renewTime(lease) < renewedBefore.getTime())
      : leases;
    // Gone at once: with foreground deletion a lease would wait for the garbage collector, and a kwok
    // starting beside a restarting controller-manager would find it still held and wait 50 s.
    if (stale.length > 0) {
      await client.deleteObjects(stale, {
        wait: false,
        propagationPolicy: 'Background',
        ...(signal ? { signal } : {}),
      });
    }
  });
}

const renewTime = (lease: KubeObject): number =>
  Date.parse((lease.spec as { renewTime?: string } | undefined)?.renewTime ?? '');

async function withClient<T>(kubeconfig: string, use: (client: KubeClient) => Promise<T>): Promise<T> {
  const client = await connect({ kubeconfig });
  try {
    return await use(client);
  } finally {
    client.close();
  }
}

/** Resolves once `count` objects in the watch's store pass `ok`; fails after WAIT_MS naming how far it got. */
interface CountGoal {
  kind: { apiVersion: string; kind: string };
  namespace?: string;
  count: number;
  ok: (obj: KubeObject) => boolean;
  /** For the timeout message: "12 of 1000 <what> after 300 s". */
  what: string;
}

async function watchUntilCount(
  client: KubeClient,
  { kind, namespace, count, ok, what }: CountGoal,
  signal: AbortSignal | undefined,
  progress: (passed: number) => void,
): Promise<void> {
  if (count === 0) return;
  const timeout = AbortSignal.timeout(WAIT_MS);
  const passed = new Set<string>();
  const step = Math.max(1, Math.ceil(count / 5));
  let reported = -1;
  await client.watch(
    kind,
    { ...(namespace ? { namespace } : {}), signal: signal ? AbortSignal.any([signal, timeout]) : timeout },
    (update) => {
      if (update.type !== 'SYNCED') {
        const name = update.object.metadata.name ?? '';
        if (update.type !== 'DELETED' && ok(update.object)) passed.add(name);
        else passed.delete(name);
      }
      if (passed.size !== reported && (passed.size % step === 0 || passed.size >= count)) {
        reported = passed.size;
        progress(passed.size);
      }
      return passed.size >= count;
    },
  );
  if (passed.size >= count) return;
  signal?.throwIfAborted();
  throw new Error(
    `only ${passed.size} of ${count} ${what} after ${WAIT_MS / 1000} s (the cluster's logs/kwok-controller.log may say why)`,
  );
}
