import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import { cacheDir } from '../../../config/paths.js';

/**
 * Runs `work` while holding this machine's lock for starting local clusters. kwokctl picks free ports by
 * probing them, so two clusters starting at once can pick the same port and one of them fails (a
 * metrics-server that cannot listen, for one). A lock held by a process that died turns stale after 10 s.
 */
export async function withPortLock<T>(
  env: NodeJS.ProcessEnv,
  onWait: () => void,
  work: () => Promise<T>,
): Promise<T> {
  const dir = cacheDir(env);
  await mkdir(dir, { recursive: true });
  const options = { realpath: false, lockfilePath: join(dir, 'local-cluster-ports.lock'), stale: 10_000 };
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(dir, { ...options, retries: 0 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ELOCKED') throw err;
    onWait();
    // Another cluster is starting: a create takes seconds, up to a few minutes on a loaded machine.
    release = await lockfile.lock(dir, {
      ...options,
      retries: { retries: 1200, minTimeout: 250, maxTimeout: 500 },
    });
  }
  try {
    return await work();
  } finally {
    await release();
  }
}
