import { UserError } from '../errors/index.js';
import type { DiscoveryCache } from './discovery-cache.js';
import type { Transport } from './transport.js';
import { apiGroup, type ResourceInfo } from './types.js';

const AGGREGATED =
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';

interface DiscoveryResource {
  resource: string;
  responseKind?: { group?: string; version?: string; kind?: string };
  scope: 'Namespaced' | 'Cluster';
  singularResource?: string;
  shortNames?: string[];
  verbs?: string[];
}
interface AggregatedList {
  kind: string;
  items?: {
    metadata?: { name?: string };
    versions?: { version: string; resources?: DiscoveryResource[] }[];
  }[];
}
interface ResourceList {
  groupVersion: string;
  resources: {
    name: string;
    singularName?: string;
    namespaced: boolean;
    kind: string;
    verbs?: string[];
    shortNames?: string[];
  }[];
}
interface GroupList {
  groups: {
    name: string;
    versions: { groupVersion: string; version: string }[];
    preferredVersion?: { version: string };
  }[];
}

/**
 * API discovery, cached for the life of a client: maps kind+apiVersion and kubectl-style names
 * (`po`, `deploy`, `deployments.apps`) to resources. Refetched once when something is not found,
 * so CRDs created during the run are picked up. With a disk cache, the first lookup reads it and every
 * fetch from the server renews it.
 */
export class Discovery {
  #resources: Promise<ResourceInfo[]> | undefined;
  #diskRead = false;

  constructor(
    private readonly transport: Transport,
    private readonly cache?: DiscoveryCache,
  ) {}

  /** Every resource the server serves, preferred versions first within each group. */
  all(): Promise<ResourceInfo[]> {
    if (!this.#resources) {
      const fetching = this.#load();
      this.#resources = fetching;
      // A failed fetch is not cached: the next lookup tries again.
      fetching.catch(() => {
        if (this.#resources === fetching) this.#resources = undefined;
      });
    }
    return this.#resources;
  }

  /** Forgets the cache; the next lookup asks the server again. */
  invalidate(): void {
    this.#resources = undefined;
  }

  async forKind(apiVersion: string, kind: string): Promise<ResourceInfo> {
    const snapshot = this.all();
    const found = (await snapshot).find((r) => matchesKind(r, apiVersion, kind));
    if (found) return found;
    const resources = await this.#refresh(snapshot);
    const again = resources.find((r) => matchesKind(r, apiVersion, kind));
    if (again) return again;
    throw unknownKind(resources, apiVersion, kind);
  }

  /** Resolves what a user types after `get`/`delete`: plural, singular, short name or kind, optionally `.group`. */
  async find(name: string): Promise<ResourceInfo> {
    const snapshot = this.all();
    const found = lookupName(await snapshot, name);
    if (found) return found;
    const again = lookupName(await this.#refresh(snapshot), name);
    if (again) return again;
    throw new UserError(
      `the server doesn't have a resource type "${name}"`,
      'list the known types with: kubectl api-resources (plural names, short names and kinds all work)',
    );
  }

  /** Refetches unless someone already did since `seen` was read: concurrent misses share one refetch. */
  #refresh(seen: Promise<ResourceInfo[]>): Promise<ResourceInfo[]> {
    if (this.#resources === seen) this.invalidate();
    return this.all();
  }

  /** The disk cache on the first lookup; the server (renewing the disk cache) after that or on a miss. */
  async #load(): Promise<ResourceInfo[]> {
    if (this.cache && !this.#diskRead) {
      this.#diskRead = true;
      const cached = await this.cache.read();
      if (cached) return cached;
    }
    const resources = await this.#fetch();
    await this.cache?.write(resources);
    return resources;
  }

  async #fetch(): Promise<ResourceInfo[]> {
    const [core, groups] = await Promise.all([
      this.transport.json<AggregatedList>(
        { method: 'GET', path: '/api', accept: AGGREGATED },
        'API discovery',
      ),
      this.transport.json<AggregatedList>(
        { method: 'GET', path: '/apis', accept: AGGREGATED },
        'API discovery',
      ),
    ]);
    let resources: ResourceInfo[];
    if (core.kind === 'APIGroupDiscoveryList' && groups.kind === 'APIGroupDiscoveryList') {
      resources = [...fromAggregated(core, ''), ...fromAggregated(groups)];
    } else {
      resources = await this.#fetchLegacy(groups as unknown as GroupList);
    }
    return resources;
  }

