/**
 * `publish DIR [RUN...]`: a static results site of recorded benchmarks (src/report/site.ts), written so
 * that re-running converges: the site keeps a manifest of the files it wrote, and a re-run removes those
 * no longer part of it and nothing else. A directory with other files and no manifest is refused.
 */
import { readdir, readFile, rm, rmdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { writeFileAtomic } from '../config/files.js';
import { homeDir } from '../config/paths.js';
import { UserError } from '../errors/index.js';
import { loadPageAssets } from '../report/page.js';
import { renderSite } from '../report/site.js';
import { listRunRecords, readRunRecord } from '../report/store.js';
import type { RunRecord } from '../model/run-record.js';

/** The site's record of what it wrote (relative paths), so a re-run knows what is its own. */
export const SITE_MANIFEST = '.cncfdemo-site.json';

export interface PublishOptions {
  /** Run ids or run directories; default: every benchmark run with a record in the home. */
  runs?: readonly string[];
  home?: string;
  env?: NodeJS.ProcessEnv;
}

export interface PublishedSite {
  dir: string;
  /** Paths written, relative to dir. */
  files: string[];
  /** Paths of an earlier publish that are gone now. */
  removed: string[];
  runs: string[];
}

export async function publishSite(dir: string, options: PublishOptions = {}): Promise<PublishedSite> {
  const root = resolve(dir);
  const home = homeDir(options.env ?? process.env, options.home);
  const records: RunRecord[] = options.runs?.length
    ? await Promise.all(options.runs.map(async (r) => (await readRunRecord(home, r)).record))
    : await listRunRecords(home);
  if (records.length === 0)
    throw new UserError(
      `no benchmark runs in ${join(home, 'runs')} to publish`,
      'run cncfdemo benchmark first',
    );
  const previous = await readManifest(root);
  const pages = renderSite(records, await loadPageAssets());
  for (const [path, html] of pages) {
    // Whole or not at all: a static host never serves half a page.
    await writeFileAtomic(join(root, path), html);
  }
  const files = [...pages.keys()].sort();
  const removed = previous.filter((p) => !pages.has(p));
  for (const path of removed) {
    await rm(join(root, path), { force: true });
    await rmdir(dirname(join(root, path))).catch(() => undefined); // only when it is empty
  }
  await writeFile(join(root, SITE_MANIFEST), `${JSON.stringify({ files }, null, 2)}\n`);
  return { dir: root, files, removed, runs: records.map((r) => r.id) };
}

/** The files an earlier publish wrote; none for a new or empty directory; refuses anyone else's. */
async function readManifest(root: string): Promise<string[]> {
  const text = await readFile(join(root, SITE_MANIFEST), 'utf8').catch(() => undefined);
  if (text !== undefined) {
    const files = (JSON.parse(text) as { files?: unknown }).files;
    return Array.isArray(files)
      ? files.filter((f): f is string => typeof f === 'string' && !f.includes('..'))
      : [];
  }
  const entries = await readdir(root).catch(() => []);
  if (entries.length > 0)
    throw new UserError(
      `${root} is not empty and was not written by cncfdemo publish`,
      'publish into a new or empty directory',
    );
  return [];
}
