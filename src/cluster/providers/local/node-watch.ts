import { exec, watchLines } from '../../../exec/index.js';

const WAIT_MS = 5 * 60_000;

/**
 * One watch on all nodes (`kubectl get -w`) until `count` of them report Ready; `kubectl wait --all`
 * would GET each node in turn under client-side rate limits (20 s for 100 nodes).
 */
export async function waitForReadyNodes(
  kubectl: string,
  kubeconfig: string,
  count: number,
  progress: (message: string) => void,
  signal?: AbortSignal,
): Promise<void> {
  const template = '{.metadata.name} {.status.conditions[?(@.type=="Ready")].status}{"\\n"}';
  await watchUntilCount(
    kubectl,
    ['--kubeconfig', kubeconfig, 'get', 'nodes', '--watch', '-o', `jsonpath=${template}`],
    count,
    (fields) => fields[0] === 'True',
    (n) => {
      progress(`${n}/${count} Ready`);
    },
    signal,
  );
}

/**
 * Waits until kwok holds every node's lease with a renewal after `since`: only then does it manage the
 * nodes (and their pods). A lease another kwok held before a restart blocks it until the lease expires.
 */
export async function waitForNodeLeases(
  kubectl: string,
  kubeconfig: string,
  count: number,
  since: Date,
  progress: (message: string) => void,
  signal?: AbortSignal,
): Promise<void> {
  const template = '{.metadata.name} {.spec.renewTime}{"\\n"}';
  await watchUntilCount(
    kubectl,
    [
      '--kubeconfig',
      kubeconfig,
      'get',
      'leases',
      '-n',
      'kube-node-lease',
      '--watch',
      '-o',
      `jsonpath=${template}`,
    ],
    count,
    (fields) => Date.parse(fields[0] ?? '') >= since.getTime() - 1000,
    (n) => {
      progress(`${n}/${count} nodes managed (a lease left by a process that died expires after 200 s)`);
    },
    signal,
  );
}

/** Deletes the node leases so that the next kwok does not wait for them to expire. */
export async function releaseNodeLeases(
  kubectl: string,
  kubeconfig: string,
  signal?: AbortSignal,
): Promise<void> {
  await exec(
    kubectl,
    ['--kubeconfig', kubeconfig, 'delete', 'leases', '-n', 'kube-node-lease', '--all', '--wait=false'],
    signal ? { signal } : {},
  );
}

/** Watch lines are "<name> <fields...>"; resolves once `count` names have a line that passes `ok`. */
async function watchUntilCount(
  kubectl: string,
  args: string[],
  count: number,
  ok: (fields: string[]) => boolean,
  progress: (passed: number) => void,
  signal?: AbortSignal,
): Promise<void> {
  if (count === 0) return;
  const passed = new Set<string>();
  const step = Math.max(1, Math.ceil(count / 5));
  await watchLines(
    kubectl,
    args,
    (line) => {
      const [name, ...fields] = line.trim().split(' ');
      if (!name) return false;
      if (ok(fields)) passed.add(name);
      else passed.delete(name);
      if (passed.size % step === 0) progress(passed.size);
      return passed.size >= count;
    },
    { timeoutMs: WAIT_MS, ...(signal ? { signal } : {}) },
  );
}
