import { createServer, type Server } from 'node:http';

/** A local HTTP server that answers like Countly's ingestion endpoint `/i`. */
export interface LocalTarget {
  url: string;
  /** Requests answered so far, by status code. */
  counts(): Record<number, number>;
  close(): Promise<void>;
}

const SUCCESS = JSON.stringify({ result: 'Success' });
const HEALTHY = JSON.stringify({ result: 'OK' });
const MISSING = JSON.stringify({ result: 'Missing parameter "app_key" or "device_id"' });

/**
 * GET/POST /i with app_key and device_id answers 200 {"result":"Success"}; without them 400, as Countly does;
 * GET /o/ping answers 200 {"result":"Success"} as Countly's API does (its probes), GET /healthz 200; other
 * paths 404. Listens on 127.0.0.1 unless told otherwise (the
 * container image listens on 0.0.0.0); port 0 = any free port.
 */
export async function startLocalTarget(port = 0, host = '127.0.0.1'): Promise<LocalTarget> {
  const counts: Record<number, number> = {};
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    let status = 404;
    let body = JSON.stringify({ result: 'Not found' });
    if (url.pathname === '/i') {
      const ok = url.searchParams.has('app_key') && url.searchParams.has('device_id');
      status = ok ? 200 : 400;
      body = ok ? SUCCESS : MISSING;
    } else if (url.pathname === '/o/ping') {
      status = 200;
      body = SUCCESS;
    } else if (url.pathname === '/healthz') {
      status = 200;
      body = HEALTHY;
    }
    counts[status] = (counts[status] ?? 0) + 1;
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
    req.resume();
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('local target: no TCP address');
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`,
    counts: () => ({ ...counts }),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
