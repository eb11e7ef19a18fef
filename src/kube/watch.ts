import type { IncomingMessage } from 'node:http';
import { ApiError, apiErrorFrom, isApiError } from './errors.js';
import { listPageSize, resourcePath } from './paths.js';
import type { Transport } from './transport.js';
import { apiVersionOf, type KubeObject, type ResourceInfo, type WatchEvent } from './types.js';

export interface WatchOptions {
  /** Only this namespace; all namespaces when unset (namespaced resources). */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  signal?: AbortSignal;
  /** Server-side timeout of each watch request, seconds; jittered by up to a fifth. */
  timeoutSeconds?: number;
  /** Reconnects (from the last resourceVersion) when nothing, not even a bookmark, arrived for this long. */
  inactivityMs?: number;
  /** Resume from here instead of listing first (the store then starts empty); relists if it has expired. */
  resourceVersion?: string;
  /**
   * What to keep of each object (in the store and the updates), e.g. a few fields of big lists; it must
   * keep metadata.name, namespace and resourceVersion. Whole objects when unset.
   */
  transform?: (obj: KubeObject) => KubeObject;
}

/** A change, or `SYNCED` after each (re)list: the store then holds exactly what the server has. */
export type WatchUpdate = WatchEvent | { type: 'SYNCED' };

/** Return true to stop watching. */
export type WatchHandler = (
  update: WatchUpdate,
  store: ReadonlyMap<string, KubeObject>,
) => boolean | undefined;

interface ListResult {
  metadata: { resourceVersion?: string; continue?: string };
  items: KubeObject[];
}

interface RawEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: KubeObject & { code?: number; message?: string; reason?: string };
}

const RETRY_DELAY_MS = 1000;
const MAX_CONSECUTIVE_FAILURES = 5;

export function storeKey(obj: { metadata: { namespace?: string; name?: string } }): string {
  return `${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`;
}

/**
 * A reflector: lists, then watches from the list's resourceVersion with bookmarks and a server-side
 * timeout, resumes from the last seen resourceVersion after the stream ends or stalls, and relists when
 * the server says that version is gone (410). Changes found by a relist are reported as events, so the
 * handler sees one consistent sequence.
 */
export async function listAndWatch(
  transport: Transport,
  info: ResourceInfo,
  options: WatchOptions,
  handler: WatchHandler,
): Promise<void> {
  const store = new Map<string, KubeObject>();
  const path = resourcePath(info, options.namespace);
  const selectors = { labelSelector: options.labelSelector, fieldSelector: options.fieldSelector };
  const apiVersion = apiVersionOf(info);
  const transform = options.transform ?? ((obj: KubeObject) => obj);
  let resourceVersion = options.resourceVersion;
  let failures = 0;

  const apply = (update: WatchUpdate): boolean => handler(update, store) === true;

  const relist = async (): Promise<boolean> => {
    const seen = new Set<string>();
    let cont: string | undefined;
    do {
      const page = await transport.json<ListResult>(
        {
          method: 'GET',
          path,
          query: { ...selectors, limit: listPageSize(options), continue: cont },
          signal: options.signal,
        },
        `list ${info.resource}`,
      );
      for (const item of page.items) {
        const obj = transform({ ...item, apiVersion, kind: info.kind });
        const key = storeKey(obj);
        seen.add(key);
        const old = store.get(key);
        store.set(key, obj);
        if (!old) {
          if (apply({ type: 'ADDED', object: obj })) return true;
        } else if (old.metadata.resourceVersion !== obj.metadata.resourceVersion) {
          if (apply({ type: 'MODIFIED', object: obj })) return true;
        }
      }
      cont = page.metadata.continue || undefined;
      resourceVersion = page.metadata.resourceVersion;
    } while (cont);
    for (const [key, obj] of store) {
      if (seen.has(key)) continue;
      store.delete(key);
      if (apply({ type: 'DELETED', object: obj })) return true;
    }
    return apply({ type: 'SYNCED' });
  };

  while (!options.signal?.aborted) {
    try {
      if (resourceVersion === undefined && (await relist())) return;
      const outcome = await watchOnce(transport, path, selectors, resourceVersion ?? '', options, (event) => {
        if (event.type === 'BOOKMARK') {
          resourceVersion = event.object.metadata.resourceVersion ?? resourceVersion;
          return false;
        }
        if (event.type === 'ERROR') {
          const status = event.object;
          if (status.code === 410) return 'expired';
          throw apiErrorFrom(status.code ?? 500, JSON.stringify(status), `watch ${info.resource}`);
        }
        const obj = transform({ ...event.object, apiVersion, kind: info.kind });
        resourceVersion = obj.metadata.resourceVersion ?? resourceVersion;
        if (event.type === 'DELETED') store.delete(storeKey(obj));
        else store.set(storeKey(obj), obj);
        return apply({ type: event.type, object: obj });
      });
      failures = 0;
      if (outcome === 'stopped') return;
      if (outcome === 'expired') resourceVersion = undefined;
    } catch (err) {
      if (options.signal?.aborted) return;
      transport.throwIfExpired();
      if (isApiError(err) && (err.code === 410 || err.reason === 'Expired' || err.reason === 'Gone')) {
        resourceVersion = undefined;
        continue;
      }
      // Permanent API errors (forbidden, not found, bad selector) end the watch; transient ones retry.
      if (err instanceof ApiError && err.code < 500 && err.code !== 429) throw err;
      failures += 1;
      if (failures >= MAX_CONSECUTIVE_FAILURES) throw err;
      await delay(RETRY_DELAY_MS * failures, options.signal);
    }
  }
}

