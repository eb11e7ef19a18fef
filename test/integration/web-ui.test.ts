import { appendFile, copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveWebUi, type WebUi } from '../../src/api/web.js';
import type { RunEvent, RunSample } from '../../src/events/index.js';
import { isOneLineError, runCli } from '../helpers/cli.js';
import { chartPoints, UiBrowser, waitForPoints, type WatchedPage } from '../helpers/ui-page.js';
import { waitFor } from '../helpers/wait.js';

const BENCH_RUN = '20250101-120000-a1b2'; // the fixture record's own id
const OTHER_BENCH = '20250102T120000Z-benchmark-beef';
const START_RUN = '20991231T235959Z-start-cafe';
const LIVE_BENCH = '20991231T235958Z-benchmark-f00d';
const line = (e: Omit<RunEvent, 'time'>): string =>
  `${JSON.stringify({ time: new Date().toISOString(), ...e })}\n`;
const sampleLine = (sample: RunSample): string =>
  line({ scope: 'bench', id: `sample/${sample.group}`, title: sample.group, phase: 'sample', sample });

let home: string;
let ui: WebUi;
let browser: UiBrowser;
let page: WatchedPage;

/** A GET with a Host header of our choosing (fetch does not let a caller set it). */
function getWithHost(url: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { host } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'cncfdemo-web-'));
  const fixture = join(import.meta.dirname, '../fixtures/report/valid-cluster-run.json');
  const bench = join(home, 'runs', BENCH_RUN);
  await mkdir(bench, { recursive: true });
  await copyFile(fixture, join(bench, 'run.json'));
  await writeFile(
    join(bench, 'report.html'),
    '<!doctype html><title>report</title><h1 id="r">the report</h1>',
  );
  // A second finished benchmark to compare with: the same record under another id, twice the rate.
  const other = JSON.parse(await readFile(fixture, 'utf8')) as { id: string; results: { http: unknown } };
  other.id = OTHER_BENCH;
  await mkdir(join(home, 'runs', OTHER_BENCH), { recursive: true });
  await writeFile(join(home, 'runs', OTHER_BENCH, 'run.json'), JSON.stringify(other));

  const start = join(home, 'runs', START_RUN);
  await mkdir(start, { recursive: true });
  await writeFile(
    join(start, 'events.jsonl'),
    line({ scope: 'stack', id: 'prometheus', title: 'Prometheus', phase: 'start' }) +
      line({ scope: 'stack', id: 'mongo', title: 'MongoDB shards', phase: 'start' }) +
      line({
        scope: 'stack',
        id: 'mongo',
        title: 'MongoDB shards',
        phase: 'progress',
        message: 'waiting for mongo-0',
      }) +
      line({
        scope: 'stack',
        id: 'prometheus',
        title: 'Prometheus',
        phase: 'end',
        outcome: 'ok',
        durationMs: 1200,
      }),
  );
  // A benchmark still running (this process plays it): phases, and samples appended by the tests.
  const live = join(home, 'runs', LIVE_BENCH);
  await mkdir(live, { recursive: true });
  await writeFile(
    join(live, 'status.json'),
    JSON.stringify({
      id: LIVE_BENCH,
      command: 'benchmark',
      state: 'running',
      pid: process.pid,
      host: hostname(),
      started: new Date().toISOString(),
      ended: null,
    }),
  );
  await writeFile(
    join(live, 'events.jsonl'),
    line({ scope: 'bench', id: 'load', title: 'wrk', phase: 'start' }),
  );
  ui = await serveWebUi({ home, port: 0 });
  browser = await UiBrowser.launch();
  page = await browser.open(ui.url);
});

afterAll(async () => {
  await page.close();
  await browser.close();
  await ui.close();
  await rm(home, { recursive: true, force: true });
});

