/**
 * The stack plan kept on disk between runs. Planning is pure (plan.ts): the same sources, values and cluster
 * facts give the same plan, and rendering it (the templates, then parsing some 100 KB of YAML) is most of
 * what `start`, `start --dry-run` and `render` do before their first request. An entry is named by a hash of every
 * input and of the build (config/identity.ts `buildId`), so any change to a template, a value, the cluster's
 * storage or the code misses; running from source (no build id) never caches.
 *
 * A plan holding a secret (the BOINC account key) is never written: it is planned afresh each time.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../config/files.js';
import { buildId } from '../config/identity.js';
import { cacheDir } from '../config/paths.js';
import { planStack, type PlanInput, type StackPlan, type StackSources } from './plan.js';

export interface PlanCacheOptions {
  /** Default: `<cache>/plans`. */
  dir?: string;
  /** Default: this build's id; undefined turns the cache off. */
  build?: string | undefined;
  /** The planner (default planStack): tests count its calls. */
  plan?: (sources: StackSources, input: PlanInput) => StackPlan;
}

const ENTRY_FORMAT = 1;
/** Entries kept; older ones (by last write) go. A plan is some 100-200 KB. */
const MAX_ENTRIES = 32;

interface Entry {
  format: number;
  key: string;
  plan: StackPlan;
}

/** planStack, answered from the cache when the same inputs were planned by the same build before. */
export async function cachedPlanStack(
  sources: StackSources,
  input: PlanInput,
  options: PlanCacheOptions = {},
): Promise<StackPlan> {
  const plan = options.plan ?? planStack;
  const build = 'build' in options ? options.build : buildId();
  if (build === undefined || input.boincAccountKey) return plan(sources, input);
  const dir = options.dir ?? join(cacheDir(), 'plans');
  const key = planKey(build, sources, input);
  const file = join(dir, `${key}.json`);
  const cached = await readEntry(file, key);
  if (cached) return cached;
  const fresh = plan(sources, input);
  await writeEntry(dir, file, { format: ENTRY_FORMAT, key, plan: fresh });
  return fresh;
}

function planKey(build: string, sources: StackSources, input: PlanInput): string {
  const hash = createHash('sha256');
  const add = (part: string | Buffer): void => {
    hash.update(part).update('\0');
  };
  add(build);
  add(JSON.stringify(sources.definition));
  for (const [path, text] of [...sources.templates].sort(([a], [b]) => a.localeCompare(b))) {
    add(path);
    add(text);
  }
  for (const [folder, files] of [...sources.configFolders].sort(([a], [b]) => a.localeCompare(b))) {
    add(folder);
    for (const f of [...files].sort((a, b) => a.name.localeCompare(b.name))) {
      add(f.name);
      add(f.content);
    }
  }
  add(JSON.stringify({ values: input.values, facts: input.facts ?? null }));
  return hash.digest('hex').slice(0, 32);
}

async function readEntry(file: string, key: string): Promise<StackPlan | undefined> {
  try {
    const entry = JSON.parse(await readFile(file, 'utf8')) as Partial<Entry>;
    // Written by writeEntry below for this very key: the shape is ours.
    return entry.format === ENTRY_FORMAT && entry.key === key ? entry.plan : undefined;
  } catch {
    return undefined;
  }
}

/** Best effort: a plan that cannot be cached is only planned again next time. */
async function writeEntry(dir: string, file: string, entry: Entry): Promise<void> {
  try {
    await writeFileAtomic(file, JSON.stringify(entry), { mode: 0o600, dirMode: 0o700 });
    const names = (await readdir(dir)).filter((n) => n.endsWith('.json'));
    if (names.length <= MAX_ENTRIES) return;
    const aged = await Promise.all(
      names.map(async (n) => ({ path: join(dir, n), mtime: (await stat(join(dir, n))).mtimeMs })),
    );
    aged.sort((a, b) => b.mtime - a.mtime);
    await Promise.all(aged.slice(MAX_ENTRIES).map((a) => rm(a.path, { force: true })));
  } catch {
    // not cached
  }
}
