import type { ResourceInfo } from './types.js';

/** The URL path of a resource collection or object: /apis/apps/v1/namespaces/ns/deployments/web. */
export function resourcePath(info: ResourceInfo, namespace?: string, name?: string): string {
  const base = info.group ? `/apis/${info.group}/${info.version}` : `/api/${info.version}`;
  const scope = info.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${base}${scope}/${info.resource}${name ? `/${encodeURIComponent(name)}` : ''}`;
}

/** Objects per page of a list request: kubectl's chunk size. */
const LIST_PAGE_SIZE = 500;

/**
 * Objects per page of a list whose objects are slimmed as each page arrives (a transform): what a page
 * costs before that (its JSON, the whole objects) is then small enough to be collected young. At 2,000
 * pods, pages of 500 (~20 MB parsed each) grew the heap of `benchmark` by half for the rest of the run.
 */
const SLIM_LIST_PAGE_SIZE = 100;

/** The page size of a list request: small when each object is slimmed as its page arrives. */
export function listPageSize(options: { transform?: unknown }): number {
  return options.transform ? SLIM_LIST_PAGE_SIZE : LIST_PAGE_SIZE;
}
