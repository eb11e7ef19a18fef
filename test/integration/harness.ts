import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, inject } from 'vitest';
import { exec } from '../../src/exec/index.js';
import { binaryPaths, pinnedVersions } from '../../src/cluster/providers/local/toolchain.js';
import { cacheDir } from '../../src/config/paths.js';

/** The shared test cluster's kubeconfig, context and cncfdemo home, provided by global-setup.ts. */
export function testCluster(): { kubeconfig: string; context: string; home: string } {
  return { kubeconfig: inject('kubeconfig'), context: inject('context'), home: inject('home') };
}

/** Env for running cncfdemo (library or CLI) against the test cluster. */
export function testEnv(): NodeJS.ProcessEnv {
  const { kubeconfig, home } = testCluster();
  return { ...process.env, KUBECONFIG: kubeconfig, CNCFDEMO_HOME: home };
}

/** The pinned kubectl, against the test cluster: the reference the tests compare cncfdemo with. */
export async function kubectl(args: readonly string[], input?: string): Promise<string> {
  const { kubectl: bin } = binaryPaths(await pinnedVersions(), cacheDir());
  const { kubeconfig, context } = testCluster();
  const { stdout } = await exec(bin, ['--kubeconfig', kubeconfig, '--context', context, ...args], {
    ...(input !== undefined ? { input } : {}),
  });
  return stdout;
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(3).toString('hex')}`;
}

/** A namespace of the test file's own, created before its tests and deleted after them. */
export function useNamespace(prefix = 'it'): { readonly name: string } {
  const ns = { name: uniqueName(prefix) };
  beforeAll(async () => {
    await kubectl(['create', 'namespace', ns.name]);
  });
  afterAll(async () => {
    await kubectl(['delete', 'namespace', ns.name, '--wait=false']);
  });
  return ns;
}
