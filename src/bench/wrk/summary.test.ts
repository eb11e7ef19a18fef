import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseWrkSummary, parseWrkTime } from './summary.js';

describe("wrk's printed summary", () => {
  const text = readFileSync(join(import.meta.dirname, '../../../test/fixtures/bench/wrk-output.txt'), 'utf8');

  it('parses totals, errors and the latency distribution', () => {
    const s = parseWrkSummary(text);
    expect(s).toMatchObject({
      requests: 243831,
      durationSeconds: 3,
      requestsPerSecond: 81241.66,
      threads: 2,
      connections: 16,
    });
    expect(s.errors).toEqual({ connect: 1, read: 2, write: 3, timeout: 4, status: 5 });
    expect(s.latencyPercentiles['99']?.value).toBeCloseTo(0.00227, 12);
    expect(s.latencyPercentiles['50']?.value).toBeCloseTo(0.000156, 12);
    expect(s.latencyMax?.value).toBeCloseTo(0.00645, 12);
  });

  it.each([
    ['156.00us', 156e-6, 0.005e-6],
    ['2.27ms', 2.27e-3, 0.005e-3],
    ['1.50s', 1.5, 0.005],
    ['2.00m', 120, 0.3],
  ])('reads %s with its rounding', (input, value, rounding) => {
    const t = parseWrkTime(input);
    expect(t.value).toBeCloseTo(value, 12);
    expect(t.rounding).toBeCloseTo(rounding, 12);
  });

  it('says which part is missing', () => {
    expect(() => parseWrkSummary('nothing')).toThrow(/thread\/connection line/);
  });
});
