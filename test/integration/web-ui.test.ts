import { appendFile, copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveWebUi, type WebUi } from '../../src/api/web.js';
import type { RunEvent } from '../../src/events/index.js';
import { isOneLineError, runCli } from '../helpers/cli.js';

const BENCH_RUN = '20250101-120000-1a2b';
const START_RUN = '20991231T235959Z-start-cafe';
const line = (e: Omit<RunEvent, 'time'>): string =>
  `${JSON.stringify({ time: new Date().toISOString(), ...e })}\n`;

let home: string;
let ui: WebUi;
let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];
const offSite: string[] = [];

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'cncfdemo-web-'));
  const bench = join(home, 'runs', BENCH_RUN);
  await mkdir(bench, { recursive: true });
  await copyFile(
    join(import.meta.dirname, '../fixtures/report/valid-cluster-run.json'),
    join(bench, 'run.json'),
  );
  await writeFile(
    join(bench, 'report.html'),
    '<!doctype html><title>report</title><h1 id="r">the report</h1>',
  );
  const start = join(home, 'runs', START_RUN);
  await mkdir(start, { recursive: true });
  await writeFile(
    join(start, 'events.jsonl'),
    line({ scope: 'stack', id: 'prometheus', title: 'Prometheus', phase: 'start' }) +
      line({ scope: 'stack', id: 'mongo', title: 'MongoDB shards', phase: 'start' }) +
      line({
        scope: 'stack',
        id: 'prometheus',
        title: 'Prometheus',
        phase: 'end',
        outcome: 'ok',
        durationMs: 1200,
      }),
  );
  ui = await serveWebUi({ home, port: 0 });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox'],
  });
  const context = await browser.newContext();
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (url.startsWith(ui.url)) return route.continue();
    offSite.push(url);
    return route.abort();
  });
  page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(e.message));
});

afterAll(async () => {
  await browser.close();
  await ui.close();
  await rm(home, { recursive: true, force: true });
});

describe('cncfdemo ui', () => {
  it('listens on loopback only', () => {
    expect(new URL(ui.url).hostname).toBe('127.0.0.1');
  });

  it('lists the runs, newest first, with their state and result', async () => {
    await page.goto(ui.url);
    await page.waitForSelector('#runs tbody tr');
    const rowLocators = await page.locator('#runs tbody tr').all();
    const rows = await Promise.all(rowLocators.map((row) => row.locator('td').allTextContents()));
    expect(rows.map((r) => r[0])).toEqual([START_RUN, BENCH_RUN]);
    expect(rows[0]?.slice(1, 3)).toEqual(['start', 'running']);
    expect(rows[1]?.slice(1, 3)).toEqual(['benchmark', 'ok']);
    expect(rows[1]?.[4]).toMatch(/nodes/);
    expect(rows[1]?.[5]).toBe('report');
  });

  it("shows a run's phases and follows new events as they are written", async () => {
    await page.click(`tr[data-run="${START_RUN}"]`);
    await page.waitForSelector('#phases li:nth-child(2)');
    const phases = async (): Promise<string[]> => {
      const items = await page.locator('#phases li').all();
      return Promise.all(
        items.map(
          async (li) => `${(await li.getAttribute('class')) ?? ''}: ${(await li.textContent()) ?? ''}`,
        ),
      );
    };
    expect(await phases()).toEqual(['phase-ok: ✓Prometheus1.2 s', 'phase-running: …MongoDB shardsrunning']);

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
    await page.waitForSelector('#phases li.phase-failed', { timeout: 5000 });
    expect((await phases())[1]).toBe('phase-failed: ✗MongoDB shards4.0 s' + 'pod mongo-0: ImagePullBackOff');
    expect(await page.textContent('#run-state')).toBe('2 phases: 0 running, 1 failed');
    await page.screenshot({ path: join(tmpdir(), 'cncfdemo-web-ui.png'), fullPage: true });
  });

  it('serves the benchmark report and nothing outside the runs', async () => {
    const report = await fetch(new URL(`runs/${BENCH_RUN}/report.html`, ui.url));
    expect(report.status).toBe(200);
    expect(await report.text()).toContain('the report');
    for (const path of [
      'runs/..%2F..%2Fetc/report.html',
      'runs/../runs/x/report.html',
      'api/runs/%2e%2e/events',
      'api/runs/no-such-run/events',
      'nope',
    ]) {
      expect((await fetch(new URL(path, ui.url))).status, path).toBe(404);
    }
    expect(consoleErrors).toEqual([]);
    expect(offSite).toEqual([]);
  });

  it('refuses a port in use with a one-line error', async () => {
    const port = new URL(ui.url).port;
    const result = await runCli(['ui', '--port', port], { ...process.env, CNCFDEMO_HOME: home });
    expect(result.code).not.toBe(0);
    expect(isOneLineError(result.stderr)).toBe(true);
    expect(result.stderr).toContain(`port ${port} on 127.0.0.1 is in use`);
  });
});
