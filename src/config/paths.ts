/**
 * Where things are: the cncfdemo home, the binary cache, the user's kubeconfig, the package root; and
 * (identity.ts) how cncfdemo names and labels what it makes.
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** Where run data and local clusters live: --home, then $CNCFDEMO_HOME, then ~/.cncfdemo. */
export function homeDir(env: NodeJS.ProcessEnv = process.env, override?: string): string {
  return resolve(override ?? env.CNCFDEMO_HOME ?? join(homedir(), '.cncfdemo'));
}

/** Where built binaries are cached, outside any checkout: $CNCFDEMO_CACHE, then $XDG_CACHE_HOME/cncfdemo. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.CNCFDEMO_CACHE ?? join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'cncfdemo'));
}

/** Where API discovery is kept between runs (kube/discovery-cache.ts), like kubectl's ~/.kube/cache. */
export function discoveryCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(cacheDir(env), 'discovery');
}

/** The user's kubeconfig the way kubectl picks the file it writes to: the first $KUBECONFIG entry, else ~/.kube/config. */
export function userKubeconfigPath(env: NodeJS.ProcessEnv = process.env): string {
  const first = (env.KUBECONFIG ?? '').split(':').find((p) => p.length > 0);
  return resolve(first ?? join(homedir(), '.kube', 'config'));
}

/** The repository/package root (holds manifests/, toolchain/, scripts/). */
export const packageRoot = resolve(new URL('../..', import.meta.url).pathname);
