import { describe, expect, it } from 'vitest';
import { loadKubeconfig } from '../../src/kube/kubeconfig.js';
import { SharedWatches, type WatchView } from '../../src/kube/shared-watch.js';
import { Transport } from '../../src/kube/transport.js';
import type { KubeObject, ResourceInfo } from '../../src/kube/types.js';
import type { WatchUpdate } from '../../src/kube/watch.js';
import { waitFor } from '../helpers/wait.js';
import { kubectl, testCluster, useNamespace } from './harness.js';

const PODS: ResourceInfo = {
  group: '',
  version: 'v1',
  resource: 'pods',
  kind: 'Pod',
  singular: 'pod',
  namespaced: true,
  shortNames: ['po'],
  verbs: ['list', 'watch'],
};
const NAMES: WatchView = {
  name: 'names',
  transform: (obj) => ({ apiVersion: obj.apiVersion, kind: obj.kind, metadata: obj.metadata }),
};

const pod = (name: string) =>
  JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: { containers: [{ name: 'app', image: 'nginx' }] },
  });

/** A follower's view: the updates it got, and the feed's store when it last got one. */
function follower(): {
  updates: WatchUpdate[];
  names: () => string[];
  listener: (update: WatchUpdate, store: ReadonlyMap<string, KubeObject>) => void;
} {
  const updates: WatchUpdate[] = [];
  let last: ReadonlyMap<string, KubeObject> = new Map();
  return {
    updates,
    names: () => [...last.values()].map((o) => o.metadata.name ?? '').sort(),
    listener: (update, store) => {
      updates.push(update);
      last = store;
    },
  };
}

describe('shared list-and-watch feeds (what concurrent waits follow)', () => {
  const ns = useNamespace('feeds');

  it('two followers of the pods of a namespace share one list; a late one gets SYNCED with what is there, both see changes, the last one out stops the feed', async () => {
    const { kubeconfig, context } = testCluster();
    const transport = new Transport(loadKubeconfig({ kubeconfig, context }));
    // The real transport, with its list requests counted.
    const lists: string[] = [];
    const json = transport.json.bind(transport);
    transport.json = <T>(req: Parameters<Transport['json']>[0], what?: string): Promise<T> => {
      if (what?.startsWith('list')) lists.push(req.path);
      return json<T>(req, what);
    };
    const watches = new SharedWatches(transport);
    await kubectl(['create', '-n', ns.name, '-f', '-'], pod('before'));

    const first = follower();
    const firstLeaves = new AbortController();
    const firstFollows = watches.follow(PODS, ns.name, NAMES, first.listener, firstLeaves.signal);
    await waitFor(
      () => Promise.resolve(first.updates.some((u) => u.type === 'SYNCED')),
      (synced) => synced,
      10_000,
    );
    expect(first.names()).toEqual(['before']);

    const second = follower();
    const secondLeaves = new AbortController();
    const secondFollows = watches.follow(PODS, ns.name, NAMES, second.listener, secondLeaves.signal);
    await waitFor(
      () => Promise.resolve(second.updates[0]?.type),
      (type) => type === 'SYNCED',
      10_000,
    );
    expect(second.names()).toEqual(['before']);
    expect(lists).toHaveLength(1);

    await kubectl(['create', '-n', ns.name, '-f', '-'], pod('after'));
    for (const f of [first, second])
      await waitFor(
        () =>
          Promise.resolve(f.updates.some((u) => u.type === 'ADDED' && u.object.metadata.name === 'after')),
        (seen) => seen,
        10_000,
      );
    expect(second.names()).toEqual(['after', 'before']);
    // the view's transform applies to what the followers get
    expect(second.updates.some((u) => u.type !== 'SYNCED' && 'spec' in u.object)).toBe(false);
    expect(lists).toHaveLength(1);

    firstLeaves.abort();
    await firstFollows;
    secondLeaves.abort();
    await secondFollows;
    // Both gone: the next follower starts a feed of its own, with a list of its own.
    const third = follower();
    const thirdLeaves = new AbortController();
    const thirdFollows = watches.follow(PODS, ns.name, NAMES, third.listener, thirdLeaves.signal);
    await waitFor(
      () => Promise.resolve(third.updates.some((u) => u.type === 'SYNCED')),
      (synced) => synced,
      10_000,
    );
    expect(third.names()).toEqual(['after', 'before']);
    expect(lists).toHaveLength(2);
    thirdLeaves.abort();
    await thirdFollows;
  });

  it('a feed the server refuses fails every follower of it', async () => {
    const { kubeconfig, context } = testCluster();
    const watches = new SharedWatches(new Transport(loadKubeconfig({ kubeconfig, context })));
    const missing: ResourceInfo = { ...PODS, resource: 'no-such-resources', kind: 'NoSuch' };
    const leave = new AbortController();
    const followers = [0, 1].map(() =>
      watches
        .follow(missing, ns.name, NAMES, () => undefined, leave.signal)
        .then(
          () => 'left',
          (err: unknown) => String(err),
        ),
    );
    const outcomes = await Promise.all(followers);
    leave.abort();
    for (const outcome of outcomes) expect(outcome).toMatch(/could not find the requested resource/);
  });
});
