import type { KubeContext } from './context.js';
import { resourcePath } from './paths.js';
import type { KubeObject } from './types.js';

export interface KubeEvent {
  type: string;
  reason: string;
  message: string;
  count: number;
  /** `kind/name` of the object the event is about. */
  object: string;
  namespace: string | undefined;
  lastSeen: string;
}

interface RawEvent extends KubeObject {
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  series?: { count?: number; lastObservedTime?: string };
  involvedObject?: { kind?: string; name?: string; namespace?: string };
  lastTimestamp?: string;
  eventTime?: string;
  firstTimestamp?: string;
}

export interface EventQuery {
  namespace?: string;
  /** Only `Warning` events when true. */
  warningsOnly?: boolean;
  /** Events about these objects or anything named after them (their ReplicaSets and Pods). */
  relatedTo?: readonly { kind: string; name: string }[];
  limit?: number;
}

/** Lists core/v1 Events, newest last. */
export async function listEvents(ctx: KubeContext, query: EventQuery = {}): Promise<KubeEvent[]> {
  const info = await ctx.discovery.forKind('v1', 'Event');
  const list = await ctx.transport.json<{ items: RawEvent[] }>({
    method: 'GET',
    path: resourcePath(info, query.namespace),
    query: { fieldSelector: query.warningsOnly ? 'type=Warning' : undefined },
  });
  const related = query.relatedTo;
  const events = list.items
    .filter((e) => {
      if (!related) return true;
      const name = e.involvedObject?.name ?? '';
      return related.some((r) => name === r.name || name.startsWith(`${r.name}-`));
    })
    .map((e): KubeEvent => ({
      type: e.type ?? '',
      reason: e.reason ?? '',
      message: (e.message ?? '').trim(),
      count: e.series?.count ?? e.count ?? 1,
      object: `${(e.involvedObject?.kind ?? '').toLowerCase()}/${e.involvedObject?.name ?? ''}`,
      namespace: e.involvedObject?.namespace,
      lastSeen: e.series?.lastObservedTime ?? e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? '',
    }))
    .sort((a, b) => a.lastSeen.localeCompare(b.lastSeen));
  return query.limit ? events.slice(-query.limit) : events;
}
