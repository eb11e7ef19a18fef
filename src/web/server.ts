/**
 * The local web UI: a loopback-only HTTP server over the recorded runs (list, live phases, reports).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { open, readFile, stat } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { extname, join } from 'node:path';
import { packageRoot } from '../config/paths.js';
import { runsDir } from '../report/store.js';
import { isRunId, listRunSummaries } from './runs.js';

export interface WebUiOptions {
  /** cncfdemo's home, whose runs/ the UI shows. */
  home: string;
  /** 0 picks a free port. */
  port?: number;
  /** Loopback only by default: the UI has no authentication. */
  host?: string;
  /** How often a live event stream looks for new lines. */
  pollMs?: number;
}

export interface WebUi {
  url: string;
  close(): Promise<void>;
}

/** The page and its assets: data files under web/, outside the code. */
const ASSETS: Record<string, string> = {
  '/': 'index.html',
  '/app.js': 'app.js',
  '/style.css': 'style.css',
};
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};
const WEB_DIR = join(packageRoot, 'web');

/**
 * A local web UI over the run directories: the list of runs (benchmarks and stack commands), each run's
 * phases live as they happen (server-sent events tailing events.jsonl), and the benchmark reports.
 */
export async function startWebUi(options: WebUiOptions): Promise<WebUi> {
  const runs = runsDir(options.home);
  const pollMs = options.pollMs ?? 250;
  const streams = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', String(err));
      else res.end();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method !== 'GET') {
      send(res, 405, 'text/plain; charset=utf-8', 'only GET');
      return;
    }
    const asset = ASSETS[path];
    if (asset) {
      send(res, 200, TYPES[extname(asset)] ?? 'text/plain', await readFile(join(WEB_DIR, asset)));
      return;
    }
    if (path === '/api/runs') {
      send(res, 200, 'application/json', JSON.stringify(await listRunSummaries(options.home)));
      return;
    }
    const events = /^\/api\/runs\/([^/]+)\/events$/.exec(path)?.[1];
    if (events && isRunId(events) && (await isDirectory(join(runs, events)))) {
      streamEvents(join(runs, events, 'events.jsonl'), res);
      return;
    }
    const report = /^\/runs\/([^/]+)\/report\.html$/.exec(path)?.[1];
    if (report && isRunId(report)) {
      const html = await readFile(join(runs, report, 'report.html')).catch(() => undefined);
      if (html) {
        send(res, 200, TYPES['.html'] ?? '', html);
        return;
      }
    }
    send(res, 404, 'text/plain; charset=utf-8', 'not found');
  }

  /** Every line of the file, then each new one as it is appended, until the client goes away. */
  function streamEvents(file: string, res: ServerResponse): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    streams.add(res);
    let offset = 0;
    let partial = '';
    let reading = false;
    const readMore = async (): Promise<void> => {
      if (reading) return;
      reading = true;
      try {
        const handle = await open(file, 'r').catch(() => undefined);
        if (!handle) return;
        try {
          const { size } = await handle.stat();
          if (size <= offset) return;
          const buffer = Buffer.alloc(size - offset);
          await handle.read(buffer, 0, buffer.length, offset);
          offset = size;
          const lines = (partial + buffer.toString('utf8')).split('\n');
          partial = lines.pop() ?? '';
          for (const line of lines) if (line.trim()) res.write(`data: ${line}\n\n`);
        } finally {
          await handle.close();
        }
      } finally {
        reading = false;
      }
    };
    // A read that fails (the file replaced under us) is retried on the next tick.
    const tick = (): void => {
      readMore().catch(() => undefined);
    };
    const timer = setInterval(tick, pollMs);
    res.on('close', () => {
      clearInterval(timer);
      streams.delete(res);
    });
    tick();
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return {
    url: `http://${host}:${String(port)}/`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of streams) res.end();
        server.close(() => {
          resolve();
        });
        server.closeAllConnections();
      }),
  };
}

async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}
