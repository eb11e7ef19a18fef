import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../config/files.js';
import type { ResolvedKubeconfig } from './kubeconfig.js';
import type { ResourceInfo } from './types.js';

/**
 * API discovery kept on disk between runs, like kubectl's ~/.kube/cache/discovery: a command-line run
 * sends its one request instead of discovery's two first (each on a TLS connection of its own). An entry
 * is per API server and CA and lives `ttlMs`; a kind or name it does not know refetches (Discovery),
 * so CRDs installed since are found at once. A resource deleted since stays listed until the entry expires,
 * as with kubectl.
 */
export class DiscoveryCache {
  readonly #file: string;

  constructor(
    dir: string,
    cluster: ResolvedKubeconfig['cluster'],
    readonly ttlMs = DISCOVERY_CACHE_TTL_MS,
    readonly now: () => number = Date.now,
  ) {
    const identity = JSON.stringify([cluster.server, cluster.caData, cluster.caFile, cluster.tlsServerName]);
    this.#file = join(dir, `${createHash('sha256').update(identity).digest('hex').slice(0, 32)}.json`);
  }

  /** The cached resources, unless there are none, they expired, or the file is unreadable. */
  async read(): Promise<ResourceInfo[] | undefined> {
    try {
      const entry = JSON.parse(await readFile(this.#file, 'utf8')) as Partial<CacheEntry>;
      const age = this.now() - (entry.fetchedAt ?? 0);
      const fresh = entry.version === ENTRY_VERSION && age >= 0 && age <= this.ttlMs;
      // Written by write() below, in this entry version: the shape is ours.
      return fresh && Array.isArray(entry.resources) ? [...(entry.resources as ResourceInfo[])] : undefined;
    } catch {
      return undefined;
    }
  }

  /** Best effort: a cache that cannot be written only costs the next run its discovery requests. */
  async write(resources: readonly ResourceInfo[]): Promise<void> {
    const entry: CacheEntry = { version: ENTRY_VERSION, fetchedAt: this.now(), resources };
    try {
      // a concurrent run reads the old entry or the new one, never half of one
      await writeFileAtomic(this.#file, JSON.stringify(entry), { mode: 0o600, dirMode: 0o700 });
    } catch {
      // not cached
    }
  }
}

/** kubectl's discovery cache lives 6 hours; shorter here, as a deleted CRD stays listed until then. */
export const DISCOVERY_CACHE_TTL_MS = 10 * 60_000;
const ENTRY_VERSION = 1;

interface CacheEntry {
  version: number;
  fetchedAt: number;
  resources: readonly ResourceInfo[];
}
