import { join } from 'node:path';
import { packageRoot } from '../../../../config/paths.js';
import type { Exec } from '../../../../exec/index.js';
import { loadManifests } from '../../../../inputs/index.js';
import { connect } from '../../../../kube/index.js';
import { REAL_NODE_NETWORK as NET, SIMULATED_NODE_TAINT } from './layout.js';

const DNS_TIMEOUT_MS = 120_000;
/** Cluster add-ons belong to the cluster, not to the demo stack: `cncfdemo stop` must never remove them. */
const ADDON_LABELS = { 'k8s-app': 'kube-dns', 'cncfdemo.io/cluster-addon': 'coredns' };

/** Applies CoreDNS (manifests/cluster/coredns.yaml.j2) and waits until it serves. */
export async function installClusterDns(
  kubeconfig: string,
  image: string,
  signal?: AbortSignal,
): Promise<void> {
  const manifests = await loadManifests({
    filenames: [join(packageRoot, 'manifests', 'cluster', 'coredns.yaml.j2')],
    values: {
      image,
      serviceAddress: NET.dnsServiceAddress,
      clusterDomain: NET.clusterDomain,
      labels: ADDON_LABELS,
    },
  });
  const objects = manifests.map((m) => m.object);
  const client = await connect({ kubeconfig });
  try {
    await client.apply(objects, { fieldManager: 'cncfdemo-cluster' });
    await client.waitReady(objects, { timeoutMs: DNS_TIMEOUT_MS, ...(signal ? { signal } : {}) });
  } finally {
    client.close();
  }
}

/** Simulated nodes run no containers: with a real node beside them, only pods that tolerate it land there. */
export async function taintSimulatedNodes(exec: Exec, kubectl: string, kubeconfig: string): Promise<void> {
  const { key, value, effect } = SIMULATED_NODE_TAINT;
  await exec(kubectl, [
    '--kubeconfig',
    kubeconfig,
    'taint',
    'nodes',
    '-l',
    'type=kwok',
    `${key}=${value}:${effect}`,
    '--overwrite',
  ]);
}
