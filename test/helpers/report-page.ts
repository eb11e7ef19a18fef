import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';

/** The report's chart containers (src/report/html.ts). */
export const CHARTS = [
  'chart-throughput',
  'chart-failures',
  'chart-latency',
  'chart-replicas',
  'chart-priority',
  'chart-boinc',
  'chart-timeline',
] as const;

/** Runs in the page: which chart containers have a canvas with drawn pixels, which show a "no data" note. */
const PROBE = `(() => {
  const drawn = [];
  const empty = {};
  const killMarks = {};
  for (const id of ${JSON.stringify(CHARTS)}) {
    const el = document.getElementById(id);
    const canvas = el && el.querySelector('canvas');
    const note = el && el.querySelector('.nodata');
    if (note) empty[id] = note.textContent;
    if (el && el.getAttribute('data-kill-marks')) killMarks[id] = Number(el.getAttribute('data-kill-marks'));
    if (!canvas) continue;
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let painted = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) painted++;
    if (painted > 200) drawn.push(id);
  }
  return { drawn, empty, killMarks };
})()`;

export interface Rendered {
  consoleErrors: string[];
  /** Requests the page tried that were not for its own file (all blocked). */
  networkAttempts: string[];
  /** Chart containers whose canvas has drawn pixels. */
  drawn: string[];
  /** Chart containers showing a "no data" note instead, with its text. */
  empty: Record<string, string>;
  /** Chart containers with chaos kill marks, and how many. */
  killMarks: Record<string, number>;
  screenshot: string;
}

/** Headless Debian Chromium opening report.html files from file:// with the network blocked. */
export class ReportBrowser {
  private constructor(
    private readonly browser: Browser,
    private readonly dir: string,
  ) {}

  static async launch(): Promise<ReportBrowser> {
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    return new ReportBrowser(browser, await mkdtemp(join(tmpdir(), 'cncfdemo-report-test-')));
  }

  /** Opens a report with every non-file request aborted, saves a screenshot and reports what rendered. */
  async open(htmlPath: string, name: string): Promise<Rendered> {
    const context = await this.browser.newContext({ viewport: { width: 1300, height: 900 } });
    const networkAttempts: string[] = [];
    await context.route('**/*', async (route) => {
      const url = route.request().url();
      if (url.startsWith('file:')) return route.continue();
      networkAttempts.push(url);
      return route.abort();
    });
    const page = await context.newPage();
    const consoleErrors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    await page.goto(pathToFileURL(htmlPath).href);
    await page.waitForSelector('body[data-rendered="true"]', { timeout: 10_000 });
    const state = await page.evaluate<{
      drawn: string[];
      empty: Record<string, string>;
      killMarks: Record<string, number>;
    }>(PROBE);
    const screenshot = join(this.dir, `${name}.png`);
    await page.screenshot({ path: screenshot, fullPage: true });
    // A copy outside the temporary directory, to look at after the run.
    await writeFile(join(tmpdir(), `cncfdemo-report-${name}.png`), await readFile(screenshot));
    await context.close();
    return { consoleErrors, networkAttempts, screenshot, ...state };
  }

  async close(): Promise<void> {
    await this.browser.close();
    await rm(this.dir, { recursive: true, force: true });
  }
}
