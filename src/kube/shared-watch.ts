import { listAndWatch, type WatchUpdate } from './watch.js';
import type { Transport } from './transport.js';
import type { KubeObject, ResourceInfo } from './types.js';

/** What a follower keeps of each object, named so that followers wanting the same view share one feed. */
export interface WatchView {
  name: string;
  transform: (obj: KubeObject) => KubeObject;
}

export type FeedListener = (update: WatchUpdate, store: ReadonlyMap<string, KubeObject>) => void;

interface Follower {
  listener: FeedListener;
  fail: (err: Error) => void;
}

interface Feed {
  followers: Set<Follower>;
  store: ReadonlyMap<string, KubeObject> | undefined;
  controller: AbortController;
}

/**
 * One list-and-watch per resource, namespace and view for everything in the process that follows it at
 * the same time, as client-go's shared informers do. `start` waits on a dozen components at once and
 * each wait follows the pods of its namespace: without sharing, each one lists every pod there (a
 * thousand at 1,000 nodes) and the API server sends each change once per wait. The feed starts with its
 * first follower and stops with its last. (The client library's informer is one per caller, hence this.)
 */
export class SharedWatches {
  readonly #transport: Transport;
  readonly #feeds = new Map<string, Feed>();

  constructor(transport: Transport) {
    this.#transport = transport;
  }

  /**
   * Calls `listener` with every update of the feed and its store; one that joins a feed already synced
   * gets `SYNCED` first, with the store as it is. Resolves when `signal` aborts (the follower leaves),
   * rejects when the feed fails (every follower of it then does).
   */
  follow(
    info: ResourceInfo,
    namespace: string,
    view: WatchView,
    listener: FeedListener,
    signal: AbortSignal,
  ): Promise<void> {
    const key = `${info.group}/${info.version}/${info.resource}|${namespace}|${view.name}`;
    return new Promise<void>((resolve, reject) => {
      if (signal.aborted) {
        resolve();
        return;
      }
      const feed = this.#feeds.get(key) ?? this.#start(key, info, namespace, view);
      const follower: Follower = { listener, fail: reject };
      feed.followers.add(follower);
      const leave = (): void => {
        feed.followers.delete(follower);
        if (feed.followers.size === 0 && this.#feeds.get(key) === feed) {
          this.#feeds.delete(key);
          feed.controller.abort();
        }
        resolve();
      };
      signal.addEventListener('abort', leave, { once: true });
      const { store } = feed;
      if (store)
        queueMicrotask(() => {
          if (feed.followers.has(follower)) listener({ type: 'SYNCED' }, store);
        });
    });
  }

  #start(key: string, info: ResourceInfo, namespace: string, view: WatchView): Feed {
    const feed: Feed = { followers: new Set(), store: undefined, controller: new AbortController() };
    this.#feeds.set(key, feed);
    listAndWatch(
      this.#transport,
      info,
      { namespace, signal: feed.controller.signal, transform: view.transform },
      (update, store) => {
        if (update.type === 'SYNCED') feed.store = store;
        for (const f of [...feed.followers]) f.listener(update, store);
        return false;
      },
    ).catch((err: unknown) => {
      if (this.#feeds.get(key) === feed) this.#feeds.delete(key);
      const error = err instanceof Error ? err : new Error(String(err));
      for (const f of feed.followers) f.fail(error);
      feed.followers.clear();
    });
    return feed;
  }
}
