import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { createCluster, deleteCluster, listClusters } from '../../src/api/cluster.js';
import { contextName } from '../../src/config/identity.js';
import { cacheDir } from '../../src/config/paths.js';

export const TEST_CLUSTER = 'test';

declare module 'vitest' {
  export interface ProvidedContext {
    kubeconfig: string;
    context: string;
    home: string;
  }
}

/**
 * One local cluster for the whole integration run: reused when it is already running, created otherwise,
 * deleted at the end unless it was reused or CNCFDEMO_KEEP_TEST_CLUSTER=1. It lives in CNCFDEMO_TEST_HOME (default
 * `<cache>/test-home`): another home keeps a run away from a test cluster others use. Tests never touch the user's
 * kubeconfig: the cluster's context lives in a kubeconfig of its own.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const home = process.env.CNCFDEMO_TEST_HOME ?? join(cacheDir(), 'test-home');
  const kubeconfig = join(home, 'kubeconfig');
  const env = { ...process.env, CNCFDEMO_HOME: home, KUBECONFIG: kubeconfig };
  const existing = (await listClusters({ home, env })).find((c) => c.name === TEST_CLUSTER);
  if (existing && !existing.running) await deleteCluster({ name: TEST_CLUSTER, home, env });
  const reuse = existing?.running === true;
  if (!reuse) await createCluster({ name: TEST_CLUSTER, nodes: 3, home, env });

  project.provide('kubeconfig', kubeconfig);
  project.provide('context', contextName(TEST_CLUSTER));
  project.provide('home', home);

  return async () => {
    if (reuse || process.env.CNCFDEMO_KEEP_TEST_CLUSTER === '1') return;
    await deleteCluster({ name: TEST_CLUSTER, home, env });
  };
}