describe('cncfdemo ui', () => {
  it('listens on loopback only, and answers only to its own Host (DNS rebinding)', async () => {
    const { port } = new URL(ui.url);
    expect(new URL(ui.url).hostname).toBe('127.0.0.1');
    for (const host of [
      `evil.example:${port}`,
      `127.0.0.1.evil.example:${port}`,
      'localhost',
      `127.0.0.1:1`,
    ]) {
      const refused = await getWithHost(new URL('api/runs', ui.url).href, host);
      expect(refused.status, host).toBe(403);
      expect(refused.body).not.toContain(BENCH_RUN);
    }
    expect((await getWithHost(new URL('api/runs', ui.url).href, `localhost:${port}`)).status).toBe(200);
    expect((await getWithHost(new URL('api/runs', ui.url).href, `127.0.0.1:${port}`)).status).toBe(200);
  });

  it('sends a restrictive Content-Security-Policy on every page', async () => {
    const app = await fetch(ui.url);
    const csp = app.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(app.headers.get('x-content-type-options')).toBe('nosniff');
    const report = await fetch(new URL(`runs/${BENCH_RUN}/report.html`, ui.url));
    expect(report.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect((await fetch(ui.url, { method: 'POST' })).status).toBe(405);
  });

  it('lists every kind of run, newest first, with their state and result', async () => {
    await page.page.waitForSelector('#runs tbody tr:nth-child(4)');
    const rowLocators = await page.page.locator('#runs tbody tr').all();
    const rows = await Promise.all(rowLocators.map((row) => row.locator('td').allTextContents()));
    expect(rows.map((r) => r[1])).toEqual([START_RUN, LIVE_BENCH, OTHER_BENCH, BENCH_RUN]);
    expect(rows[0]?.slice(2, 4)).toEqual(['start', 'running']);
    expect(rows[1]?.slice(2, 4)).toEqual(['benchmark', 'running']);
    expect(rows[3]?.slice(2, 4)).toEqual(['benchmark', 'ok']);
    expect(rows[3]?.[5]).toMatch(/nodes/);
    expect(rows[3]?.[6]).toBe('report');
    // A benchmark saved without --save-html still has a report: rendered from its run.json.
    expect(rows[2]?.[6]).toBe('report');
  });

  it("shows a run's phases and timeline, following new events as they are written", async () => {
    await page.page.click(`tr[data-run="${START_RUN}"]`);
    await page.page.waitForSelector('#phases li:nth-child(2)');
    const phases = async (): Promise<string[]> => {
      const items = await page.page.locator('#phases li').all();
      return Promise.all(
        items.map(
          async (li) => `${(await li.getAttribute('class')) ?? ''}: ${(await li.textContent()) ?? ''}`,
        ),
      );
    };
    expect(await phases()).toEqual([
      'phase-ok: ✓Prometheus1.2 s',
      'phase-running: …MongoDB shardsrunningwaiting for mongo-0',
    ]);
    // Not a benchmark: only the phase timeline is drawn.
    expect(await page.page.isVisible('#chart-timeline canvas')).toBe(true);
    expect(await page.page.isHidden('#chart-throughput')).toBe(true);

    await appendFile(
      join(home, 'runs', START_RUN, 'events.jsonl'),
      line({
        scope: 'stack',
        id: 'mongo',
        title: 'MongoDB shards',
        phase: 'end',
        outcome: 'failed',
        durationMs: 4000,
        message: 'pod mongo-0: ImagePullBackOff',
      }),
    );
    await page.page.waitForSelector('#phases li.phase-failed', { timeout: 5000 });
    expect((await phases())[1]).toBe('phase-failed: ✗MongoDB shards4.0 s' + 'pod mongo-0: ImagePullBackOff');
    expect(await page.page.textContent('#run-state')).toBe('2 phases: 0 running, 1 failed');
    await page.screenshot('ui-start-run');
  });

  it("draws a running benchmark's charts from its samples as they arrive", async () => {
    await page.page.click(`tr[data-run="${LIVE_BENCH}"]`);
    await page.page.waitForSelector('#chart-throughput .nodata');
    expect(await page.page.textContent('#chart-throughput .nodata')).toMatch(/waiting for the first samples/);
    const events = join(home, 'runs', LIVE_BENCH, 'events.jsonl');
    const t0 = Date.now() / 1000;
    const append = async (from: number, to: number): Promise<void> => {
      let text = '';
      for (let i = from; i < to; i++) {
        text += sampleLine({ group: 'throughput', name: 'req/s', t: t0 + i, v: 1000 + i });
        text += sampleLine({ group: 'replicas', name: 'cncfdemo/countly-api ready', t: t0 + i, v: 2 });
      }
      await appendFile(events, text);
    };
    await append(0, 3);
    const first = await waitForPoints(page.page, 'chart-throughput', 3);
    await append(3, 8);
    const later = await waitForPoints(page.page, 'chart-throughput', 8);
    expect(later).toBeGreaterThan(first);
    expect(await chartPoints(page.page, 'chart-replicas')).toBeGreaterThanOrEqual(3);
    await appendFile(events, sampleLine({ group: 'kill', name: 'countly-api-x', t: t0 + 4, v: 2 }));
    await page.page.waitForSelector('#chart-throughput[data-kill-marks="1"]', { timeout: 5000 });
    await page.screenshot('ui-live-benchmark');
  });

  it('compares ticked benchmarks: the table, the overlaid charts and a link to each report', async () => {
    await page.page.check(`tr[data-run="${BENCH_RUN}"] input.pick`);
    expect(await page.page.isDisabled('#compare')).toBe(true);
    await page.page.check(`tr[data-run="${OTHER_BENCH}"] input.pick`);
    const [compare] = await Promise.all([
      page.page.context().waitForEvent('page'),
      page.page.click('#compare'),
    ]);
    await compare.waitForSelector('body[data-rendered="true"]');
    const heads = await compare.locator('#comparison thead th').allTextContents();
    expect(heads.slice(1).sort()).toEqual([BENCH_RUN, OTHER_BENCH].sort());
    expect(await compare.getAttribute(`#comparison a:text("${BENCH_RUN}")`, 'href')).toBe(
      `runs/${BENCH_RUN}/report.html`,
    );
    expect(Number(await compare.getAttribute('#overlay-throughput', 'data-points'))).toBeGreaterThan(1);
    await compare.screenshot({
      path: join(tmpdir(), 'cncfdemo-ui-screenshots', 'ui-compare.png'),
      fullPage: true,
    });
    await compare.close();
    const one = await fetch(new URL(`compare?run=${BENCH_RUN}`, ui.url));
    expect(one.status).toBe(400);
    expect(await one.text()).toMatch(/^compare needs two or more runs/);
  });

  it('serves the benchmark report and nothing outside the runs', async () => {
    const report = await fetch(new URL(`runs/${BENCH_RUN}/report.html`, ui.url));
    expect(report.status).toBe(200);
    expect(await report.text()).toContain('the report');
    const rendered = await fetch(new URL(`runs/${OTHER_BENCH}/report.html`, ui.url));
    expect(rendered.status).toBe(200);
    expect(await rendered.text()).toContain(`cncfdemo run ${OTHER_BENCH}`);
    expect((await fetch(new URL(`runs/${START_RUN}/report.html`, ui.url))).status).toBe(404);
    for (const path of [
      'runs/..%2F..%2Fetc/report.html',
      'runs/../runs/x/report.html',
      'api/runs/%2e%2e/live',
      'api/runs/no-such-run/live',
      'nope',
    ]) {
      expect((await fetch(new URL(path, ui.url))).status, path).toBe(404);
    }
    expect(page.consoleErrors).toEqual([]);
    expect(page.offLoopback).toEqual([]);
  });

  it("ends a stream's work when its client goes away; clients of one run share one follower", async () => {
    const base = { streams: ui.openStreams(), runs: ui.followedRuns() };
    const clients = Array.from({ length: 5 }, () => new AbortController());
    await Promise.all(
      clients.map(async (c) => {
        const res = await fetch(new URL(`api/runs/${BENCH_RUN}/live`, ui.url), { signal: c.signal });
        const reader = res.body?.getReader();
        await reader?.read(); // the first snapshot
      }),
    );
    expect(ui.openStreams()).toBe(base.streams + 5);
    expect(ui.followedRuns()).toBe(base.runs + 1);
    for (const c of clients) c.abort();
    await waitFor(
      () => Promise.resolve([ui.openStreams(), ui.followedRuns()]),
      ([streams, runs]) => streams === base.streams && runs === base.runs,
      5000,
    );
  });

  it('refuses a port in use with a one-line error', async () => {
    const port = new URL(ui.url).port;
    const result = await runCli(['ui', '--port', port], { ...process.env, CNCFDEMO_HOME: home });
    expect(result.code).not.toBe(0);
    expect(isOneLineError(result.stderr)).toBe(true);
    expect(result.stderr).toContain(`port ${port} on 127.0.0.1 is in use`);
  });
});
