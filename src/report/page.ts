/**
 * Self-contained pages (the report, the compare page, a published site's index): every style, script and
 * datum inlined, so a page opens from file:// or any static host with no network; a Content-Security-Policy
 * allows exactly the inlined scripts and styles (by hash) and nothing else.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { packageRoot } from '../config/paths.js';

/** The browser side: data files under web/, shared by these pages and the live UI (src/web/). */
export const WEB_DIR = join(packageRoot, 'web');

export interface PageAssets {
  /** uPlot, the chart library, and its stylesheet. */
  uplotJs: string;
  uplotCss: string;
  /** web/charts.js: every chart of a run, from src/report/chart-data.ts's shape. */
  chartsJs: string;
  /** web/report.css: the page styles. */
  reportCss: string;
  /** The boot scripts of each page kind (web/report.js, web/compare.js). */
  reportJs: string;
  compareJs: string;
}

let cached: Promise<PageAssets> | undefined;

/** The chart library from node_modules and the page scripts from web/, read once per process. */
export function loadPageAssets(): Promise<PageAssets> {
  cached ??= (async () => {
    const require = createRequire(import.meta.url);
    const uplot = (file: string): Promise<string> => readFile(require.resolve(`uplot/dist/${file}`), 'utf8');
    const web = (file: string): Promise<string> => readFile(join(WEB_DIR, file), 'utf8');
    const [uplotJs, uplotCss, chartsJs, reportCss, reportJs, compareJs] = await Promise.all([
      uplot('uPlot.iife.min.js'),
      uplot('uPlot.min.css'),
      web('charts.js'),
      web('report.css'),
      web('report.js'),
      web('compare.js'),
    ]);
    return { uplotJs, uplotCss, chartsJs, reportCss, reportJs, compareJs };
  })();
  return cached;
}

export const escapeHtml = (s: string): string =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

/** Keeps inlined text from closing its <script>/<style> element early. */
const inline = (s: string): string => s.replace(/<\/(script|style)/gi, '<\\/$1');

const sha256 = (text: string): string => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/** JSON for a <script type="application/json"> element (no "</script>" can end it early). */
const jsonData = (value: unknown): string => JSON.stringify(value).replace(/</g, '\\u003c');

export interface PageParts {
  title: string;
  /** Markup of <body>, already escaped. */
  body: string;
  styles: readonly string[];
  scripts: readonly string[];
  /** JSON data blocks by element id, read by the scripts. */
  data?: Readonly<Record<string, unknown>>;
}

/**
 * One HTML document with everything inlined. Its CSP (a meta element, so it holds from file:// too) lets
 * only these scripts and styles run, fetches nothing and cannot be framed or submit forms.
 */
export function selfContainedPage(parts: PageParts): string {
  const styles = parts.styles.map(inline);
  const scripts = parts.scripts.map(inline);
  const csp = [
    "default-src 'none'",
    `script-src ${scripts.map(sha256).join(' ') || "'none'"}`,
    `style-src ${styles.map(sha256).join(' ') || "'none'"}`,
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const data = Object.entries(parts.data ?? {})
    .map(([id, value]) => `<script type="application/json" id="${id}">${jsonData(value)}</script>`)
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(parts.title)}</title>
${styles.map((s) => `<style>${s}</style>`).join('\n')}
</head>
<body>
${parts.body}
${data}
${scripts.map((s) => `<script>${s}</script>`).join('\n')}
</body>
</html>
`;
}