  /** Servers without aggregated discovery: one request per group version. */
  async #fetchLegacy(groupList: GroupList): Promise<ResourceInfo[]> {
    const versions: { group: string; version: string; path: string }[] = [
      { group: '', version: 'v1', path: '/api/v1' },
    ];
    for (const group of groupList.groups) {
      const preferred = group.preferredVersion?.version;
      const ordered = [...group.versions].sort(
        (a, b) => Number(b.version === preferred) - Number(a.version === preferred),
      );
      for (const v of ordered)
        versions.push({ group: group.name, version: v.version, path: `/apis/${v.groupVersion}` });
    }
    const lists = await Promise.all(
      versions.map((v) =>
        this.transport
          .json<ResourceList>({ method: 'GET', path: v.path }, 'API discovery')
          .then((list) => ({ v, list }))
          .catch(() => undefined),
      ),
    );
    const out: ResourceInfo[] = [];
    for (const entry of lists) {
      if (!entry) continue;
      for (const r of entry.list.resources) {
        if (r.name.includes('/')) continue;
        out.push({
          group: entry.v.group,
          version: entry.v.version,
          kind: r.kind,
          resource: r.name,
          singular: r.singularName || r.kind.toLowerCase(),
          namespaced: r.namespaced,
          shortNames: r.shortNames ?? [],
          verbs: r.verbs ?? [],
        });
      }
    }
    return out;
  }
}

function fromAggregated(list: AggregatedList, onlyGroup?: string): ResourceInfo[] {
  const out: ResourceInfo[] = [];
  for (const item of list.items ?? []) {
    const group = onlyGroup ?? item.metadata?.name ?? '';
    for (const version of item.versions ?? []) {
      for (const r of version.resources ?? []) {
        const kind = r.responseKind?.kind;
        if (!kind) continue;
        out.push({
          group,
          version: version.version,
          kind,
          resource: r.resource,
          singular: r.singularResource || kind.toLowerCase(),
          namespaced: r.scope === 'Namespaced',
          shortNames: r.shortNames ?? [],
          verbs: r.verbs ?? [],
        });
      }
    }
  }
  return out;
}

function matchesKind(r: ResourceInfo, apiVersion: string, kind: string): boolean {
  const group = apiGroup(apiVersion);
  const version = apiVersion.slice(group ? group.length + 1 : 0);
  return r.kind === kind && r.group === group && r.version === version;
}

function unknownKind(resources: readonly ResourceInfo[], apiVersion: string, kind: string): UserError {
  const group = apiGroup(apiVersion);
  const version = apiVersion.slice(group ? group.length + 1 : 0);
  const servedElsewhere = resources
    .filter((r) => r.kind === kind)
    .map((r) => (r.group ? `${r.group}/${r.version}` : r.version));
  const versionServed = resources.some((r) => r.group === group && r.version === version);
  if (servedElsewhere.length > 0) {
    return new UserError(
      `no kind "${kind}" in apiVersion "${apiVersion}" on this cluster; ${kind} is served as ${[...new Set(servedElsewhere)].join(', ')}`,
      `set apiVersion: ${servedElsewhere[0] ?? ''}`,
    );
  }
  if (!versionServed) {
    return new UserError(
      `apiVersion "${apiVersion}" (kind "${kind}") is not served by this cluster`,
      'check the apiVersion for typos, or install the CustomResourceDefinition that provides it',
    );
  }
  return new UserError(
    `unknown kind "${kind}" in apiVersion "${apiVersion}"`,
    'check the kind for typos (kinds are case-sensitive), or install the CustomResourceDefinition that provides it',
  );
}

/** kubectl's resource lookup: exact plural/singular/short name/kind, with an optional `.version.group` suffix. */
export function lookupName(resources: readonly ResourceInfo[], typed: string): ResourceInfo | undefined {
  const lower = typed.toLowerCase();
  const dot = lower.indexOf('.');
  const name = dot < 0 ? lower : lower.slice(0, dot);
  const qualifier = dot < 0 ? undefined : lower.slice(dot + 1);
  const candidates = resources.filter((r) => {
    if (qualifier !== undefined && r.group !== qualifier && `${r.version}.${r.group}` !== qualifier)
      return false;
    return (
      r.resource === name ||
      r.singular === name ||
      r.kind.toLowerCase() === name ||
      r.shortNames.includes(name)
    );
  });
  // Exact plural beats everything else (kubectl's priority); then the order discovery gave (core first).
  return candidates.find((r) => r.resource === name) ?? candidates[0];
}
