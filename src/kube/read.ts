import type { KubeContext } from './context.js';
import { isNotFound } from './errors.js';
import { listPageSize, resourcePath } from './paths.js';
import { apiVersionOf, type KubeObject, type ResourceInfo } from './types.js';

export interface ListOptions {
  /** Only this namespace (namespaced resources); the client's default namespace when unset. */
  namespace?: string;
  /** Every namespace (kubectl -A). */
  allNamespaces?: boolean;
  labelSelector?: string;
  fieldSelector?: string;
  signal?: AbortSignal;
  /** What to keep of each object as each page arrives (big lists then never sit in memory whole). */
  transform?: (obj: KubeObject) => KubeObject;
}

export async function getObject(
  ctx: KubeContext,
  info: ResourceInfo,
  name: string,
  namespace?: string,
): Promise<KubeObject | undefined> {
  try {
    return await ctx.transport.json<KubeObject>(
      { method: 'GET', path: resourcePath(info, namespace ?? ctx.namespace, name) },
      `get ${info.resource} ${name}`,
    );
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** Lists objects (all pages), each with its apiVersion and kind filled in (list items lack them). */
export async function listObjects(
  ctx: KubeContext,
  info: ResourceInfo,
  options: ListOptions = {},
): Promise<KubeObject[]> {
  const namespace = options.allNamespaces ? undefined : (options.namespace ?? ctx.namespace);
  const items: KubeObject[] = [];
  let cont: string | undefined;
  do {
    const page = await ctx.transport.json<{ items: KubeObject[]; metadata: { continue?: string } }>(
      {
        method: 'GET',
        path: resourcePath(info, namespace),
        query: {
          labelSelector: options.labelSelector,
          fieldSelector: options.fieldSelector,
          limit: listPageSize(options),
          continue: cont,
        },
        signal: options.signal,
      },
      `list ${info.resource}`,
    );
    const transform = options.transform ?? ((obj: KubeObject) => obj);
    for (const item of page.items)
      items.push(transform({ ...item, apiVersion: apiVersionOf(info), kind: info.kind }));
    cont = page.metadata.continue || undefined;
  } while (cont);
  return items;
}

export interface TableColumn {
  name: string;
  type: string;
  format: string;
  /** 0: always shown; higher: only with -o wide. */
  priority: number;
}

export interface Table {
  columns: TableColumn[];
  rows: { cells: unknown[]; namespace: string | undefined }[];
}

interface RawTable {
  kind?: string;
  columnDefinitions?: TableColumn[];
  rows?: { cells: unknown[]; object?: { metadata?: { namespace?: string } } }[];
}

/**
 * The server's own table for a resource (what kubectl get prints): the same columns for built-in
 * kinds and a CRD's additionalPrinterColumns. Undefined when the server cannot render tables.
 */
export async function getTable(
  ctx: KubeContext,
  info: ResourceInfo,
  options: ListOptions & { name?: string },
): Promise<Table | undefined> {
  const namespace = options.allNamespaces ? undefined : (options.namespace ?? ctx.namespace);
  const raw = await ctx.transport.json<RawTable>(
    {
      method: 'GET',
      path: resourcePath(info, namespace, options.name),
      accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json',
      query: {
        labelSelector: options.labelSelector,
        fieldSelector: options.fieldSelector,
        includeObject: 'Metadata',
      },
    },
    options.name ? `get ${info.resource} ${options.name}` : `list ${info.resource}`,
  );
  if (raw.kind !== 'Table' || !raw.columnDefinitions) return undefined;
  return {
    columns: raw.columnDefinitions,
    rows: (raw.rows ?? []).map((r) => ({ cells: r.cells, namespace: r.object?.metadata?.namespace })),
  };
}
