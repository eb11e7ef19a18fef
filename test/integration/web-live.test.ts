import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCluster, deleteCluster } from '../../src/api/cluster.js';
import { serveWebUi, type WebUi } from '../../src/api/web.js';
import type { RunEvent } from '../../src/events/index.js';
import { runCli } from '../helpers/cli.js';
import { UiBrowser, waitForPoints, type WatchedPage } from '../helpers/ui-page.js';
import { waitFor } from '../helpers/wait.js';
import { uniqueName } from './harness.js';

/**
 * The live UI watching real runs as they happen, in a home of this file's own: a `cluster create`, a
 * `start` of the stack on that cluster (simulated nodes, pods start 0.3 s after scheduling), and a
 * `benchmark --time 30s --local-target` whose requests/s chart fills in while it runs.
 */
const name = uniqueName('web');
const context = `cncfdemo-${name}`;
let home: string;
let env: NodeJS.ProcessEnv;
let ui: WebUi;
let browser: UiBrowser;
let page: WatchedPage;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'cncfdemo-web-live-'));
  env = { ...process.env, CNCFDEMO_HOME: home, KUBECONFIG: join(home, 'kubeconfig') };
  ui = await serveWebUi({ home, env, port: 0 });
  browser = await UiBrowser.launch();
  page = await browser.open(ui.url);
}, 60_000);

afterAll(async () => {
  await page.close();
  await browser.close();
  await ui.close();
  await deleteCluster({ name, home, env }).catch(() => undefined);
  await rm(home, { recursive: true, force: true });
}, 120_000);

/** The id of the newest run of `command` once its directory exists. */
async function runOf(command: string, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ids = (await readdir(join(home, 'runs')).catch(() => [])).filter((id) =>
      id.includes(`-${command}-`),
    );
    if (ids.length) return ids.sort().at(-1) ?? '';
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no ${command} run appeared`);
}

/**
 * Polls the run panel while `work` runs and until the page shows the run ended: when each phase was
 * first seen done, by poll number.
 */
async function watchPhases(work: Promise<unknown>): Promise<{ firstOk: Map<string, number>; polls: number }> {
  const firstOk = new Map<string, number>();
  const run = { done: false };
  // Its outcome is the caller's to await; here only whether it has ended.
  work.then(
    () => (run.done = true),
    () => (run.done = true),
  );
  const deadline = Date.now() + 300_000;
  let poll = 0;
  for (;;) {
    const ended = run.done && (await page.page.getAttribute('#run-panel', 'data-state')) !== 'running';
    // One read of the whole list, so that a poll is a snapshot: read item by item, the page could turn a
    // later phase done between two reads and make it look done first.
    const html = await page.page
      .locator('#phases')
      .innerHTML()
      .catch(() => '');
    const states = [...html.matchAll(/<li\b[^>]*>/g)].map(
      ([tag]) => [attribute(tag, 'data-phase'), attribute(tag, 'class')] as const,
    );
    for (const [phase, state] of states)
      if (phase && state === 'phase-ok' && !firstOk.has(phase)) firstOk.set(phase, poll);
    poll++;
    if (ended || Date.now() > deadline) return { firstOk, polls: poll };
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** An attribute's value in an element's opening tag, as the page serializes it (`name="value"`). */
function attribute(tag: string, name: string): string | undefined {
  return new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
}

/** The order in which the run's phases ended (scope/id), from its event log. */
async function endOrder(run: string): Promise<string[]> {
  const text = await readFile(join(home, 'runs', run, 'events.jsonl'), 'utf8');
  return text
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as RunEvent)
    .filter((e) => e.phase === 'end' && e.outcome === 'ok')
    .map((e) => `${e.scope}/${e.id}`);
}

/** Every pair the page saw done at different polls is in the order the phases really ended. */
function expectInOrder(firstOk: Map<string, number>, order: string[]): void {
  for (const [a, pa] of firstOk)
    for (const [b, pb] of firstOk)
      if (pa < pb) expect(order.indexOf(a), `${a} before ${b}`).toBeLessThan(order.indexOf(b));
}

describe('the live UI on real runs', () => {
  it('shows a cluster create as it goes, then the cluster, its nodes and nothing deployed', async () => {
    const created = createCluster({ name, nodes: 2, podStartDelayMs: 300, home, env });
    const run = await runOf('cluster-create');
    await page.page.goto(`${ui.url}#run=${run}`);
    const seen = await watchPhases(created);
    await created;
    await waitFor(
      () => page.page.getAttribute('#run-panel', 'data-state'),
      (state) => state === 'ok',
    );
    const order = await endOrder(run);
    expect(order.length).toBeGreaterThanOrEqual(3);
    expect([...seen.firstOk.keys()].sort()).toEqual([...order].sort());
    expectInOrder(seen.firstOk, order);
    await page.screenshot('live-cluster-create');

    await page.page.goto(`${ui.url}#clusters`);
    const cluster = `section.cluster[data-cluster="${name}"]`;
    await page.page.waitForSelector(`${cluster} table.nodes tbody tr:nth-child(2)`, { timeout: 20_000 });
    const nodes = await page.page.locator(`${cluster} table.nodes tbody tr`).allTextContents();
    expect(nodes.every((row) => row.includes('Ready') && row.includes('simulated'))).toBe(true);
    expect(await page.page.textContent(cluster)).toContain('The demo stack is not deployed');
  });

  it('shows a start turning its components ready in order, and the cluster view follows', async () => {
    await page.page.goto(ui.url);
    const started = runCli(['start', '--context', context, '--set', 'countly.replicas=2'], env);
    const run = await runOf('start');
    await page.page.goto(`${ui.url}#run=${run}`);
    const seen = await watchPhases(started);
    const result = await started;
    expect(result.code, result.stderr).toBe(0);
    const order = await endOrder(run);
    expectInOrder(seen.firstOk, order);
    // It was seen going, not only finished: phases turned done over several updates.
    expect(new Set(seen.firstOk.values()).size).toBeGreaterThanOrEqual(3);
    await page.screenshot('live-start');

    await page.page.goto(`${ui.url}#clusters`);
    const components = `section.cluster[data-cluster="${name}"] table.components`;
    await page.page.waitForSelector(components, { timeout: 20_000 });
    await waitFor(
      () => page.page.locator(`${components} tbody tr`).allTextContents(),
      (rows) => rows.some((r) => r.includes('Countly API') && r.includes('Ready')),
      20_000,
    );
    await page.screenshot('live-clusters');
  });

  it('draws the requests/s of a benchmark --time 30s while it runs', async () => {
    await page.page.goto(ui.url);
    const bench = runCli(['benchmark', '--time', '30s', '--local-target'], env);
    const run = await runOf('benchmark');
    await page.page.goto(`${ui.url}#run=${run}`);
    const early = await waitForPoints(page.page, 'chart-throughput', 3, 30_000);
    const later = await waitForPoints(page.page, 'chart-throughput', early + 5, 30_000);
    // Both counts were taken while the load still ran.
    expect(await page.page.getAttribute('#run-panel', 'data-state')).toBe('running');
    expect(later).toBeGreaterThan(early);
    await page.screenshot('live-benchmark');
    const result = await bench;
    expect(result.code, result.stderr).toBe(0);
    // Once run.json exists the panel shows the record's charts, latency included.
    await page.page.waitForSelector('#chart-latency canvas', { timeout: 20_000 });
    expect(page.consoleErrors).toEqual([]);
    expect(page.offLoopback).toEqual([]);
  });
});
