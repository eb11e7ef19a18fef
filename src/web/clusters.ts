/**
 * The cluster view: every cluster cncfdemo knows (any provider), and for each that runs its nodes and the
 * stack's components with their readiness, kept current by watches (one list, then changes) of nodes and
 * of the stack's workloads, never by listing every object again.
 */
import {
  isNodeReady,
  isSimulatedNode,
  WORKLOAD_KINDS,
  type KubeClient,
  type KubeObject,
} from '../kube/index.js';
import type { ClusterSummary } from '../cluster/types.js';
import { STACK_SELECTOR } from '../stack/labels.js';
import type { StackSources } from '../stack/plan.js';
import { STACK_RECORD_NAME } from '../stack/record.js';
import { componentStatuses, type ComponentStatus } from '../stack/status.js';

export interface NodeView {
  name: string;
  ready: boolean;
  simulated: boolean;
  kubelet: string | null;
}

export interface ClusterView {
  name: string;
  provider: string;
  state: string;
  down: string[];
  nodes: NodeView[];
  components: ComponentStatus[];
  /** Why its API gave nothing (not running, unreachable), or null. */
  error: string | null;
}

/** Where the clusters come from: the api layer lists them across providers and connects to one. */
export interface ClusterDirectory {
  list(): Promise<ClusterSummary[]>;
  connect(cluster: ClusterSummary): Promise<KubeClient>;
  sources(): Promise<StackSources>;
}

/** Plural resource names of the workload kinds the components are judged by. */
const WORKLOAD_RESOURCES: Record<string, string> = {
  Deployment: 'deployments',
  StatefulSet: 'statefulsets',
  DaemonSet: 'daemonsets',
  Job: 'jobs',
};

const nodeView = (node: KubeObject): NodeView => ({
  name: node.metadata.name ?? '',
  ready: isNodeReady(node),
  simulated: isSimulatedNode(node),
  kubelet:
    (node.status as { nodeInfo?: { kubeletVersion?: string } } | undefined)?.nodeInfo?.kubeletVersion ?? null,
});

/** The few fields the view needs of a node (a node object is several KB). */
const slimNode = (node: KubeObject): KubeObject => ({
  apiVersion: node.apiVersion,
  kind: node.kind,
  metadata: {
    name: node.metadata.name,
    resourceVersion: node.metadata.resourceVersion,
    ...(node.metadata.labels ? { labels: node.metadata.labels } : {}),
    ...(node.metadata.annotations ? { annotations: node.metadata.annotations } : {}),
  },
  status: {
    conditions: (node.status as { conditions?: unknown } | undefined)?.conditions,
    nodeInfo: (node.status as { nodeInfo?: unknown } | undefined)?.nodeInfo,
  },
});

/** Kinds of the stack's objects besides its workloads, watched to know which components are deployed. */
const PRESENCE_RESOURCES = ['configmaps', 'services', 'namespaces', 'priorityclasses'];

const slimMeta = (o: KubeObject): KubeObject => ({
  apiVersion: o.apiVersion,
  kind: o.kind,
  metadata: {
    name: o.metadata.name,
    namespace: o.metadata.namespace,
    resourceVersion: o.metadata.resourceVersion,
    ...(o.metadata.labels ? { labels: o.metadata.labels } : {}),
    ...(o.metadata.deletionTimestamp ? { deletionTimestamp: o.metadata.deletionTimestamp } : {}),
  },
  ...(o.kind === 'ConfigMap' && o.metadata.name === STACK_RECORD_NAME ? { data: o.data } : {}),
});

/** One running cluster's watches: nodes, the stack's workloads and what else it deployed. */
class WatchedCluster {
  readonly #stores = new Map<string, ReadonlyMap<string, KubeObject>>();
  readonly #controller = new AbortController();
  error: string | null = null;

