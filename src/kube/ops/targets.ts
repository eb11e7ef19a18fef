import { UserError } from '../../errors/index.js';
import type { KubeClient } from '../client.js';
import { apiVersionOf, type KubeObject } from '../types.js';

/**
 * Objects named on the command line as kubectl takes them: `KIND NAME...` or `KIND/NAME...`.
 * They carry only apiVersion, kind, name and namespace: enough to wait on or delete.
 */
export async function namedObjects(
  client: KubeClient,
  args: readonly string[],
  namespace?: string,
): Promise<KubeObject[]> {
  const [first, ...rest] = args;
  if (first === undefined) return [];
  const pairs: [string, string][] = [];
  if (first.includes('/')) {
    for (const arg of args) {
      const [type, name, ...extra] = arg.split('/');
      if (!type || !name || extra.length > 0) {
        throw new UserError(
          `"${arg}" is not TYPE/NAME`,
          'name objects as TYPE/NAME (deploy/web) or TYPE NAME... (deploy web api)',
        );
      }
      pairs.push([type, name]);
    }
  } else {
    if (rest.length === 0) {
      throw new UserError(
        `no name given for "${first}"`,
        `name the objects (${first} NAME) or select them with -l`,
      );
    }
    for (const name of rest) pairs.push([first, name]);
  }
  return Promise.all(
    pairs.map(async ([type, name]) => {
      const info = await client.resource(type);
      const ns = info.namespaced ? (namespace ?? client.namespace) : undefined;
      return {
        apiVersion: apiVersionOf(info),
        kind: info.kind,
        metadata: { name, ...(ns ? { namespace: ns } : {}) },
      };
    }),
  );
}
