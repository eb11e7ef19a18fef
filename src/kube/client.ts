import type { Deadline } from '../deadline/index.js';
import { noopLogger, type Logger } from '../log/logger.js';
import type { HttpRequest, HttpResponse } from './transport.js';
import type { KubeContext } from './context.js';
import {
  deleteBySelector,
  deleteObjects,
  findBySelector,
  type DeleteOptions,
  type DeleteResult,
  type SelectorDeleteOptions,
} from './delete.js';
import { Discovery } from './discovery.js';
import { DiscoveryCache } from './discovery-cache.js';
import { listEvents, type EventQuery, type KubeEvent } from './events.js';
import { loadKubeconfig, type KubeconfigOptions } from './kubeconfig.js';
import { getObject, getTable, listObjects, type ListOptions, type Table } from './read.js';
import { SharedWatches } from './shared-watch.js';
import { Transport } from './transport.js';
import type { KubeObject, ResourceInfo } from './types.js';
import { waitFor, type WaitFor, type WaitOptions } from './wait.js';
import { listAndWatch, type WatchHandler, type WatchOptions } from './watch.js';
import { applyObjects, createObjects, type WriteOptions, type WriteResult } from './write.js';

export interface ConnectOptions extends KubeconfigOptions {
  logger?: Logger;
  /** Connections to the API server at most (keep-alive); bounds concurrency too. */
  maxConnections?: number;
  /** The command's deadline: every request and credential plugin ends by then. */
  deadline?: Deadline;
  /** A folder to keep API discovery in between runs (the kubectl-like commands: ~/.cache/cncfdemo/discovery). */
  discoveryCache?: string;
}

/** A resource type: what a user types (`pods`, `deploy`, `deployments.apps`) or an apiVersion and kind. */
export type KindRef = string | { apiVersion: string; kind: string };

export interface ServerVersion {
  major: string;
  minor: string;
  gitVersion: string;
  platform: string;
}

const CRD_ESTABLISHED_TIMEOUT_MS = 60_000;

/**
 * A connection to one cluster through one kubeconfig context. Nothing is sent until the first call;
 * discovery is fetched once and cached for the life of the client.
 */
export class KubeClient {
  readonly #ctx: KubeContext;

  constructor(ctx: KubeContext) {
    this.#ctx = ctx;
  }

  get contextName(): string {
    return this.#ctx.transport.kubeconfig.contextName;
  }

  /** The namespace for objects that name none. */
  get namespace(): string {
    return this.#ctx.namespace;
  }

  get server(): string {
    return this.#ctx.transport.server.origin;
  }

