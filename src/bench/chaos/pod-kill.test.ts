import { describe, expect, it } from 'vitest';
import { pickVictim, seededRandom } from './pod-kill.js';

const draws = (seed: number, n: number): number[] => {
  const random = seededRandom(seed);
  return Array.from({ length: n }, () => random());
};

describe('seeded victim choice', () => {
  it('draws the same sequence for the same seed and another for another seed', () => {
    expect(draws(42, 20)).toEqual(draws(42, 20));
    expect(draws(43, 20)).not.toEqual(draws(42, 20));
    expect(draws(0, 20)).not.toEqual(draws(1, 20));
    // a sequence, not one value repeated
    expect(new Set(draws(42, 20)).size).toBe(20);
  });

  it('draws values in [0, 1)', () => {
    for (const seed of [0, 1, 0xffffffff]) {
      for (const v of draws(seed, 2000)) {
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThan(1);
      }
    }
  });

  it('picks from the pods sorted by name', () => {
    const pods = ['countly-api-c', 'countly-api-a', 'countly-api-b'];
    expect(pickVictim(pods, () => 0)).toBe('countly-api-a');
    expect(pickVictim(pods, () => 0.5)).toBe('countly-api-b');
    expect(pickVictim(pods, () => 0.999)).toBe('countly-api-c');
    expect(pods).toEqual(['countly-api-c', 'countly-api-a', 'countly-api-b']); // the input is left as it was
  });

  it('picks the same victims from the same pods in any order with the same seed', () => {
    const pods = ['api-4', 'api-1', 'api-3', 'api-0', 'api-2'];
    const victims = (list: string[]): (string | undefined)[] => {
      const random = seededRandom(7);
      return Array.from({ length: 10 }, () => pickVictim(list, random));
    };
    const picked = victims(pods);
    expect(victims([...pods].reverse())).toEqual(picked);
    expect(victims([...pods].sort())).toEqual(picked);
    expect(new Set(picked).size).toBeGreaterThan(1);
  });

  it('picks nobody from no pods', () => {
    expect(pickVictim([], seededRandom(1))).toBeUndefined();
  });
});
