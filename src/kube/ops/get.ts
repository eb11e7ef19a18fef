import { UserError } from '../../errors/index.js';
import type { KubeClient } from '../client.js';
import type { Table } from '../read.js';
import { apiVersionOf, type KubeObject, type ResourceInfo } from '../types.js';

export interface GetRequest {
  /** `pods`, `deploy,svc`, or `TYPE/NAME` (then every name is TYPE/NAME too). */
  type: string;
  names?: readonly string[];
  selector?: string;
  fieldSelector?: string;
  allNamespaces?: boolean;
  /** Full objects (for -o yaml/json/name) instead of tables. */
  objects?: boolean;
}

export interface GetResult {
  /** Exactly one named object was asked for: print it alone, not as a List. */
  single: boolean;
  objects: KubeObject[];
  /** One per resource type, with the `kind.group/` prefix kubectl shows when several types are listed. */
  tables: { prefix: string; table: Table }[];
  /** What kubectl says when nothing matched. */
  emptyMessage: string;
}

interface Query {
  info: ResourceInfo;
  names: string[];
}

/** `kubectl get`: server-rendered tables (the same columns kubectl shows), or the objects themselves. */
export async function getObjects(client: KubeClient, request: GetRequest): Promise<GetResult> {
  const queries = await parseQueries(client, request);
  const listOptions = {
    ...(request.selector ? { labelSelector: request.selector } : {}),
    ...(request.fieldSelector ? { fieldSelector: request.fieldSelector } : {}),
    ...(request.allNamespaces ? { allNamespaces: true } : {}),
  };
  const result: GetResult = {
    single: queries.length === 1 && queries[0]?.names.length === 1,
    objects: [],
    tables: [],
    emptyMessage:
      request.allNamespaces || queries.every((q) => !q.info.namespaced)
        ? 'No resources found'
        : `No resources found in ${client.namespace} namespace.`,
  };
  for (const { info, names } of queries) {
    const kindRef = { apiVersion: apiVersionOf(info), kind: info.kind };
    const prefix = `${info.kind.toLowerCase()}${info.group ? `.${info.group}` : ''}/`;
    if (request.objects) {
      if (names.length === 0) result.objects.push(...(await client.list(kindRef, listOptions)));
      for (const name of names) result.objects.push(await mustGet(client, info, name));
      continue;
    }
    if (names.length === 0) {
      result.tables.push({
        prefix,
        table:
          (await client.table(kindRef, listOptions)) ??
          fallbackTable(await client.list(kindRef, listOptions)),
      });
      continue;
    }
    const tables = await Promise.all(
      names.map(
        async (name) =>
          (await client.table(kindRef, { name })) ?? fallbackTable([await mustGet(client, info, name)]),
      ),
    );
    const first = tables[0];
    if (first)
      result.tables.push({ prefix, table: { columns: first.columns, rows: tables.flatMap((t) => t.rows) } });
  }
  return result;
}

async function parseQueries(client: KubeClient, request: GetRequest): Promise<Query[]> {
  const args = [request.type, ...(request.names ?? [])];
  if (request.type.includes('/')) {
    const queries: Query[] = [];
    for (const arg of args) {
      const [type, name, ...extra] = arg.split('/');
      if (!type || !name || extra.length > 0) {
        throw new UserError(
          `"${arg}" is not TYPE/NAME`,
          'when one argument is TYPE/NAME, all must be (get deploy/web svc/web)',
        );
      }
      const info = await client.resource(type);
      const existing = queries.find((q) => q.info === info);
      if (existing) existing.names.push(name);
      else queries.push({ info, names: [name] });
    }
    return queries;
  }
  const types = request.type.split(',').filter((t) => t !== '');
  return Promise.all(
    types.map(async (t) => ({ info: await client.resource(t), names: [...(request.names ?? [])] })),
  );
}

async function mustGet(client: KubeClient, info: ResourceInfo, name: string): Promise<KubeObject> {
  const obj = await client.get({ apiVersion: apiVersionOf(info), kind: info.kind }, name);
  if (!obj) {
    throw new UserError(
      `${info.resource}${info.group ? `.${info.group}` : ''} "${name}" not found${info.namespaced ? ` in namespace ${client.namespace}` : ''}`,
      info.namespaced
        ? 'check the name, or pass -n NAMESPACE (get -A lists every namespace)'
        : 'check the name',
    );
  }
  return obj;
}

/** NAME and AGE, for servers that cannot render tables. */
function fallbackTable(objects: readonly KubeObject[]): Table {
  return {
    columns: [
      { name: 'Name', type: 'string', format: 'name', priority: 0 },
      { name: 'Age', type: 'string', format: '', priority: 0 },
    ],
    rows: objects.map((o) => ({
      cells: [o.metadata.name ?? '', age(o.metadata.creationTimestamp)],
      namespace: o.metadata.namespace,
    })),
  };
}

/** kubectl's short age: 45s, 12m, 3h, 5d. */
export function age(timestamp: string | undefined, now = Date.now()): string {
  const created = Date.parse(timestamp ?? '');
  if (!Number.isFinite(created)) return '<unknown>';
  const seconds = Math.max(0, Math.floor((now - created) / 1000));
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 120) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h`;
  return `${Math.floor(hours / 24)}d`;
}
