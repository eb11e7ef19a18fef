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
      progress(
        `${n}/${count} nodes managed (kwok retries leases a process that died left behind every 50 s)`,
      );
    },
    signal,
  );
}

/**
 * Deletes node leases so that a new kwok takes the nodes at once instead of waiting for them to expire:
 * all of them (before a stop), or those last renewed before `renewedBefore` (left by a kwok that died).
 */
export async function releaseNodeLeases(
  kubectl: string,
  kubeconfig: string,
  options: { renewedBefore?: Date; signal?: AbortSignal } = {},
): Promise<void> {
  const run = (...args: string[]) =>
    exec(kubectl, ['--kubeconfig', kubeconfig, ...args], options.signal ? { signal: options.signal } : {});
  const { renewedBefore } = options;
  if (!renewedBefore) {
    await run('delete', 'leases', '-n', 'kube-node-lease', '--all', '--wait=false');
    return;
  }
  const { stdout } = await run(
    'get',
    'leases',
    '-n',
    'kube-node-lease',
    '-o',
    'jsonpath={range .items[*]}{.metadata.name} {.spec.renewTime}{"\\n"}{end}',
  );
  const stale = stdout
    .split('\n')
    .map((line) => line.trim().split(' '))
    .filter(([name, renewed]) => name && Date.parse(renewed ?? '') < renewedBefore.getTime())
    .map(([name]) => name ?? '');
  if (stale.length > 0)
    await run('delete', 'leases', '-n', 'kube-node-lease', '--wait=false', '--ignore-not-found', ...stale);
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
