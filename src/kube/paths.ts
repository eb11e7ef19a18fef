import type { ResourceInfo } from './types.js';

/** The URL path of a resource collection or object: /apis/apps/v1/namespaces/ns/deployments/web. */
export function resourcePath(info: ResourceInfo, namespace?: string, name?: string): string {
  const base = info.group ? `/apis/${info.group}/${info.version}` : `/api/${info.version}`;
  const scope = info.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${base}${scope}/${info.resource}${name ? `/${encodeURIComponent(name)}` : ''}`;
}
