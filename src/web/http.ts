/**
 * What every response of the UI server shares: the Host check against DNS rebinding, the security
 * headers, and event streams that never buffer more than one snapshot for a slow client.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The UI's own pages: scripts, styles and event streams from itself only; never framed. */
export const APP_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/**
 * Self-contained pages (reports, compare): their inline scripts and styles are pinned by hash in the
 * page's own CSP meta element, which narrows this one; they fetch nothing.
 */
export const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'unsafe-inline'",
  "style-src 'unsafe-inline'",
  'img-src data:',
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const COMMON_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
};

/**
 * The Host names a request may carry: the address and port the server listens on, and `localhost` with
 * that port. A page on another origin that rebinds its DNS name to 127.0.0.1 sends its own name and is
 * refused, so it cannot read runs or cluster state.
 */
export function allowedHosts(address: string, port: number): Set<string> {
  const host = address.includes(':') ? `[${address}]` : address;
  return new Set([`${host}:${port}`, `localhost:${port}`]);
}

export function send(
  res: ServerResponse,
  status: number,
  type: string,
  body: string | Buffer,
  csp: string = APP_CSP,
): void {
  res.writeHead(status, { ...COMMON_HEADERS, 'content-type': type, 'content-security-policy': csp });
  res.end(body);
}

export const sendText = (res: ServerResponse, status: number, text: string): void => {
  send(res, status, 'text/plain; charset=utf-8', `${text}\n`);
};

export const sendJson = (res: ServerResponse, value: unknown): void => {
  send(res, 200, 'application/json', JSON.stringify(value));
};

/** The request's path, or undefined for a Host this server does not serve. */
export function checkedPath(
  req: Pick<IncomingMessage, 'headers' | 'url'>,
  hosts: ReadonlySet<string>,
): URL | undefined {
  const host = (req.headers.host ?? '').toLowerCase();
  if (!hosts.has(host)) return undefined;
  return new URL(req.url ?? '/', `http://${host}`);
}

/**
 * A server-sent event stream of snapshots, each replacing the last. A client that reads slowly gets the
 * newest snapshot once it has drained the previous one; those in between are dropped, not queued, so the
 * server holds at most one pending snapshot per client. `onClose` runs once, when the client goes away.
 */
export class SnapshotStream {
  readonly #res: ServerResponse;
  #pending: string | undefined;
  #draining = false;
  #closed = false;

  constructor(res: ServerResponse, onClose: () => void) {
    this.#res = res;
    res.writeHead(200, {
      ...COMMON_HEADERS,
      'content-type': 'text/event-stream',
      'content-security-policy': APP_CSP,
      connection: 'keep-alive',
    });
    // Tells the client to reconnect after 2 s if the stream breaks.
    res.write('retry: 2000\n\n');
    res.on('close', () => {
      this.#closed = true;
      this.#pending = undefined;
      onClose();
    });
  }

  get closed(): boolean {
    return this.#closed;
  }

  push(snapshot: unknown): void {
    this.pushJson(JSON.stringify(snapshot));
  }

  /** A snapshot already serialized (one string shared by every client of the same view). */
  pushJson(json: string): void {
    if (this.#closed) return;
    this.#pending = json;
    this.#flush();
  }

  end(): void {
    this.#res.end();
  }

  #flush(): void {
    if (this.#draining || this.#pending === undefined || this.#closed) return;
    const ok = this.#res.write(`data: ${this.#pending}\n\n`);
    this.#pending = undefined;
    if (!ok) {
      this.#draining = true;
      this.#res.once('drain', () => {
        this.#draining = false;
        this.#flush();
      });
    }
  }
}