  constructor(
    readonly summary: ClusterSummary,
    private readonly client: KubeClient,
    private readonly sources: StackSources,
    onChange: () => void,
  ) {
    const watch = (
      key: string,
      kind: string,
      options: { labelSelector?: string },
      transform?: (o: KubeObject) => KubeObject,
    ): void => {
      this.client
        .watch(
          kind,
          { ...options, signal: this.#controller.signal, ...(transform ? { transform } : {}) },
          (_update, store) => {
            this.#stores.set(key, store);
            onChange();
            return false;
          },
        )
        .catch((err: unknown) => {
          if (this.#controller.signal.aborted) return;
          this.error = `${kind}: ${String(err).split('\n')[0] ?? ''}`;
          onChange();
        });
    };
    watch('nodes', 'nodes', {}, slimNode);
    for (const [kind, resource] of Object.entries(WORKLOAD_RESOURCES))
      watch(kind, resource, { labelSelector: STACK_SELECTOR });
    // The rest only tells whether a component is deployed: names and labels are enough, except the
    // stack's record, whose data says what the values left out.
    for (const resource of PRESENCE_RESOURCES)
      watch(resource, resource, { labelSelector: STACK_SELECTOR }, slimMeta);
  }

  view(): ClusterView {
    const all = (key: string): KubeObject[] => [...(this.#stores.get(key)?.values() ?? [])];
    const objects = [...WORKLOAD_KINDS, ...PRESENCE_RESOURCES]
      .flatMap(all)
      .filter((o) => !o.metadata.deletionTimestamp);
    return {
      name: this.summary.name,
      provider: this.summary.provider,
      state: this.summary.state,
      down: this.summary.down ?? [],
      nodes: all('nodes')
        .map(nodeView)
        .sort((a, b) => a.name.localeCompare(b.name)),
      components: componentStatuses(this.sources, objects),
      error: this.error,
    };
  }

  close(): void {
    this.#controller.abort();
    this.client.close();
  }
}

/**
 * Keeps the views of every cluster current while someone looks: `subscribe` starts the watches (the first
 * subscriber) and `unsubscribe` of the last one stops them. The cluster list itself comes from the home's
 * records, read again every `listEveryMs`; only a change there opens or closes a cluster's watches.
 */
export class ClusterWatcher {
  readonly #listeners = new Set<(views: ClusterView[]) => void>();
  readonly #clusters = new Map<string, WatchedCluster>();
  readonly #idle = new Map<string, ClusterView>();
  #timer: NodeJS.Timeout | undefined;
  #notify: NodeJS.Timeout | undefined;
  #listing: Promise<void> | undefined;
  #sources: Promise<StackSources> | undefined;

  constructor(
    private readonly directory: ClusterDirectory,
    private readonly listEveryMs = 5000,
  ) {}

  subscribe(listener: (views: ClusterView[]) => void): () => void {
    this.#listeners.add(listener);
    if (this.#listeners.size === 1) {
      const relist = (): void => {
        if (this.#listing) return;
        this.#listing = this.#relist()
          .catch(() => undefined) // a failed round shows the last views; the next round tries again
          .finally(() => (this.#listing = undefined));
      };
      relist();
      this.#timer = setInterval(relist, this.listEveryMs);
    } else {
      listener(this.views());
    }
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0) this.close();
    };
  }

  views(): ClusterView[] {
    const views = [...[...this.#clusters.values()].map((c) => c.view()), ...this.#idle.values()];
    return views.sort((a, b) => a.name.localeCompare(b.name));
  }

  close(): void {
    clearInterval(this.#timer);
    clearTimeout(this.#notify);
    for (const c of this.#clusters.values()) c.close();
    this.#clusters.clear();
    this.#idle.clear();
  }

  /** A burst of watch events (a list of 1,000 nodes) becomes one snapshot, at most every 200 ms. */
  #changed(): void {
    this.#notify ??= setTimeout(() => {
      this.#notify = undefined;
      const views = this.views();
      for (const l of this.#listeners) l(views);
    }, 200);
  }

  async #relist(): Promise<void> {
    let summaries: ClusterSummary[];
    try {
      summaries = await this.directory.list();
    } catch (err) {
      summaries = [];
      this.#idle.set('', {
        name: '(clusters)',
        provider: '',
        state: 'unknown',
        down: [],
        nodes: [],
        components: [],
        error: String(err).split('\n')[0] ?? '',
      });
    }
    // The stack definition does not change while the UI runs: read once, not at every relist.
    this.#sources ??= this.directory.sources().catch((err: unknown) => {
      this.#sources = undefined; // a failed read is tried again at the next relist
      throw err;
    });
    const sources = await this.#sources;
    const seen = new Set<string>();
    for (const s of summaries) {
      seen.add(s.name);
      const watched = this.#clusters.get(s.name);
      if (s.running && (!watched || watched.summary.state !== s.state)) {
        watched?.close();
        try {
          const client = await this.directory.connect(s);
          this.#clusters.set(
            s.name,
            new WatchedCluster(s, client, sources, () => {
              this.#changed();
            }),
          );
          this.#idle.delete(s.name);
        } catch (err) {
          this.#clusters.delete(s.name);
          this.#idle.set(s.name, idleView(s, String(err).split('\n')[0] ?? ''));
        }
      } else if (!s.running) {
        watched?.close();
        this.#clusters.delete(s.name);
        this.#idle.set(s.name, idleView(s, `the cluster is ${s.state.toLowerCase()}`));
      }
    }
    for (const [name, watched] of this.#clusters)
      if (!seen.has(name)) {
        watched.close();
        this.#clusters.delete(name);
      }
    for (const name of this.#idle.keys()) if (name && !seen.has(name)) this.#idle.delete(name);
    this.#changed();
  }
}

const idleView = (s: ClusterSummary, error: string): ClusterView => ({
  name: s.name,
  provider: s.provider,
  state: s.state,
  down: s.down ?? [],
  nodes: [],
  components: [],
  error,
});
