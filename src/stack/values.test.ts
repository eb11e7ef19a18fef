import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { packageRoot } from '../config/paths.js';
import { UserError } from '../errors/index.js';
import { readUserValues, readValuesSources, resolveValues, type ValuesSources } from './values.js';

const fixtures = join(packageRoot, 'test', 'fixtures', 'stack');
const files = readdirSync(fixtures);
const valid = files.filter((f) => f.startsWith('valid-'));
const invalid = files.filter((f) => f.startsWith('invalid-'));

let sources: ValuesSources;
beforeAll(async () => {
  sources = await readValuesSources();
});

/** Resolves values the way `start` does, from files and --set expressions. */
async function resolve(input: { valuesFiles?: string[]; set?: string[] }) {
  return resolveValues(sources, await readUserValues({ ...input, cwd: fixtures }));
}

async function problem(input: { valuesFiles?: string[]; set?: string[] }): Promise<UserError> {
  try {
    await resolve(input);
  } catch (err) {
    if (err instanceof UserError) return err;
    throw err;
  }
  throw new Error('expected the values to be rejected');
}

describe('stack values', () => {
  it('has defaults that satisfy the schema', async () => {
    const values = await resolve({});
    expect(values.namespaces).toEqual({ stack: 'cncfdemo', monitoring: 'cncfdemo-monitoring' });
    expect(values.countly.autoscaling).toMatchObject({ enabled: true, minReplicas: 2, maxReplicas: 10 });
    expect(values.mongo.image).toMatch(/^mongo:8/);
  });

  it.each(valid)('accepts %s', async (file) => {
    await expect(resolve({ valuesFiles: [file] })).resolves.toBeDefined();
  });

  it.each(invalid)('rejects %s with a one-line error naming the problem', async (file) => {
    const expected = /^# expect: (.+)$/m.exec(readFileSync(join(fixtures, file), 'utf8'))?.[1];
    expect(expected, `${file} lacks an "# expect:" line`).toBeDefined();
    const err = await problem({ valuesFiles: [file] });
    expect(err.message).toContain(expected);
    expect(err.message).not.toContain('\n');
    expect(err.hint).toContain('manifests/values.yaml');
  });

  it.each([
    ['countly.replicas=-1', 'countly.replicas must be >= 0 (got -1)'],
    ['countly.replicaz=3', 'unknown key countly.replicaz'],
    ['mongo.image=UPPER/Case:1', 'mongo.image is not an image reference'],
    ['mongo.image=mongo:8 0', 'mongo.image is not an image reference'],
    ['domain=-bad.example.com', 'domain is not a DNS domain'],
    ['domain=demo..example.com', 'domain is not a DNS domain'],
    ['storage.persistent=maybe', 'storage.persistent must be one of "auto", true, false (got "maybe")'],
    ['monitoring.prometheus.retention=2 days', 'monitoring.prometheus.retention is not a duration'],
    ['placement.tolerations[0].operator=Sometimes', 'placement.tolerations[0].operator must be one of'],
  ])('rejects --set %s', async (set, expected) => {
    const err = await problem({ set: [set] });
    expect(err.message).toContain(expected);
  });

  it('reports every problem at once', async () => {
    const err = await problem({
      set: ['countly.replicas=-1', 'domain=not a domain', 'mongo.image=Bad Image'],
    });
    expect(err.message).toContain('countly.replicas');
    expect(err.message).toContain('domain');
    expect(err.message).toContain('mongo.image');
  });

  it('applies files in order, then --set, then dedicated flags', async () => {
    const layers = await readUserValues({
      valuesFiles: ['valid-production.yaml'],
      set: ['countly.autoscaling.maxReplicas=40', 'domain=set.example.com'],
      overrides: { domain: 'flag.example.com' },
      cwd: fixtures,
    });
    const values = resolveValues(sources, layers);
    expect(values.countly.autoscaling).toMatchObject({ minReplicas: 3, maxReplicas: 40 });
    expect(values.domain).toBe('flag.example.com');
    expect(values.mongo.shards).toBe(3);
  });

  it('resets a key to its default with null', async () => {
    const values = await resolve({ valuesFiles: ['valid-production.yaml'], set: ['mongo.shards=null'] });
    expect(values.mongo.shards).toBe(2);
  });

  it('keeps list values whole instead of merging them', async () => {
    const values = await resolve({
      valuesFiles: ['valid-placement.yaml'],
      set: ['placement.tolerations[0].key=other'],
    });
    expect(values.placement.tolerations).toEqual([{ key: 'other' }]);
  });

  describe('without MongoDB', () => {
    it("rejects Countly's own API server, which keeps its data there", async () => {
      const err = await problem({ set: ['mongo.enabled=false', 'countly.dashboardEnabled=false'] });
      expect(err.message).toBe(
        'invalid stack values: countly.apiServer countly needs MongoDB (mongo.enabled is false): set countly.apiServer ingest',
      );
    });

    it('rejects the dashboard too, in the same line', async () => {
      const err = await problem({ set: ['mongo.enabled=false'] });
      expect(err.message).toContain('countly.apiServer countly needs MongoDB');
      expect(err.message).toContain('countly.dashboardEnabled needs MongoDB (mongo.enabled is false)');
      expect(err.message).not.toContain('\n');
    });

    it('accepts the ingest server without a dashboard', () => {
      const values = resolveValues(sources, [
        { mongo: { enabled: false }, countly: { apiServer: 'ingest', dashboardEnabled: false } },
      ]);
      expect(values.mongo.enabled).toBe(false);
      expect(values.countly.apiServer).toBe('ingest');
    });
  });

  describe('the offline profile', () => {
    const profile = join(packageRoot, 'manifests', 'profiles', 'offline.yaml');
    const recipes = readdirSync(join(packageRoot, 'data', 'images'))
      .filter((f) => f.endsWith('.yaml'))
      .map(
        (f) => (parse(readFileSync(join(packageRoot, 'data', 'images', f), 'utf8')) as { name: string }).name,
      );

    it('resolves without problems and leaves out what it cannot build', async () => {
      const values = resolveValues(sources, await readUserValues({ valuesFiles: [profile] }));
      expect(values.mongo.enabled).toBe(false);
      expect(values.monitoring.grafana.enabled).toBe(false);
      expect(values.countly).toMatchObject({ apiServer: 'ingest', dashboardEnabled: false });
    });

    it('sets only images that a recipe in data/images builds', async () => {
      const values = resolveValues(sources, await readUserValues({ valuesFiles: [profile] }));
      const { prometheus, pushgateway, nodeExporter, kubeStateMetrics } = values.monitoring;
      const images = [
        prometheus.image,
        pushgateway.image,
        nodeExporter.image,
        kubeStateMetrics.image,
        values.countly.apiImage,
        values.boinc.image,
        values.loadgen.wrkImage,
      ];
      expect(recipes).toContain('cncfdemo/prometheus');
      for (const image of images) {
        const match = /^docker\.io\/([^:]+):[\w.-]+$/.exec(image);
        expect(match, `${image} is not docker.io/NAME:TAG`).not.toBeNull();
        expect(recipes, image).toContain(match?.[1]);
      }
    });
  });
});
