import { describe, expect, it } from 'vitest';
import { UserError } from '../../errors/index.js';
import { parseChaos } from './spec.js';

function rejected(run: () => unknown): UserError {
  try {
    run();
  } catch (err) {
    if (err instanceof UserError) return err;
    throw err;
  }
  throw new Error('expected a UserError');
}

describe('--chaos', () => {
  it('kills every 30s by default', () => {
    expect(parseChaos('pod-kill', 120, 7)).toEqual({ action: 'pod-kill', intervalSeconds: 30, seed: 7 });
  });

  it.each([
    ['pod-kill:15s', 15],
    ['pod-kill:1m30s', 90],
    [' pod-kill:2s ', 2],
  ])('reads the interval of %s', (text, seconds) => {
    expect(parseChaos(text, 300, 1).intervalSeconds).toBe(seconds);
  });

  it('keeps the given seed, and draws one in range without it', () => {
    expect(parseChaos('pod-kill', 60, 0).seed).toBe(0);
    expect(parseChaos('pod-kill', 60, 0xffffffff).seed).toBe(0xffffffff);
    const seeds = Array.from({ length: 5 }, () => parseChaos('pod-kill', 60).seed);
    for (const seed of seeds) {
      expect(Number.isInteger(seed)).toBe(true);
      expect(seed).toBeGreaterThanOrEqual(0);
      expect(seed).toBeLessThanOrEqual(0xffffffff);
    }
    expect(new Set(seeds).size).toBeGreaterThan(1);
  });

  it.each([
    ['pod-kill:soon', 60, undefined, '--chaos "pod-kill:soon": "soon" is not a duration'],
    ['kill-everything', 60, undefined, '--chaos "kill-everything" is not a chaos action'],
    ['pod-kill:5s:extra', 60, undefined, '--chaos "pod-kill:5s:extra" is not a chaos action'],
    ['pod-kill:0s', 60, undefined, '--chaos "pod-kill:0s": the interval must be at least 1s'],
    ['pod-kill:500ms', 60, undefined, '--chaos "pod-kill:500ms": the interval must be at least 1s'],
    [
      'pod-kill:60s',
      60,
      undefined,
      '--chaos "pod-kill:60s": no kill fits in a 60s run (one comes every 60s)',
    ],
    ['pod-kill', 20, undefined, '--chaos "pod-kill": no kill fits in a 20s run (one comes every 30s)'],
    ['pod-kill', 60, -1, '--chaos-seed -1 is not a whole number from 0 to 4294967295'],
    ['pod-kill', 60, 2 ** 32, '--chaos-seed 4294967296 is not a whole number from 0 to 4294967295'],
    ['pod-kill', 60, 1.5, '--chaos-seed 1.5 is not a whole number from 0 to 4294967295'],
  ])('rejects %s (run %ss, seed %s) in one line', (text, duration, seed, message) => {
    const err = rejected(() => parseChaos(text, duration, seed));
    expect(err.message).toBe(message);
    expect(err.message).not.toContain('\n');
    expect(err.exitCode).toBe(1);
  });

  it('hints at the right form for a malformed action', () => {
    expect(rejected(() => parseChaos('pod-kill:soon', 60)).hint).toContain('pod-kill:15s');
    expect(rejected(() => parseChaos('pod-kill:60s', 60)).hint).toBe(
      'give a shorter interval or a longer --time',
    );
  });
});