type LineOutcome = boolean | 'expired';

/** One watch request; resolves when the server closes it, it stalls, it expires, or the handler stops. */
async function watchOnce(
  transport: Transport,
  path: string,
  selectors: { labelSelector?: string; fieldSelector?: string },
  resourceVersion: string,
  options: WatchOptions,
  onEvent: (event: RawEvent) => LineOutcome,
): Promise<'closed' | 'stopped' | 'expired'> {
  const base = options.timeoutSeconds ?? 300;
  const timeoutSeconds = Math.max(1, Math.round(base * (1 + Math.random() / 5)));
  const inactivityMs = options.inactivityMs ?? 90_000;
  const controller = new AbortController();
  const onAbort = (): void => {
    controller.abort();
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  let response: IncomingMessage | undefined;
  // A server that accepts the connection but never answers is a stall too.
  const opening = setTimeout(onAbort, inactivityMs);
  try {
    response = await transport.stream(
      {
        method: 'GET',
        path,
        query: { ...selectors, watch: 1, resourceVersion, allowWatchBookmarks: true, timeoutSeconds },
        signal: controller.signal,
      },
      `watch ${path}`,
    );
    clearTimeout(opening);
    return await readEvents(response, inactivityMs, onEvent);
  } finally {
    clearTimeout(opening);
    options.signal?.removeEventListener('abort', onAbort);
    response?.destroy();
    controller.abort();
  }
}

function readEvents(
  response: IncomingMessage,
  inactivityMs: number,
  onEvent: (event: RawEvent) => LineOutcome,
): Promise<'closed' | 'stopped' | 'expired'> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    let timer: NodeJS.Timeout | undefined;
    const finish = (outcome: 'closed' | 'stopped' | 'expired'): void => {
      clearTimeout(timer);
      response.removeAllListeners('data');
      resolve(outcome);
    };
    const arm = (): void => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        finish('closed');
      }, inactivityMs);
    };
    arm();
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => {
      arm();
      buffer += chunk;
      let newline = buffer.indexOf('\n');
      while (newline >= 0) {
        const line = buffer.slice(0, newline).trim();
        buffer = buffer.slice(newline + 1);
        newline = buffer.indexOf('\n');
        if (!line) continue;
        try {
          const outcome = onEvent(JSON.parse(line) as RawEvent);
          if (outcome === true || outcome === 'expired') {
            finish(outcome === true ? 'stopped' : 'expired');
            return;
          }
        } catch (err) {
          clearTimeout(timer);
          reject(err instanceof Error ? err : new Error(String(err)));
          return;
        }
      }
    });
    response.on('end', () => {
      finish('closed');
    });
    response.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
