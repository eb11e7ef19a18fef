/**
 * The local web UI: a loopback-only HTTP server over the recorded runs (list, each run's phases and charts
 * live, reports, compare) and the clusters cncfdemo knows (nodes and stack components, from watches).
 *
 * Hand-written on node:http rather than a framework: a dozen GET routes in one table, and the parts that
 * matter here (the Host check, the CSP, event streams that drop snapshots for slow clients) are a few lines
 * each that a framework would not do for us; it would add a dependency and start-up time to every `ui`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { comparisonHtml } from '../report/compare.js';
import { renderReportHtml } from '../report/html.js';
import { loadPageAssets, WEB_DIR } from '../report/page.js';
import { readRunRecord, runsDir } from '../report/store.js';
import { ClusterWatcher, type ClusterDirectory } from './clusters.js';
import { allowedHosts, checkedPath, PAGE_CSP, send, sendJson, sendText, SnapshotStream } from './http.js';
import { RunFeeds } from './run-view.js';
import { isRunId, listRunSummaries } from './runs.js';
import type { RunRecord } from '../model/run-record.js';

export interface WebUiOptions {
  /** cncfdemo's home, whose runs/ the UI shows. */
  home: string;
  /** 0 picks a free port. */
  port?: number;
  /** Loopback only by default: the UI has no authentication. */
  host?: string;
  /** How often a live run's files are looked at. */
  pollMs?: number;
  /** The clusters for the cluster view; without it the view says there is none. */
  clusters?: ClusterDirectory;
}

export interface WebUi {
  url: string;
  /** Event streams open now (each live run view and cluster view is one). */
  openStreams(): number;
  /** Runs followed now: one per run with at least one client. */
  followedRuns(): number;
  /** TCP connections the server holds now (kept-alive ones included). */
  openConnections(): Promise<number>;
  close(): Promise<void>;
}

const HTML = 'text/html; charset=utf-8';
const JS = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';

/** The page and its assets: web/ files and the chart library, by path. */
function assetTable(): Record<string, { file: string; type: string }> {
  const uplot = (file: string): string => createRequire(import.meta.url).resolve(`uplot/dist/${file}`);
  const web = (file: string): string => join(WEB_DIR, file);
  return {
    '/': { file: web('index.html'), type: HTML },
    '/app.js': { file: web('app.js'), type: JS },
    '/style.css': { file: web('style.css'), type: CSS },
    '/charts.js': { file: web('charts.js'), type: JS },
    '/report.css': { file: web('report.css'), type: CSS },
    '/uplot.js': { file: uplot('uPlot.iife.min.js'), type: JS },
    '/uplot.css': { file: uplot('uPlot.min.css'), type: CSS },
  };
}

/** Starts the UI server on 127.0.0.1 (by default) and resolves once it listens. */
export async function startWebUi(options: WebUiOptions): Promise<WebUi> {
  const runs = runsDir(options.home);
  const pollMs = options.pollMs ?? 250;
  const assets = assetTable();
  const streams = new Set<SnapshotStream>();
  const clusters = options.clusters ? new ClusterWatcher(options.clusters) : undefined;
  const feeds = new RunFeeds(runs, pollMs);
  let hosts = new Set<string>();

  const routes: [RegExp, (res: ServerResponse, match: string[], url: URL) => Promise<void>][] = [
    [
      /^\/api\/runs$/,
      async (res) => {
        sendJson(res, await listRunSummaries(options.home));
      },
    ],
    [/^\/api\/runs\/([^/]+)\/live$/, (res, [id]) => liveRun(res, id ?? '')],
    [
      /^\/api\/clusters\/live$/,
      (res) => {
        liveClusters(res);
        return Promise.resolve();
      },
    ],
    [/^\/runs\/([^/]+)\/report\.html$/, (res, [id]) => report(res, id ?? '')],
    [/^\/compare$/, (res, _m, url) => compare(res, url.searchParams.getAll('run'))],
  ];

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = checkedPath(req, hosts);
    if (!url) {
      sendText(res, 403, `this UI answers only to ${[...hosts].join(' or ')} (Host header)`);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      sendText(res, 405, 'only GET');
      return;
    }
    const asset = assets[url.pathname];
    if (asset) {
      send(res, 200, asset.type, await readFile(asset.file));
      return;
    }
    for (const [pattern, route] of routes) {
      const match = pattern.exec(url.pathname);
      if (match) return route(res, match.slice(1), url);
    }
    sendText(res, 404, 'not found');
  }

  async function liveRun(res: ServerResponse, id: string): Promise<void> {
    if (!isRunId(id) || !(await isDirectory(join(runs, id)))) {
      sendText(res, 404, `no run ${id}`);
      return;
    }
    const stream = new SnapshotStream(res, () => {
      unsubscribe();
      streams.delete(stream);
    });
    streams.add(stream);
    const unsubscribe = feeds.subscribe(id, (json) => {
      stream.pushJson(json);
    });
  }

  function liveClusters(res: ServerResponse): void {
    const stream = new SnapshotStream(res, () => {
      unsubscribe();
      streams.delete(stream);
    });
    streams.add(stream);
    const unsubscribe = clusters
      ? clusters.subscribe((views) => {
          stream.push(views);
        })
      : () => undefined;
    if (!clusters) stream.push([]);
  }

  /** The run's report.html, or one rendered from its run.json when the run was not saved with --save-html. */
  async function report(res: ServerResponse, id: string): Promise<void> {
    if (!isRunId(id)) {
      sendText(res, 404, `no run ${id}`);
      return;
    }
    const saved = await readFile(join(runs, id, 'report.html')).catch(() => undefined);
    if (saved) {
      send(res, 200, HTML, saved, PAGE_CSP);
      return;
    }
    const record = await readRunRecord(options.home, id).catch(() => undefined);
    if (record) send(res, 200, HTML, renderReportHtml(record.record, await loadPageAssets()), PAGE_CSP);
    else sendText(res, 404, `run ${id} has no run record (only benchmarks have reports)`);
  }

  async function compare(res: ServerResponse, ids: string[]): Promise<void> {
    if (ids.length < 2 || !ids.every(isRunId)) {
      sendText(res, 400, 'compare needs two or more runs: /compare?run=ID&run=ID');
      return;
    }
    const records: RunRecord[] = [];
    for (const id of ids) {
      try {
        records.push((await readRunRecord(options.home, id)).record);
      } catch {
        sendText(res, 404, `run ${id} has no run record (only benchmarks can be compared)`);
        return;
      }
    }
    const link = (id: string): string => `runs/${encodeURIComponent(id)}/report.html`;
    send(res, 200, HTML, comparisonHtml(records, await loadPageAssets(), link), PAGE_CSP);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendText(res, 500, String(err));
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
  });
  const { address, port } = server.address() as AddressInfo;
  hosts = allowedHosts(address, port);
  const host = address.includes(':') ? `[${address}]` : address;
  return {
    url: `http://${host}:${String(port)}/`,
    openStreams: () => streams.size,
    followedRuns: () => feeds.size,
    openConnections: () =>
      new Promise<number>((resolve, reject) => {
        server.getConnections((err, count) => {
          if (err) reject(err);
          else resolve(count);
        });
      }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of streams) s.end();
        clusters?.close();
        feeds.close();
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
