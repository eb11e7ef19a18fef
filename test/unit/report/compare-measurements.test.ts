import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { measurementDefinitions } from '../../../src/bench/measurements/registry.js';
import type { RunRecord } from '../../../src/model/run-record.js';
import { comparisonRows } from '../../../src/report/compare.js';

// Here rather than beside the registry: bench may not import report (eslint.config.js, layer rules).
describe('compare and the measurement registry', () => {
  it("lines each measurement's contributions up in compare, reading old records too", async () => {
    const record = JSON.parse(
      await readFile(join(import.meta.dirname, '../../fixtures/report/valid-cluster-run.json'), 'utf8'),
    ) as RunRecord;
    const rows = new Map(comparisonRows([record]).map((r) => [r.label, r.values[0]]));
    for (const d of measurementDefinitions())
      for (const c of d.compare) expect(rows.has(`${d.name}: ${c.label}`)).toBe(true);
    // The record measured pod startup only: its created→ready row, and '–' where nothing was measured.
    expect(rows.get('podStartupLatency: created→ready p99')).toBe('4.00 s');
    expect(rows.get('apiRequestLatency: mutating, resource scope p99')).toBe('–');
  });
});
