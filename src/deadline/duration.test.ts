import { describe, expect, it } from 'vitest';
import { UsageError } from '../errors/index.js';
import { formatDuration, MAX_TIMER_MS, parseDuration } from './duration.js';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['1h30m', 5_400_000],
    ['2m30s500ms', 150_500],
    ['1.5m', 90_000],
    ['90', 90_000],
    ['0', 0],
    [' 5m ', 300_000],
  ])('%s is %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', 'soon', '5x', 'm5', '1h 30m', '-1s', '1d', '1h30'])(
    'refuses %j as bad usage (exit 2) with examples',
    (text) => {
      expect(() => parseDuration(text)).toThrow(
        expect.objectContaining({
          constructor: UsageError,
          exitCode: 2,
          message: 'expected a duration like 30s, 5m or 1h30m',
        }),
      );
    },
  );

  it('refuses what no timer can wait for', () => {
    expect(parseDuration(`${MAX_TIMER_MS}ms`)).toBe(MAX_TIMER_MS);
    expect(() => parseDuration('600h')).toThrow(
      `the longest duration supported is ${formatDuration(MAX_TIMER_MS)}`,
    );
  });

  it('reads back what formatDuration writes', () => {
    for (const ms of [500, 30_000, 90_000, 5_400_000, 86_400_000]) {
      expect(parseDuration(formatDuration(ms))).toBe(ms);
    }
  });
});
