import { UserError } from '../errors/index.js';
import type { Logger } from '../log/logger.js';
import type { Discovery } from './discovery.js';
import type { SharedWatches } from './shared-watch.js';
import type { Transport } from './transport.js';
import type { KubeObject, ResourceInfo } from './types.js';

/** What every operation needs: the connection, discovery and the namespace defaults. */
export interface KubeContext {
  transport: Transport;
  discovery: Discovery;
  /** List-and-watch feeds shared by concurrent waits (the pods of a namespace, say). */
  watches: SharedWatches;
  /** Namespace for objects that name none. */
  namespace: string;
  /** Whether the user chose the namespace (-n): then objects naming another one are an error, as in kubectl. */
  namespaceExplicit: boolean;
  logger: Logger;
}

/** Where an object lives on the server. */
export interface Target {
  info: ResourceInfo;
  namespace: string | undefined;
  name: string;
}

/** Resolves an object's resource and namespace; fills in the default namespace like kubectl. */
export async function targetOf(ctx: KubeContext, obj: KubeObject): Promise<Target> {
  const info = await ctx.discovery.forKind(obj.apiVersion, obj.kind);
  return { info, namespace: namespaceFor(ctx, obj, info), name: obj.metadata.name ?? '' };
}

export function namespaceFor(ctx: KubeContext, obj: KubeObject, info: ResourceInfo): string | undefined {
  if (!info.namespaced) return undefined;
  const own = obj.metadata.namespace;
  if (own && ctx.namespaceExplicit && own !== ctx.namespace) {
    throw new UserError(
      `the namespace from the provided object "${own}" does not match the namespace "${ctx.namespace}"`,
      `pass --namespace=${own} or remove metadata.namespace from the object`,
    );
  }
  return own || ctx.namespace;
}

/** The object as it will be sent: with its namespace filled in, everything else untouched. */
export function withNamespace(obj: KubeObject, namespace: string | undefined): KubeObject {
  if (!namespace || obj.metadata.namespace === namespace) return obj;
  return { ...obj, metadata: { ...obj.metadata, namespace } };
}
