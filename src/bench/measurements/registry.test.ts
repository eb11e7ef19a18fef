import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../errors/index.js';
import {
  createMeasurement,
  loadSloTable,
  measurementDefinitions,
  measurementNames,
  measurementsIn,
} from './registry.js';
import { MEASUREMENT_SCOPES } from './types.js';
import { sloVerdicts } from './slos.js';

async function file(text: string): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), 'slos-')), 'slos.yaml');
  await writeFile(path, text);
  return path;
}

const HEADER = 'apiVersion: cncfdemo.io/v1alpha1\nkind: SloThresholds\n';

describe('measurement registry', () => {
  it('gives every measurement a scope, a compare contribution and SLO data', async () => {
    const slos = await loadSloTable();
    for (const d of measurementDefinitions()) {
      expect(d.compare.length, d.name).toBeGreaterThan(0);
      expect(slos[d.name], d.name).toBeDefined();
      expect(createMeasurement(d.name).name).toBe(d.name);
    }
    expect(Object.keys(slos).sort()).toEqual(
      measurementDefinitions()
        .map((d) => d.name)
        .sort(),
    );
  });

  it('puts every measurement in exactly one of the contexts the benchmark runs', () => {
    const byScope = MEASUREMENT_SCOPES.flatMap((scope) => measurementsIn(scope));
    expect([...byScope].sort()).toEqual([...measurementNames()].sort());
    expect(new Set(measurementNames()).size).toBe(measurementNames().length);
    expect(measurementsIn('burstPods')).toContain('podStartupLatency');
  });

  it('skips a Prometheus measurement without Prometheus, saying why', () => {
    const compatibility = createMeasurement('apiRequestLatency').isCompatible({
      runId: 'r',
      start: new Date(),
      slos: {},
    });
    expect(compatibility.compatible).toBe(false);
    expect(!compatibility.compatible && compatibility.reason).toMatch(
      /^needs Prometheus scraping the apiserver/,
    );
  });
});

describe('SLO thresholds', () => {
  it('checks the shipped API latency classes against their thresholds', async () => {
    const slos = await loadSloTable();
    expect(slos.apiRequestLatency?.map((o) => [o.row, o.maxSeconds])).toEqual([
      ['mutating, resource scope', 1],
      ['read, resource scope', 1],
      ['read, namespace scope', 5],
      ['read, cluster scope', 30],
    ]);
  });

  it("replaces a measurement's objectives with the user's file and keeps the others", async () => {
    const path = await file(
      `${HEADER}measurements:\n  podStartupLatency:\n    - { name: fast start, row: created→ready, column: p90, maxSeconds: 2 }\n`,
    );
    const slos = await loadSloTable(path);
    expect(slos.podStartupLatency).toEqual([
      { name: 'fast start', row: 'created→ready', column: 'p90', maxSeconds: 2 },
    ]);
    expect(slos.apiRequestLatency).toHaveLength(4);
    const rows = [{ label: 'created→ready', values: { p90: 3 } }];
    expect(sloVerdicts(rows, slos.podStartupLatency ?? [])).toEqual([
      { name: 'fast start', objective: 'p90 <= 2s', thresholdSeconds: 2, observedSeconds: 3, pass: false },
    ]);
    expect(sloVerdicts([], slos.podStartupLatency ?? [])[0]?.pass).toBeNull();
  });

  it('rejects a bad file in one line naming it', async () => {
    const cases = [
      [
        `${HEADER}measurements:\n  podStartupLatency:\n    - { name: x, row: y, column: p99, maxSeconds: -1 }\n`,
        /must be > 0/,
      ],
      [`${HEADER}measurements:\n  podStartupLatencyy: []\n`, /unknown measurement "podStartupLatencyy"/],
      [
        `apiVersion: cncfdemo.io/v1alpha1\nkind: PriceTable\nmeasurements: {}\n`,
        /expected apiVersion cncfdemo.io\/v1alpha1 and kind SloThresholds/,
      ],
    ] as const;
    for (const [text, pattern] of cases) {
      const path = await file(text);
      const err = await loadSloTable(path).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UserError);
      const message = (err as Error).message;
      expect(message).toMatch(pattern);
      expect(message).toContain('slos.yaml');
      expect(message.split('\n')).toHaveLength(1);
    }
  });
});
