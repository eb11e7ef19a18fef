import http from 'node:http';
import https from 'node:https';
import type { IncomingMessage } from 'node:http';
import type { Deadline } from '../deadline/index.js';
import { errorMessage, UserError } from '../errors/index.js';
import { type Credentials, CredentialSource } from './credentials.js';
import { apiErrorFrom } from './errors.js';
import type { ResolvedKubeconfig } from './kubeconfig.js';

export type Query = Record<string, string | number | boolean | undefined>;

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Query;
  body?: string;
  contentType?: string;
  accept?: string;
  /** Whole-request timeout; watches pass 0 and rely on their own inactivity timer. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface HttpResponse {
  status: number;
  body: string;
}

const DEFAULT_TIMEOUT_MS = 60_000;

/**
 * HTTP to the API server with the kubeconfig's TLS material and credentials, over one keep-alive
 * agent. client-node resolves the credentials (client certs, tokens, exec plugins, auth providers);
 * requests are sent by us so bodies go out exactly as given.
 */
export class Transport {
  readonly server: URL;
  #credentials: Promise<Credentials> | undefined;
  readonly #source: CredentialSource;

  constructor(
    readonly kubeconfig: ResolvedKubeconfig,
    readonly maxSockets = 64,
    /** The command's deadline: no request (nor credential plugin) outlives it. */
    readonly deadline?: Deadline,
  ) {
    this.server = new URL(kubeconfig.cluster.server);
    this.#source = new CredentialSource(kubeconfig, maxSockets, deadline);
  }

  /** Throws the deadline's error once it has passed, so retry loops stop with it. */
  throwIfExpired(): void {
    if (this.deadline?.expired) throw this.#deadlineError();
  }

  /** Sends a request; a non-2xx answer becomes an ApiError with the server's message. */
  async request(req: HttpRequest, what = `${req.method} ${req.path}`): Promise<HttpResponse> {
    let res = await this.#send(req);
    if (res.status === 401 && this.#source.refreshable) {
      this.#credentials = undefined;
      res = await this.#send(req);
    }
    if (res.status < 200 || res.status >= 300) throw apiErrorFrom(res.status, res.body, what);
    return res;
  }

  async json<T>(req: HttpRequest, what?: string): Promise<T> {
    const res = await this.request({ accept: 'application/json', ...req }, what);
    return JSON.parse(res.body) as T;
  }

  /** Opens a streaming response (watch); the caller consumes and destroys it. */
  async stream(req: HttpRequest, what = `${req.method} ${req.path}`): Promise<IncomingMessage> {
    const message = await this.#open({ ...req, timeoutMs: 0 });
    if (message.statusCode !== undefined && message.statusCode >= 200 && message.statusCode < 300)
      return message;
    const body = await readBody(message);
    throw apiErrorFrom(message.statusCode ?? 0, body, what);
  }

  close(): void {
    void this.#credentials?.then(
      (c) => {
        c.agent.destroy();
      },
      () => undefined,
    );
  }

  async #send(req: HttpRequest): Promise<HttpResponse> {
    const message = await this.#open(req);
    const body = await readBody(message);
    return { status: message.statusCode ?? 0, body };
  }

  async #open(req: HttpRequest): Promise<IncomingMessage> {
    this.#credentials ??= this.#source.resolve();
    const { agent, headers } = await this.#credentials;
    const url = new URL(this.server.pathname.replace(/\/$/, '') + req.path, this.server);
    for (const [key, value] of Object.entries(req.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const requestHeaders: Record<string, string> = {
      ...headers,
      Accept: req.accept ?? 'application/json',
      'User-Agent': 'cncfdemo',
    };
    if (req.body !== undefined) {
      requestHeaders['Content-Type'] = req.contentType ?? 'application/json';
      requestHeaders['Content-Length'] = String(Buffer.byteLength(req.body));
    }
    this.throwIfExpired();
    const ownTimeout = req.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const remaining = this.deadline?.remainingMs();
    // Whichever comes first: the request's own timeout or the command's deadline (streams have only the latter).
    const timeoutMs =
      remaining === undefined ? ownTimeout : ownTimeout > 0 ? Math.min(ownTimeout, remaining) : 0;
    const signal = this.deadline ? this.deadline.with(req.signal) : req.signal;
    const lib = url.protocol === 'http:' ? http : https;
    return new Promise<IncomingMessage>((resolve, reject) => {
      let request: http.ClientRequest;
      try {
        request = lib.request(
          url,
          { method: req.method, headers: requestHeaders, agent, ...(signal ? { signal } : {}) },
          resolve,
        );
      } catch (err) {
        // Bad TLS material (a key that is not PEM) throws here rather than on the socket.
        reject(this.#connectionError(err));
        return;
      }
      if (timeoutMs > 0) {
        request.setTimeout(timeoutMs, () => {
          request.destroy(
            Object.assign(new Error(`no answer within ${timeoutMs / 1000}s`), { code: 'ETIMEDOUT' }),
          );
        });
      }
      request.on('error', (err) => {
        reject(this.#connectionError(err));
      });
      request.end(req.body);
    });
  }

  #deadlineError(): UserError {
    const { contextName } = this.kubeconfig;
    return (this.deadline as Deadline).error(
      `no answer from the Kubernetes API server at ${this.server.origin} (context "${contextName}")`,
    );
  }

  #connectionError(err: unknown): Error {
    const code = (err as { code?: string }).code ?? '';
    const { contextName, user } = this.kubeconfig;
    const server = this.server.origin;
    if (this.deadline?.expired || (code === 'ETIMEDOUT' && this.deadline && this.deadline.remainingMs() < 50))
      return this.#deadlineError();
    if (code === 'ABORT_ERR') return err as Error;
    if (
      [
        'ECONNREFUSED',
        'ENOTFOUND',
        'EHOSTUNREACH',
        'ENETUNREACH',
        'ETIMEDOUT',
        'ECONNRESET',
        'EAI_AGAIN',
      ].includes(code)
    ) {
      return new UserError(
        `cannot reach the Kubernetes API server at ${server} (context "${contextName}"): ${errorMessage(err)}`,
        'is the cluster running? `cncfdemo cluster list` shows local clusters; or choose another --context',
      );
    }
    if (/CERT|SSL|TLS|certificate|PEM|OSSL|self.signed/i.test(`${code} ${errorMessage(err)}`)) {
      return new UserError(
        `TLS with the Kubernetes API server at ${server} failed (context "${contextName}", user "${user.name}"): ${errorMessage(err)}`,
        'check certificate-authority and client-certificate/client-key in the kubeconfig',
      );
    }
    return err instanceof Error ? err : new Error(String(err));
  }
}

function readBody(message: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    message.on('data', (chunk: Buffer) => chunks.push(chunk));
    message.on('end', () => {
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
    message.on('error', reject);
  });
}