  /** Server-side apply (field manager cncfdemo, strict field validation), in dependency order. */
  apply(objects: readonly KubeObject[], options: WriteOptions = {}): Promise<WriteResult[]> {
    return applyObjects(this.#ctx, objects, {
      waitForCrds: (crds) => this.#established(crds, options.signal),
      ...options,
    });
  }

  /** Creates objects; an existing one fails with AlreadyExists, like kubectl create. */
  create(objects: readonly KubeObject[], options: WriteOptions = {}): Promise<WriteResult[]> {
    return createObjects(this.#ctx, objects, {
      waitForCrds: (crds) => this.#established(crds, options.signal),
      ...options,
    });
  }

  async resource(kind: KindRef): Promise<ResourceInfo> {
    return typeof kind === 'string'
      ? this.#ctx.discovery.find(kind)
      : this.#ctx.discovery.forKind(kind.apiVersion, kind.kind);
  }

  /** Every resource type the server serves (cached discovery). */
  resources(): Promise<ResourceInfo[]> {
    return this.#ctx.discovery.all();
  }

  /** One object, or undefined when it does not exist. */
  async get(kind: KindRef, name: string, namespace?: string): Promise<KubeObject | undefined> {
    return getObject(this.#ctx, await this.resource(kind), name, namespace);
  }

  async list(kind: KindRef, options: ListOptions = {}): Promise<KubeObject[]> {
    return listObjects(this.#ctx, await this.resource(kind), options);
  }

  /** The server-rendered table kubectl get shows; undefined if the server cannot render one. */
  async table(kind: KindRef, options: ListOptions & { name?: string } = {}): Promise<Table | undefined> {
    return getTable(this.#ctx, await this.resource(kind), options);
  }

  /** Waits until every object is ready by the kstatus rules (Jobs: Complete; a failed Job ends the wait). */
  waitReady(objects: readonly KubeObject[], options: WaitOptions): Promise<void> {
    return waitFor(this.#ctx, objects, { type: 'ready' }, options);
  }

  waitFor(objects: readonly KubeObject[], goal: WaitFor, options: WaitOptions): Promise<void> {
    return waitFor(this.#ctx, objects, goal, options);
  }

  deleteObjects(objects: readonly KubeObject[], options: DeleteOptions = {}): Promise<DeleteResult[]> {
    return deleteObjects(this.#ctx, objects, options);
  }

  deleteBySelector(selector: string, options: SelectorDeleteOptions = {}): Promise<DeleteResult[]> {
    return deleteBySelector(this.#ctx, selector, options);
  }

  /** What deleteBySelector would delete. */
  findBySelector(selector: string, options: SelectorDeleteOptions = {}): Promise<KubeObject[]> {
    return findBySelector(this.#ctx, selector, options);
  }

  /** List, then watch with resume and relist; resolves when the handler returns true or the signal aborts. */
  async watch(kind: KindRef, options: WatchOptions, handler: WatchHandler): Promise<void> {
    return listAndWatch(this.#ctx.transport, await this.resource(kind), options, handler);
  }

  events(query: EventQuery = {}): Promise<KubeEvent[]> {
    return listEvents(this.#ctx, query);
  }

  serverVersion(): Promise<ServerVersion> {
    return this.#ctx.transport.json<ServerVersion>({ method: 'GET', path: '/version' }, 'get server version');
  }

  /**
   * An HTTP request to a Service through the API server's service proxy
   * (`/api/v1/namespaces/NS/services/NAME:PORT/proxy/PATH`), with this client's credentials: reaches an
   * in-cluster HTTP API (Prometheus) with no port-forward. A non-2xx answer throws an ApiError.
   */
  serviceProxy(
    service: { namespace: string; name: string; port: number | string },
    req: Omit<HttpRequest, 'path'> & { path: string },
  ): Promise<HttpResponse> {
    const base = `/api/v1/namespaces/${encodeURIComponent(service.namespace)}/services/${encodeURIComponent(service.name)}:${encodeURIComponent(String(service.port))}/proxy`;
    return this.#ctx.transport.request(
      { ...req, path: `${base}${req.path.startsWith('/') ? '' : '/'}${req.path}` },
      `${req.method} service ${service.namespace}/${service.name}${req.path}`,
    );
  }

  /** A container's log (the whole of it, or its last `tailLines`), as text. */
  async podLog(
    namespace: string,
    pod: string,
    options: { container?: string; tailLines?: number; signal?: AbortSignal } = {},
  ): Promise<string> {
    const res = await this.#ctx.transport.request(
      {
        method: 'GET',
        path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/log`,
        query: { container: options.container, tailLines: options.tailLines },
        // The log is text/plain, which the API server's negotiation only offers to a wildcard.
        accept: '*/*',
        ...(options.signal ? { signal: options.signal } : {}),
      },
      `log of pod ${namespace}/${pod}`,
    );
    return res.body;
  }

  listNodes(options: Omit<ListOptions, 'namespace' | 'allNamespaces'> = {}): Promise<KubeObject[]> {
    return this.list({ apiVersion: 'v1', kind: 'Node' }, options);
  }

  /** Closes idle keep-alive connections so the process can exit. */
  close(): void {
    this.#ctx.transport.close();
  }

  async #established(crds: readonly KubeObject[], signal?: AbortSignal): Promise<void> {
    await waitFor(
      this.#ctx,
      crds,
      { type: 'ready' },
      { timeoutMs: CRD_ESTABLISHED_TIMEOUT_MS, ...(signal ? { signal } : {}) },
    );
  }
}

/**
 * Reads the kubeconfig like kubectl and returns a client for its context. Nothing is sent yet: an
 * unreachable server or rejected credentials surface on the first call.
 */
export function connect(options: ConnectOptions = {}): Promise<KubeClient> {
  try {
    const kubeconfig = loadKubeconfig(options);
    const transport = new Transport(kubeconfig, options.maxConnections, options.deadline);
    return Promise.resolve(
      new KubeClient({
        transport,
        discovery: new Discovery(
          transport,
          options.discoveryCache ? new DiscoveryCache(options.discoveryCache, kubeconfig.cluster) : undefined,
        ),
        watches: new SharedWatches(transport),
        namespace: kubeconfig.namespace,
        namespaceExplicit: options.namespace !== undefined,
        logger: options.logger ?? noopLogger,
      }),
    );
  } catch (err) {
    return Promise.reject(err instanceof Error ? err : new Error(String(err)));
  }
}
