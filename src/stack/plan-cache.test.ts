import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { planStack, type PlanInput, type StackPlan, type StackSources } from './plan.js';
import { cachedPlanStack } from './plan-cache.js';
import { readStackSources } from './sources.js';
import { readValuesSources, resolveValues, type ValuesSources } from './values.js';

let sources: StackSources;
let valuesSources: ValuesSources;
beforeAll(async () => {
  [sources, valuesSources] = await Promise.all([readStackSources(), readValuesSources()]);
});

let dir: string;
let planned: number;
const counting = (s: StackSources, input: PlanInput): StackPlan => {
  planned++;
  return planStack(s, input);
};
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'plan-cache-'));
  planned = 0;
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const input = (set: Record<string, unknown> = {}): PlanInput => ({
  values: resolveValues(valuesSources, [set]),
  facts: { storageClasses: [] },
});
const cached = (s: StackSources, i: PlanInput, build: string | null = 'build-1') =>
  cachedPlanStack(s, i, { dir, build: build ?? undefined, plan: counting });

describe('stack plan cache', () => {
  it('answers the same inputs of the same build from disk, with the plan planning gives', async () => {
    const first = await cached(sources, input());
    const second = await cached(sources, input());
    expect(planned).toBe(1);
    expect(second).toEqual(planStack(sources, input()));
    expect(second).toEqual(first);
  });

  it('plans again when a value, a template, the cluster facts or the build differ', async () => {
    await cached(sources, input());
    await cached(sources, input({ countly: { replicas: 5 } }));
    const edited = new Map(sources.templates);
    const [path, text] = [...edited][0] ?? ['', ''];
    edited.set(path, `${text}\n`);
    await cached({ ...sources, templates: edited }, input());
    await cached(sources, { ...input(), facts: { storageClasses: ['fast'], defaultStorageClass: 'fast' } });
    await cached(sources, input(), 'build-2');
    expect(planned).toBe(5);
  });

  it('never writes a plan holding the BOINC key, nor caches when running from source', async () => {
    const withKey = { ...input({ boinc: { enabled: true } }), boincAccountKey: 'secret-account-key' };
    await cached(sources, withKey);
    await cached(sources, withKey);
    await cached(sources, input(), null);
    await cached(sources, input(), null);
    expect(planned).toBe(4);
    expect(await readdir(dir)).toEqual([]);
  });

  it('plans afresh over an entry it cannot read', async () => {
    await cached(sources, input());
    const [name] = await readdir(dir);
    await rm(join(dir, name ?? ''));
    await cached(sources, input());
    const entry = join(dir, name ?? '');
    expect(JSON.parse(await readFile(entry, 'utf8'))).toMatchObject({ format: 1 });
    await writeFile(entry, '{"format":1,"key":"other"');
    const again = await cached(sources, input());
    expect(planned).toBe(3);
    expect(again).toEqual(planStack(sources, input()));
  });
});
