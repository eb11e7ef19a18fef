import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishSite, SITE_MANIFEST } from '../../src/api/publish.js';
import { isOneLineError, runCli } from '../helpers/cli.js';
import { UiBrowser, type WatchedPage } from '../helpers/ui-page.js';

/** `publish DIR`: a static site of runs, opened from file:// with every network request blocked. */
const RUNS = ['20250101-120000-a1b2', '20250102T120000Z-benchmark-beef', '20250103T120000Z-benchmark-cafe'];
let home: string;
let site: string;
let browser: UiBrowser;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'cncfdemo-publish-'));
  site = join(home, 'site');
  const fixture = JSON.parse(
    await readFile(join(import.meta.dirname, '../fixtures/report/valid-cluster-run.json'), 'utf8'),
  ) as { id: string };
  for (const id of RUNS) {
    await mkdir(join(home, 'runs', id), { recursive: true });
    await writeFile(join(home, 'runs', id, 'run.json'), JSON.stringify({ ...fixture, id }));
  }
  browser = await UiBrowser.launch();
});

afterAll(async () => {
  await browser.close();
  await rm(home, { recursive: true, force: true });
});

async function opened(path: string, name: string): Promise<WatchedPage> {
  const page = await browser.open(pathToFileURL(join(site, path)).href);
  await page.page.waitForSelector('body');
  await page.screenshot(name);
  return page;
}

describe('cncfdemo publish', () => {
  it('writes an index, a report per run and the compare page that work from file:// offline', async () => {
    const result = await runCli(['publish', site], { ...process.env, CNCFDEMO_HOME: home });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe(join(site, 'index.html'));

    const index = await opened('index.html', 'site-index');
    const anchors = await index.page.locator('#site-runs a').all();
    const links = await Promise.all(anchors.map((a) => a.getAttribute('href')));
    expect(links).toEqual(RUNS.map((id) => `runs/${id}/report.html`));
    await index.page.click('#compare-link');
    await index.page.waitForSelector('body[data-rendered="true"]');
    expect(await index.page.locator('#comparison thead th').count()).toBe(RUNS.length + 1);
    expect(Number(await index.page.getAttribute('#overlay-throughput', 'data-points'))).toBeGreaterThan(1);
    await index.page.click(`#comparison a:text("${RUNS[1] ?? ''}")`);
    await index.page.waitForSelector('body[data-rendered="true"]');
    expect(await index.page.locator('#charts canvas').count()).toBeGreaterThanOrEqual(4);
    await index.screenshot('site-report');
    expect(index.consoleErrors).toEqual([]);
    expect(index.offLoopback).toEqual([]);
    await index.close();
  });

  it('converges: a re-run with fewer runs removes exactly the pages it no longer has', async () => {
    const first = JSON.parse(await readFile(join(site, SITE_MANIFEST), 'utf8')) as { files: string[] };
    await writeFile(join(site, 'notes.txt'), 'a file of the user');
    const again = await publishSite(site, { runs: [RUNS[0] ?? ''], home });
    expect(again.removed.sort()).toEqual(first.files.filter((f) => !again.files.includes(f)).sort());
    expect(again.files).toEqual(['index.html', `runs/${RUNS[0] ?? ''}/report.html`]);
    await expect(readFile(join(site, 'compare.html'))).rejects.toThrow();
    expect(await readFile(join(site, 'notes.txt'), 'utf8')).toBe('a file of the user');
  });

  it('refuses a directory it did not write, and a home without benchmarks, in one line', async () => {
    const foreign = join(home, 'foreign');
    await mkdir(foreign);
    await copyFile(join(home, 'runs', RUNS[0] ?? '', 'run.json'), join(foreign, 'x.json'));
    const refused = await runCli(['publish', foreign], { ...process.env, CNCFDEMO_HOME: home });
    expect(refused.code).not.toBe(0);
    expect(isOneLineError(refused.stderr)).toBe(true);
    expect(refused.stderr).toContain('is not empty and was not written by cncfdemo publish');
    const empty = await mkdtemp(join(tmpdir(), 'cncfdemo-publish-empty-'));
    const none = await runCli(['publish', join(empty, 'site')], { ...process.env, CNCFDEMO_HOME: empty });
    expect(none.code).not.toBe(0);
    expect(isOneLineError(none.stderr)).toBe(true);
    expect(none.stderr).toContain('no benchmark runs');
    await rm(empty, { recursive: true, force: true });
  });
});
