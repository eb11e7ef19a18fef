import { describe, expect, it } from 'vitest';
import { loadSloTable, measurementNames } from '../../src/bench/measurements/registry.js';
import { loadDoctorData } from '../../src/doctor/data.js';
import { loadPriceTable } from '../../src/report/cost.js';
import { readStackSources } from '../../src/stack/sources.js';

// The shipped data files pass their own schemas (schemas/*.schema.json) through loadDocument.
describe('shipped data files', () => {
  it('load and hold what their readers expect', async () => {
    const prices = await loadPriceTable();
    expect(prices.currency).toBe('USD');
    expect(prices.providers.local?.default).toBe(0);
    const doctor = await loadDoctorData();
    expect(doctor.binaries.binaries.map((b) => b.name)).toContain('conntrack');
    expect(Object.keys(doctor.runtimes)).toContain('containerd');
    expect(doctor.sysctls.length).toBeGreaterThan(0);
    expect(Object.keys(await loadSloTable()).sort()).toEqual([...measurementNames()].sort());
    const stack = await readStackSources();
    expect(stack.definition.components[0]?.name).toBe('foundation');
  });
});
