import { InvalidArgumentError } from 'commander';
import { formatDuration, MAX_TIMER_MS } from '../deadline/index.js';

/** kubectl durations: 30s, 5m, 1h30m, 500ms; a bare number is seconds. */
export function durationOption(value: string): number {
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  let rest = text;
  while (rest) {
    const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)/.exec(rest);
    if (!match) throw new InvalidArgumentError('expected a duration like 30s, 5m or 1h30m.');
    total += Number(match[1]) * (units[match[2] ?? 's'] ?? 1000);
    rest = rest.slice(match[0].length);
  }
  if (!text) throw new InvalidArgumentError('expected a duration like 30s, 5m or 1h30m.');
  if (total > MAX_TIMER_MS) {
    throw new InvalidArgumentError(`the longest duration supported is ${formatDuration(MAX_TIMER_MS)}.`);
  }
  return total;
}

/** A --timeout: a duration above 0 (0 would mean giving up at once, not "no limit"). */
export function timeoutOption(value: string): number {
  const ms = durationOption(value);
  if (ms <= 0) throw new InvalidArgumentError('must be more than 0 (there is no "no limit"; give e.g. 1h).');
  return ms;
}

/** Parses a whole number flag value, rejecting "abc", "1.5" and "" with commander's one-line error. */
export function integerOption(value: string): number {
  if (!/^-?\d+$/.test(value.trim())) throw new InvalidArgumentError('expected a whole number.');
  return Number.parseInt(value, 10);
}
