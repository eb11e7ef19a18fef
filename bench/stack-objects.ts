/**
 * The demo stack as kubectl's input, for the bench/ scripts that compare cncfdemo with kubectl on the same
 * objects: what `cncfdemo start --dry-run` would apply to the cluster with the given --set values (storage
 * as that cluster allows), split into what kubectl applies and what kubectl then waits for (`rollout
 * status` for workloads, `wait --for=condition=Complete` for Jobs).
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments, stringify } from 'yaml';
import { exec } from '../src/exec/index.js';

export const root = fileURLToPath(new URL('..', import.meta.url));
export const cli = join(root, 'bin', 'cncfdemo');

export interface RenderedStack {
  /** Every object. */
  all: string;
  /** Deployments, StatefulSets, DaemonSets. */
  workloads: string;
  jobs: string;
  count: number;
  namespaces: string[];
}

/**
 * kubectl applies as cncfdemo's field manager: the runs share cluster-wide objects (the priority classes),
 * which would otherwise conflict between the two managers.
 */
export const SAME_MANAGER = ['--field-manager=cncfdemo'];

const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);

/** Namespaces of their own, so that rounds do not see each other's objects. */
export const namespaceSets = (suffix: string): string[] => [
  '--set',
  `namespaces.stack=bench-${suffix}`,
  '--set',
  `namespaces.monitoring=bench-${suffix}-mon`,
];

export async function renderStack(sets: readonly string[], kube: readonly string[]): Promise<RenderedStack> {
  const { stdout } = await exec(cli, ['start', '--dry-run', ...sets, ...kube]);
  const objects = parseAllDocuments(stdout)
    .map((d) => d.toJS() as { kind?: string; metadata?: { name?: string } } | null)
    .filter((o): o is { kind: string; metadata: { name: string } } => typeof o?.kind === 'string');
  const dir = await mkdtemp(join(tmpdir(), 'bench-stack-'));
  const write = async (name: string, list: readonly object[]): Promise<string> => {
    const file = join(dir, name);
    await writeFile(file, list.map((o) => stringify(o)).join('---\n'));
    return file;
  };
  return {
    all: await write('all.yaml', objects),
    workloads: await write(
      'workloads.yaml',
      objects.filter((o) => WORKLOADS.has(o.kind)),
    ),
    jobs: await write(
      'jobs.yaml',
      objects.filter((o) => o.kind === 'Job'),
    ),
    count: objects.length,
    namespaces: objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name),
  };
}

/** What `start` does, the kubectl way: server-side apply of everything at once, then wait for all of it. */
export async function kubectlApplyAndWait(
  kubectl: string,
  kube: readonly string[],
  stack: RenderedStack,
): Promise<void> {
  await exec(kubectl, [...kube, 'apply', '--server-side', ...SAME_MANAGER, '-f', stack.all]);
  await Promise.all([
    exec(kubectl, [...kube, 'rollout', 'status', '-f', stack.workloads, '--timeout=20m']),
    exec(kubectl, [...kube, 'wait', '--for=condition=Complete', '-f', stack.jobs, '--timeout=20m']),
  ]);
}

/** Deletes a round's namespaces and waits until they are gone. */
export async function deleteNamespaces(
  kubectl: string,
  kube: readonly string[],
  namespaces: readonly string[],
): Promise<void> {
  if (namespaces.length === 0) return;
  await exec(kubectl, [...kube, 'delete', 'namespace', ...namespaces, '--ignore-not-found', '--timeout=10m']);
}
