import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { waitFor } from './wait.js';

/** Where the UI tests' screenshots go, to look at after a run. */
export const SCREENSHOTS = join(tmpdir(), 'cncfdemo-ui-screenshots');

/** A page whose every request is watched: only loopback and file: are let through, the rest aborted. */
export interface WatchedPage {
  page: Page;
  /** Console errors and uncaught exceptions (CSP violations show up here). */
  consoleErrors: string[];
  /** Requests for anything but 127.0.0.1 or a file: all blocked. */
  offLoopback: string[];
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

const allowed = (url: string): boolean => {
  if (url.startsWith('file:') || url.startsWith('data:')) return true;
  try {
    return new URL(url).hostname === '127.0.0.1';
  } catch {
    return false;
  }
};

/** Headless Debian Chromium for the web UI and the published site. */
export class UiBrowser {
  private constructor(private readonly browser: Browser) {}

  static async launch(): Promise<UiBrowser> {
    await mkdir(SCREENSHOTS, { recursive: true });
    return new UiBrowser(
      await chromium.launch({
        executablePath: '/usr/bin/chromium',
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
      }),
    );
  }

  async open(url: string): Promise<WatchedPage> {
    const context: BrowserContext = await this.browser.newContext({ viewport: { width: 1300, height: 900 } });
    const offLoopback: string[] = [];
    const consoleErrors: string[] = [];
    await context.route('**/*', async (route) => {
      const target = route.request().url();
      if (allowed(target)) return route.continue();
      offLoopback.push(target);
      return route.abort();
    });
    // Pages opened by the page (window.open, target=_blank) are watched the same way.
    context.on('page', (p) => {
      p.on('console', (m) => {
        if (m.type() === 'error') consoleErrors.push(m.text());
      });
      p.on('pageerror', (e) => consoleErrors.push(e.message));
    });
    const page = await context.newPage();
    await page.goto(url);
    return {
      page,
      consoleErrors,
      offLoopback,
      screenshot: async (name) => {
        const path = join(SCREENSHOTS, `${name}.png`);
        await page.screenshot({ path, fullPage: true });
        return path;
      },
      close: () => context.close(),
    };
  }

  close(): Promise<void> {
    return this.browser.close();
  }
}

/** How many points a chart of the page draws now (web/charts.js sets data-points), 0 for none. */
export async function chartPoints(page: Page, id: string): Promise<number> {
  const value = await page.getAttribute(`#${id}`, 'data-points').catch(() => null);
  return value === null ? 0 : Number(value);
}

/** Waits until the chart draws at least `count` points. */
export function waitForPoints(page: Page, id: string, count: number, timeout = 15_000): Promise<number> {
  return waitFor(
    () => chartPoints(page, id),
    (n) => n >= count,
    timeout,
  );
}
